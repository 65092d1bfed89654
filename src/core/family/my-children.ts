// Whose diary the actor may open (issue 5): a guardian's children with consent given, a student themself.
import type { AnyActor } from "../actor.ts";
import { fromIsoDate } from "../dates.ts";
import { fullName, schoolNow } from "../journal/common.ts";
import type { Db } from "../tx.ts";

export interface MyChild {
  studentId: number;
  name: string;
  firstName: string;
  lastName: string;
  classId: number | null;
  className: string | null;
  /** "self" for a student's own diary. */
  relation: "self" | "guardian";
}

export async function myChildren(db: Db, actor: AnyActor): Promise<MyChild[]> {
  if (actor.system) return [];
  const { local } = await schoolNow(db, actor.schoolId);
  const today = fromIsoDate(local.date);
  const students = await db.student.findMany({
    where: {
      schoolId: actor.schoolId,
      OR: [
        { personId: actor.personId },
        {
          guardians: {
            some: { guardianId: actor.personId, consentGivenAt: { not: null }, consentRevokedAt: null, endedAt: null },
          },
        },
      ],
    },
    select: {
      id: true,
      personId: true,
      person: { select: { lastName: true, firstName: true } },
      enrollments: {
        where: { fromDate: { lte: today }, OR: [{ toDate: null }, { toDate: { gt: today } }] },
        select: { classId: true, class: { select: { name: true } } },
        take: 1,
      },
    },
  });
  return students
    .map((s) => ({
      studentId: s.id,
      name: fullName(s.person),
      firstName: s.person.firstName,
      lastName: s.person.lastName,
      classId: s.enrollments[0]?.classId ?? null,
      className: s.enrollments[0]?.class.name ?? null,
      relation: s.personId === actor.personId ? ("self" as const) : ("guardian" as const),
    }))
    .sort((a, b) => a.name.localeCompare(b.name, "ru"));
}
