// Which (guardian, child) pairs may receive a digest: a guardianship of record that has not
// ended, with consent given and not withdrawn, for a student who had not left by the date. One query for a
// whole batch; pairs not asked for (cross matches of the two id lists) are dropped.
import { fromIsoDate, type IsoDate, toIsoDate } from "../dates.ts";
import type { DbOrTx } from "../tx.ts";
import type { DigestPair } from "./types.ts";

export interface EligiblePair extends DigestPair {
  lastName: string;
  firstName: string;
}

export async function eligiblePairs(
  db: DbOrTx,
  schoolId: number,
  date: IsoDate,
  pairs: DigestPair[],
): Promise<EligiblePair[]> {
  if (pairs.length === 0) return [];
  const wanted = new Set(pairs.map((p) => `${p.guardianId}-${p.studentId}`));
  const rows = await db.guardianship.findMany({
    where: {
      schoolId,
      guardianId: { in: [...new Set(pairs.map((p) => p.guardianId))] },
      studentId: { in: [...new Set(pairs.map((p) => p.studentId))] },
      endedAt: null,
      consentGivenAt: { not: null },
      consentRevokedAt: null,
      student: { schoolId, OR: [{ leftAt: null }, { leftAt: { gt: fromIsoDate(date) } }] },
    },
    select: {
      guardianId: true,
      studentId: true,
      student: { select: { leftAt: true, person: { select: { lastName: true, firstName: true } } } },
    },
  });
  return rows
    .filter((r) => wanted.has(`${r.guardianId}-${r.studentId}`))
    .filter((r) => r.student.leftAt === null || toIsoDate(r.student.leftAt) > date)
    .map((r) => ({
      guardianId: r.guardianId,
      studentId: r.studentId,
      lastName: r.student.person.lastName,
      firstName: r.student.person.firstName,
    }));
}

export interface ClassOnDate {
  classId: number;
  name: string;
  grade: number;
}

/** The class each student is in on the date (one query). */
export async function classesOn(
  db: DbOrTx,
  schoolId: number,
  studentIds: number[],
  date: IsoDate,
): Promise<Map<number, ClassOnDate>> {
  const day = fromIsoDate(date);
  const rows = await db.enrollment.findMany({
    where: {
      schoolId,
      studentId: { in: studentIds },
      fromDate: { lte: day },
      OR: [{ toDate: null }, { toDate: { gt: day } }],
    },
    select: { studentId: true, classId: true, fromDate: true, class: { select: { name: true, grade: true } } },
    orderBy: { fromDate: "asc" },
  });
  const out = new Map<number, ClassOnDate>();
  for (const r of rows) out.set(r.studentId, { classId: r.classId, name: r.class.name, grade: r.class.grade });
  return out;
}
