// Everyone of a school the sandbox page offers to chat as, grouped the way a school thinks of its people.
// A person may appear in several groups (a deputy who teaches and leads a class).
import { toIsoDate } from "../dates.ts";
import type { DbOrTx } from "../tx.ts";
import { enrolledOn, fullNameOf } from "./describe-person.ts";

export interface SandboxPerson {
  personId: number;
  fullName: string;
  /** Class names, for class teachers, students and parents; role codes for administration. */
  detail: string[];
}

export interface SandboxPeople {
  administration: SandboxPerson[];
  teachers: SandboxPerson[];
  classTeachers: SandboxPerson[];
  parents: SandboxPerson[];
  students: SandboxPerson[];
}

const byName = (a: SandboxPerson, b: SandboxPerson) => a.fullName.localeCompare(b.fullName, "ru");
const byClassThenName = (a: SandboxPerson, b: SandboxPerson) =>
  (a.detail[0] ?? "").localeCompare(b.detail[0] ?? "", "ru", { numeric: true }) || byName(a, b);

export async function listSandboxPeople(db: DbOrTx, schoolId: number): Promise<SandboxPeople> {
  const today = new Date(`${toIsoDate(new Date())}T00:00:00.000Z`);
  const name = { id: true, lastName: true, firstName: true, middleName: true } as const;
  const [staff, classes, students, guardians] = await Promise.all([
    db.person.findMany({
      where: { schoolId, staffRoles: { some: {} } },
      select: { ...name, staffRoles: { select: { role: true } } },
    }),
    db.classGroup.findMany({
      where: { schoolId, classTeacherId: { not: null }, year: { closedAt: null } },
      select: { name: true, classTeacher: { select: name } },
    }),
    db.student.findMany({
      where: { schoolId, leftAt: null },
      select: {
        person: { select: name },
        enrollments: { where: enrolledOn(today), select: { class: { select: { name: true } } } },
      },
    }),
    db.person.findMany({
      where: { schoolId, guardianships: { some: { endedAt: null } } },
      select: {
        ...name,
        guardianships: {
          where: { endedAt: null },
          select: {
            student: {
              select: { enrollments: { where: enrolledOn(today), select: { class: { select: { name: true } } } } },
            },
          },
        },
      },
    }),
  ]);
  const admin = new Set(["DIRECTOR", "DEPUTY", "ADMIN"]);
  const administration = staff
    .filter((p) => p.staffRoles.some((r) => admin.has(r.role)))
    .map((p) => ({ personId: p.id, fullName: fullNameOf(p), detail: p.staffRoles.map((r) => r.role as string) }));
  const teachers = staff
    .filter((p) => p.staffRoles.some((r) => !admin.has(r.role)))
    .map((p) => ({ personId: p.id, fullName: fullNameOf(p), detail: p.staffRoles.map((r) => r.role as string) }));
  const led = new Map<number, SandboxPerson>();
  for (const c of classes) {
    if (!c.classTeacher) continue;
    const entry = led.get(c.classTeacher.id) ?? {
      personId: c.classTeacher.id,
      fullName: fullNameOf(c.classTeacher),
      detail: [],
    };
    entry.detail.push(c.name);
    led.set(c.classTeacher.id, entry);
  }
  const parents = guardians.map((g) => ({
    personId: g.id,
    fullName: fullNameOf(g),
    detail: [...new Set(g.guardianships.flatMap((x) => x.student.enrollments.map((e) => e.class.name)))].sort(),
  }));
  const studentList = students.map((s) => ({
    personId: s.person.id,
    fullName: fullNameOf(s.person),
    detail: s.enrollments.map((e) => e.class.name),
  }));
  return {
    administration: administration.sort(byName),
    teachers: teachers.sort(byName),
    classTeachers: [...led.values()].sort(byClassThenName),
    parents: parents.sort(byClassThenName),
    students: studentList.sort(byClassThenName),
  };
}
