// The roster of a lesson: the students of its class (or subgroup) enrolled on the lesson's date, in journal
// order (surname, name), so that a student who joined later or left earlier is shown only where they belong.
import { fromIsoDate, type IsoDate } from "../dates.ts";
import type { DbOrTx } from "../tx.ts";

export interface RosterStudent {
  studentId: number;
  personId: number;
  lastName: string;
  firstName: string;
  middleName: string | null;
  /** 1-based position in the journal. */
  no: number;
}

export async function rosterOf(
  db: DbOrTx,
  group: { schoolId: number; classId: number; subgroupId: number | null },
  date: IsoDate,
): Promise<RosterStudent[]> {
  const at = fromIsoDate(date);
  const active = { fromDate: { lte: at }, OR: [{ toDate: null }, { toDate: { gt: at } }] };
  const students = await db.student.findMany({
    where: {
      schoolId: group.schoolId,
      enrollments: { some: { classId: group.classId, ...active } },
      ...(group.subgroupId ? { subgroups: { some: { subgroupId: group.subgroupId, ...active } } } : {}),
    },
    select: { id: true, personId: true, person: { select: { lastName: true, firstName: true, middleName: true } } },
  });
  return students
    .map((s) => ({
      studentId: s.id,
      personId: s.personId,
      lastName: s.person.lastName,
      firstName: s.person.firstName,
      middleName: s.person.middleName,
      no: 0,
    }))
    .sort(
      (a, b) =>
        a.lastName.localeCompare(b.lastName, "ru") ||
        a.firstName.localeCompare(b.firstName, "ru") ||
        (a.middleName ?? "").localeCompare(b.middleName ?? "", "ru"),
    )
    .map((s, i) => ({ ...s, no: i + 1 }));
}
