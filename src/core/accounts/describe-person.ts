// Who a person is, for greetings and help: name, staff roles and the roles derived from the data.
import type { StaffRole } from "../actor.ts";
import { toIsoDate } from "../dates.ts";
import { notFound } from "../errors.ts";
import type { DbOrTx } from "../tx.ts";

export type PersonRole = StaffRole | "CLASS_TEACHER" | "GUARDIAN" | "STUDENT";

export interface PersonDescription {
  personId: number;
  schoolId: number;
  fullName: string;
  lastName: string;
  firstName: string;
  middleName: string | null;
  /** Staff roles first, then CLASS_TEACHER, GUARDIAN, STUDENT as the data says. */
  roles: PersonRole[];
  /** Classes led (class teacher), the student's own class, the children's classes (guardian); sorted, distinct. */
  classNames: string[];
  classesLed: string[];
  studentClass: string | null;
  childrenClasses: string[];
}

export function fullNameOf(p: { lastName: string; firstName: string; middleName?: string | null }): string {
  return [p.lastName, p.firstName, p.middleName].filter(Boolean).join(" ");
}

/** Current-enrollment filter on a day (toDate is exclusive). */
export function enrolledOn(day: Date) {
  return { fromDate: { lte: day }, OR: [{ toDate: null }, { toDate: { gt: day } }] };
}

/**
 * Describes the person for themselves (the bot's greeting and help). It is called only with the id of the
 * authenticated person or by the sandbox, so it carries no actor.
 */
export async function describePerson(db: DbOrTx, personId: number): Promise<PersonDescription> {
  const today = new Date(`${toIsoDate(new Date())}T00:00:00.000Z`);
  const p = await db.person.findUnique({
    where: { id: personId },
    select: {
      id: true,
      schoolId: true,
      lastName: true,
      firstName: true,
      middleName: true,
      staffRoles: { select: { role: true } },
      classesLed: { where: { year: { closedAt: null } }, select: { name: true } },
      student: {
        select: {
          leftAt: true,
          enrollments: { where: enrolledOn(today), select: { class: { select: { name: true } } } },
        },
      },
      // A guardian stays a guardian after withdrawing consent (so the menu still offers to give it again);
      // only the children's classes are withheld until consent stands.
      guardianships: {
        where: { endedAt: null },
        select: {
          consentRevokedAt: true,
          student: {
            select: { enrollments: { where: enrolledOn(today), select: { class: { select: { name: true } } } } },
          },
        },
      },
    },
  });
  if (!p) throw notFound({ personId });
  const staffOrder: StaffRole[] = [
    "DIRECTOR",
    "DEPUTY",
    "ADMIN",
    "TEACHER",
    "SECRETARY",
    "SOCIAL_PEDAGOGUE",
    "PSYCHOLOGIST",
  ];
  const staff = new Set(p.staffRoles.map((r) => r.role as StaffRole));
  const roles: PersonRole[] = staffOrder.filter((r) => staff.has(r));
  const sorted = (names: Iterable<string>) =>
    [...new Set(names)].sort((a, b) => a.localeCompare(b, "ru", { numeric: true }));
  const classesLed = sorted(p.classesLed.map((c) => c.name));
  const childrenClasses = sorted(
    p.guardianships.filter((g) => !g.consentRevokedAt).flatMap((g) => g.student.enrollments.map((e) => e.class.name)),
  );
  const isStudent = !!p.student && !p.student.leftAt;
  const studentClass = isStudent ? (p.student?.enrollments[0]?.class.name ?? null) : null;
  if (classesLed.length > 0) roles.push("CLASS_TEACHER");
  if (p.guardianships.length > 0) roles.push("GUARDIAN");
  if (isStudent) roles.push("STUDENT");
  return {
    personId: p.id,
    schoolId: p.schoolId,
    fullName: fullNameOf(p),
    lastName: p.lastName,
    firstName: p.firstName,
    middleName: p.middleName,
    roles,
    classNames: sorted([...classesLed, ...childrenClasses, ...(studentClass ? [studentClass] : [])]),
    classesLed,
    studentClass,
    childrenClasses,
  };
}
