// R-28 накопляемость: per student and subject, the marks of the span against the minimum the subject's weekly
// hours call for (src/core/grading/accumulation.ts: one mark per 3 lessons). The expected lessons come from the
// hours × the weeks the student was in the class within the elapsed span; the lessons actually held are shown
// beside. Exempt students («осв» for an overlapping period) are left out.
import { daysBetween, fromIsoDate, type IsoDate, toIsoDate } from "../dates.ts";
import { accumulation } from "../grading/accumulation.ts";
import { EXEMPT } from "../grading/mark-values.ts";
import type { DbOrTx } from "../tx.ts";
import { compareRu, studentLabel } from "./labels.ts";
import type { ResolvedScope } from "./report-scope.ts";

export interface AccumulationRow {
  studentId: number;
  label: string;
  className: string;
  subjectName: string;
  hoursPerWeek: number;
  lessonsHeld: number;
  expectedMin: number;
  marks: number;
  shortBy: number;
}

export interface AccumulationReport {
  from: IsoDate;
  to: IsoDate;
  pairs: number;
  below: number;
  belowPct: number | null;
  /** Every student × subject, class, name and subject order. */
  rows: AccumulationRow[];
}

export async function computeAccumulation(
  db: DbOrTx,
  schoolId: number,
  fromIso: IsoDate,
  toIso: IsoDate,
  yearId: number,
  scope: ResolvedScope,
): Promise<AccumulationReport> {
  const from = fromIsoDate(fromIso);
  const to = fromIsoDate(toIso);
  const assignments = await db.teachingAssignment.findMany({
    where: {
      schoolId,
      yearId,
      classId: { in: scope.classIds },
      ...(scope.subjectId !== null ? { subjectId: scope.subjectId } : {}),
      ...(scope.teacherId !== null ? { teacherId: scope.teacherId } : {}),
    },
    select: {
      id: true,
      classId: true,
      subjectId: true,
      subgroupId: true,
      hoursPerWeek: true,
      class: { select: { name: true, grade: true } },
      subject: { select: { name: true } },
    },
  });
  const classIds = [...new Set(assignments.map((a) => a.classId))];
  const subgroupIds = assignments.map((a) => a.subgroupId).filter((x): x is number => x !== null);
  const overlapping = { fromDate: { lte: to }, OR: [{ toDate: null }, { toDate: { gt: from } }] };
  const [enrollments, members, lessons, marks, exempt] = await Promise.all([
    db.enrollment.findMany({
      where: { schoolId, classId: { in: classIds }, ...overlapping },
      select: { studentId: true, classId: true, fromDate: true, toDate: true },
    }),
    db.subgroupMember.findMany({
      where: { schoolId, subgroupId: { in: subgroupIds }, ...overlapping },
      select: { studentId: true, subgroupId: true, fromDate: true, toDate: true },
    }),
    db.lesson.findMany({
      where: {
        assignmentId: { in: assignments.map((a) => a.id) },
        status: { not: "CANCELLED" },
        date: { gte: from, lte: to },
      },
      select: { assignmentId: true, date: true },
    }),
    db.mark.findMany({
      where: {
        schoolId,
        status: "ACTIVE",
        date: { gte: from, lte: to },
        lesson: { assignment: { classId: { in: classIds } } },
      },
      select: { studentId: true, subjectId: true, lesson: { select: { assignment: { select: { classId: true } } } } },
    }),
    db.termGrade.findMany({
      where: { schoolId, value: EXEMPT, period: { startsOn: { lte: to }, endsOn: { gte: from } } },
      select: { studentId: true, subjectId: true },
    }),
  ]);
  const exemptKeys = new Set(exempt.map((e) => `${e.studentId}:${e.subjectId}`));
  // marks counted in the class they were given in: a student who moved has a row per class
  const markCount = new Map<string, number>();
  for (const m of marks) {
    const key = `${m.studentId}:${m.subjectId}:${m.lesson.assignment.classId}`;
    markCount.set(key, (markCount.get(key) ?? 0) + 1);
  }
  const lessonDates = new Map<number, number[]>();
  for (const l of lessons)
    lessonDates.set(l.assignmentId, [...(lessonDates.get(l.assignmentId) ?? []), l.date.getTime()]);

  type Stay = { studentId: number; from: Date; to: Date | null };
  const stays = new Map<string, Stay[]>();
  const stay = (key: string, s: Stay) => stays.set(key, [...(stays.get(key) ?? []), s]);
  for (const e of enrollments) stay(`c${e.classId}`, { studentId: e.studentId, from: e.fromDate, to: e.toDate });
  for (const m of members) stay(`g${m.subgroupId}`, { studentId: m.studentId, from: m.fromDate, to: m.toDate });

  const acc = new Map<
    string,
    { row: Omit<AccumulationRow, "label" | "expectedMin" | "shortBy">; days: number; grade: number }
  >();
  for (const a of assignments) {
    const list = stays.get(a.subgroupId === null ? `c${a.classId}` : `g${a.subgroupId}`) ?? [];
    for (const s of list) {
      if (exemptKeys.has(`${s.studentId}:${a.subjectId}`)) continue;
      const start = Math.max(s.from.getTime(), from.getTime());
      const end = Math.min(s.to ? s.to.getTime() - 86_400_000 : to.getTime(), to.getTime());
      if (end < start) continue;
      const key = `${s.studentId}:${a.subjectId}:${a.classId}`;
      const held = (lessonDates.get(a.id) ?? []).filter((t) => t >= start && t <= end).length;
      const days = daysBetween(toIsoDate(new Date(start)), toIsoDate(new Date(end))) + 1;
      const prev = acc.get(key);
      acc.set(key, {
        row: {
          studentId: s.studentId,
          className: a.class.name,
          subjectName: a.subject.name,
          hoursPerWeek: Number(a.hoursPerWeek),
          lessonsHeld: (prev?.row.lessonsHeld ?? 0) + held,
          marks: markCount.get(key) ?? 0,
        },
        days: Math.max(prev?.days ?? 0, days),
        grade: a.class.grade,
      });
    }
  }
  const students = await db.student.findMany({
    where: { schoolId, id: { in: [...new Set([...acc.values()].map((v) => v.row.studentId))] } },
    select: { id: true, person: { select: { lastName: true, firstName: true, middleName: true } } },
  });
  const name = new Map(students.map((s) => [s.id, studentLabel(s.person)]));
  const rows = [...acc.values()]
    .map(({ row, days, grade }) => {
      const r = accumulation({ marksCount: row.marks, hoursPerWeek: row.hoursPerWeek, weeksElapsed: days / 7 });
      return {
        grade,
        row: {
          ...row,
          label: name.get(row.studentId) ?? String(row.studentId),
          expectedMin: r.expectedMin,
          shortBy: r.shortBy,
        },
      };
    })
    .sort(
      (a, b) =>
        a.grade - b.grade ||
        compareRu(a.row.className, b.row.className) ||
        compareRu(a.row.label, b.row.label) ||
        compareRu(a.row.subjectName, b.row.subjectName),
    )
    .map((x) => x.row);
  const below = rows.filter((r) => r.shortBy > 0).length;
  return {
    from: fromIso,
    to: toIso,
    pairs: rows.length,
    below,
    belowPct: rows.length === 0 ? null : Math.round((below / rows.length) * 1000) / 10,
    rows,
  };
}
