// Who teaches a student now: the class teacher of their class and the teachers of the class's subjects
// (subgroup assignments only for the student's own subgroup). Shared by the list a guardian picks from and
// the check of who a guardian may write to.
import { fullNameOf } from "../accounts/index.ts";
import { AppError, forbidden } from "../errors.ts";
import { fullName } from "../journal/common.ts";
import type { DbOrTx } from "../tx.ts";

export interface ChildTeacher {
  personId: number;
  name: string;
  subjects: string[];
  classTeacher: boolean;
}

export interface ChildTeachers {
  studentId: number;
  studentName: string;
  className: string | null;
  teachers: ChildTeacher[];
}

const activeOn = (day: Date) => ({ fromDate: { lte: day }, OR: [{ toDate: null }, { toDate: { gt: day } }] });

export async function loadChildTeachers(
  db: DbOrTx,
  schoolId: number,
  studentId: number,
  day: Date,
): Promise<ChildTeachers | null> {
  const s = await db.student.findFirst({
    where: { id: studentId, schoolId },
    select: {
      id: true,
      person: { select: { lastName: true, firstName: true } },
      subgroups: { where: activeOn(day), select: { subgroupId: true } },
      enrollments: {
        where: activeOn(day),
        take: 1,
        select: {
          class: {
            select: {
              name: true,
              classTeacher: { select: { id: true, lastName: true, firstName: true, middleName: true } },
              assignments: {
                where: { endedAt: null },
                select: {
                  subgroupId: true,
                  subject: { select: { name: true } },
                  teacher: { select: { id: true, lastName: true, firstName: true, middleName: true } },
                },
              },
            },
          },
        },
      },
    },
  });
  if (!s) return null;
  const cls = s.enrollments[0]?.class;
  const mySubgroups = new Set(s.subgroups.map((g) => g.subgroupId));
  const byId = new Map<number, ChildTeacher>();
  const add = (p: { id: number; lastName: string; firstName: string; middleName: string | null }) => {
    let t = byId.get(p.id);
    if (!t) {
      t = { personId: p.id, name: fullNameOf(p), subjects: [], classTeacher: false };
      byId.set(p.id, t);
    }
    return t;
  };
  if (cls?.classTeacher) add(cls.classTeacher).classTeacher = true;
  for (const a of cls?.assignments ?? []) {
    if (a.subgroupId !== null && !mySubgroups.has(a.subgroupId)) continue;
    const t = add(a.teacher);
    if (!t.subjects.includes(a.subject.name)) t.subjects.push(a.subject.name);
  }
  const teachers = [...byId.values()]
    .map((t) => ({ ...t, subjects: t.subjects.sort((x, y) => x.localeCompare(y, "ru")) }))
    .sort((x, y) => Number(y.classTeacher) - Number(x.classTeacher) || x.name.localeCompare(y.name, "ru"));
  return { studentId: s.id, studentName: fullName(s.person), className: cls?.name ?? null, teachers };
}

/** The actor is a guardian of record of the student with consent; else FORBIDDEN / CONSENT_REQUIRED. */
export async function requireConsentingGuardian(
  db: DbOrTx,
  schoolId: number,
  personId: number,
  studentId: number,
): Promise<void> {
  const link = await db.guardianship.findFirst({
    where: { guardianId: personId, studentId, schoolId, endedAt: null },
    select: { consentGivenAt: true, consentRevokedAt: true },
  });
  if (!link) throw forbidden({ studentId });
  if (!link.consentGivenAt || link.consentRevokedAt) throw new AppError("CONSENT_REQUIRED", { studentId });
}
