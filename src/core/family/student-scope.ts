// Which lessons a student attends: their class enrollments and subgroup memberships over a date range, so that
// reads for a student (day, week, homework, timetable) take a fixed number of queries however long the range.
import { fromIsoDate, type IsoDate, toIsoDate } from "../dates.ts";
import type { DbOrTx } from "../tx.ts";

interface Span {
  from: IsoDate;
  /** Exclusive; null = still there. */
  to: IsoDate | null;
}

export interface StudentScope {
  studentId: number;
  classes: (Span & { classId: number })[];
  subgroups: (Span & { subgroupId: number })[];
  classIds: number[];
}

const inSpan = (s: Span, date: IsoDate) => s.from <= date && (s.to === null || s.to > date);

export async function loadStudentScope(
  db: DbOrTx,
  schoolId: number,
  studentId: number,
  from: IsoDate,
  to: IsoDate,
): Promise<StudentScope> {
  const overlap = { fromDate: { lte: fromIsoDate(to) }, OR: [{ toDate: null }, { toDate: { gt: fromIsoDate(from) } }] };
  const [enrollments, subgroups] = await Promise.all([
    db.enrollment.findMany({
      where: { schoolId, studentId, ...overlap },
      select: { classId: true, fromDate: true, toDate: true },
    }),
    db.subgroupMember.findMany({
      where: { schoolId, studentId, ...overlap },
      select: { subgroupId: true, fromDate: true, toDate: true },
    }),
  ]);
  const span = (r: { fromDate: Date; toDate: Date | null }): Span => ({
    from: toIsoDate(r.fromDate),
    to: r.toDate ? toIsoDate(r.toDate) : null,
  });
  const classes = enrollments.map((e) => ({ classId: e.classId, ...span(e) }));
  return {
    studentId,
    classes,
    subgroups: subgroups.map((g) => ({ subgroupId: g.subgroupId, ...span(g) })),
    classIds: [...new Set(classes.map((c) => c.classId))],
  };
}

/** Whether the student sits in a lesson of this class (and subgroup) on this date. */
export function attends(
  scope: StudentScope,
  lesson: { classId: number; subgroupId: number | null; date: IsoDate },
): boolean {
  if (!scope.classes.some((c) => c.classId === lesson.classId && inSpan(c, lesson.date))) return false;
  if (lesson.subgroupId === null) return true;
  return scope.subgroups.some((g) => g.subgroupId === lesson.subgroupId && inSpan(g, lesson.date));
}

/** The student's class on a date (the enrollment that covers it), if any. */
export function classOn(scope: StudentScope, date: IsoDate): number | null {
  return scope.classes.find((c) => inSpan(c, date))?.classId ?? null;
}
