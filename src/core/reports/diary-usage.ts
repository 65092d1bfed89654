// how the families use the diary over a range — the share of parents and of students who opened it
// at least once, and per student how often each guardian looked (views and distinct days, from ViewLog rows
// written by the family reads and the digest acknowledgement). Who counts: students enrolled in the classes at
// any time in the range and their guardians (guardianship not ended, consent not revoked).
import { fromIsoDate, type IsoDate, localMoment } from "../dates.ts";
import { roundAverage } from "../grading/average.ts";
import type { DbOrTx } from "../tx.ts";
import { compareRu, staffLabel, studentLabel } from "./labels.ts";

export interface GuardianUsage {
  guardianId: number;
  label: string;
  relation: string | null;
  views: number;
  days: number;
  /** School-local date of the latest view in the range. */
  lastView: IsoDate | null;
}

export interface FamilyUsage {
  studentId: number;
  label: string;
  classId: number;
  className: string;
  /** The student's own views. */
  studentViews: number;
  guardians: GuardianUsage[];
}

export interface DiaryUsage {
  students: number;
  studentsUsing: number;
  studentsUsingPct: number | null;
  parents: number;
  parentsUsing: number;
  parentsUsingPct: number | null;
  /** Per student, class then name order. */
  families: FamilyUsage[];
}

const pct = (part: number, whole: number) => (whole === 0 ? null : roundAverage((part / whole) * 100, 1));

export async function computeDiaryUsage(
  db: DbOrTx,
  schoolId: number,
  fromIso: IsoDate,
  toIso: IsoDate,
  classIds: number[],
): Promise<DiaryUsage> {
  const from = fromIsoDate(fromIso);
  const to = fromIsoDate(toIso);
  const school = await db.school.findUniqueOrThrow({ where: { id: schoolId }, select: { timezone: true } });
  const enrollments = await db.enrollment.findMany({
    where: {
      schoolId,
      classId: { in: classIds },
      fromDate: { lte: to },
      OR: [{ toDate: null }, { toDate: { gt: from } }],
    },
    orderBy: { fromDate: "asc" },
    select: {
      studentId: true,
      class: { select: { id: true, name: true, grade: true } },
      student: {
        select: {
          personId: true,
          person: { select: { lastName: true, firstName: true, middleName: true } },
          guardians: {
            where: { endedAt: null, consentRevokedAt: null },
            select: {
              guardianId: true,
              relation: true,
              guardian: { select: { lastName: true, firstName: true, middleName: true } },
            },
          },
        },
      },
    },
  });
  // A student who moved within the scope is listed once, in the class they were in last.
  const byStudent = new Map<number, (typeof enrollments)[number]>();
  for (const e of enrollments) byStudent.set(e.studentId, e);
  const viewers = new Set<number>();
  for (const e of byStudent.values()) {
    viewers.add(e.student.personId);
    for (const g of e.student.guardians) viewers.add(g.guardianId);
  }
  // The range is in school-local days: widen by a day each side, then filter on the local date.
  const views = await db.viewLog.findMany({
    where: {
      schoolId,
      viewerId: { in: [...viewers] },
      createdAt: { gte: new Date(from.getTime() - 86_400_000), lt: new Date(to.getTime() + 2 * 86_400_000) },
    },
    select: { viewerId: true, studentId: true, createdAt: true },
  });
  const stats = new Map<string, { views: number; days: Set<string> }>();
  for (const v of views) {
    const day = localMoment(school.timezone, v.createdAt).date;
    if (day < fromIso || day > toIso) continue;
    const key = `${v.viewerId}:${v.studentId ?? ""}`;
    const s = stats.get(key) ?? { views: 0, days: new Set<string>() };
    s.views++;
    s.days.add(day);
    stats.set(key, s);
  }
  const families: FamilyUsage[] = [];
  const parentsUsing = new Set<number>();
  const parents = new Set<number>();
  let studentsUsing = 0;
  for (const e of byStudent.values()) {
    const own = stats.get(`${e.student.personId}:${e.studentId}`);
    if (own) studentsUsing++;
    const guardians = e.student.guardians
      .map((g) => {
        const s = stats.get(`${g.guardianId}:${e.studentId}`);
        parents.add(g.guardianId);
        if (s) parentsUsing.add(g.guardianId);
        const days = s ? [...s.days].sort() : [];
        return {
          guardianId: g.guardianId,
          label: staffLabel(g.guardian),
          relation: g.relation,
          views: s?.views ?? 0,
          days: days.length,
          lastView: days.at(-1) ?? null,
        };
      })
      .sort((a, b) => compareRu(a.label, b.label));
    families.push({
      studentId: e.studentId,
      label: studentLabel(e.student.person),
      classId: e.class.id,
      className: e.class.name,
      studentViews: own?.views ?? 0,
      guardians,
    });
  }
  const gradeOf = new Map(enrollments.map((e) => [e.class.id, e.class.grade]));
  families.sort(
    (a, b) =>
      (gradeOf.get(a.classId) ?? 0) - (gradeOf.get(b.classId) ?? 0) ||
      compareRu(a.className, b.className) ||
      compareRu(a.label, b.label),
  );
  return {
    students: byStudent.size,
    studentsUsing,
    studentsUsingPct: pct(studentsUsing, byStudent.size),
    parents: parents.size,
    parentsUsing: parentsUsing.size,
    parentsUsingPct: pct(parentsUsing.size, parents.size),
    families,
  };
}
