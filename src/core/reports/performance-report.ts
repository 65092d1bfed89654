// the pass rate, the quality rate, the degree of learning (SOU) and the average mark by class, subject or teacher.
// Source: for a period (or a year with a YEAR period) its term marks (TermGrade); for a week or a month, the
// mark each student would get from the marks of the span (weighted average → the school's thresholds, R-16).
// Who counts: students enrolled in a class of the year on the span's last elapsed day (and not left by then) —
// a student who moved class counts once, in the class they are in at that date. Each counts once per subject
// taught in the class (any assignment of the year) plus any subject they hold a term mark in; a subject without
// a mark shows in `nMissing`, not in N; an "exempt" mark is excluded from N.
// Counting is by marks (one term mark = one unit), which is what the RULES.md formulas are written in.

import { can } from "../access/permissions.ts";
import type { AnyActor } from "../actor.ts";
import { fromIsoDate, type IsoDate, toIsoDate } from "../dates.ts";
import { forbidden, invalid, notFound } from "../errors.ts";
import { roundAverage, weightedAverage } from "../grading/average.ts";
import { EXEMPT, markNumber } from "../grading/mark-values.ts";
import { type PerformanceFigures, performanceFigures } from "../grading/performance.ts";
import {
  DEFAULT_ABSENCE_THRESHOLDS,
  DEFAULT_FAILING_THRESHOLDS,
  systematicAbsence,
  systematicFailing,
} from "../grading/systematic.ts";
import { suggestTermMark } from "../grading/term-suggestion.ts";
import { parseSettings } from "../settings.ts";
import type { DbOrTx } from "../tx.ts";
import { compareRu, staffLabel, studentLabel } from "./labels.ts";
import type { ResolvedScope } from "./report-scope.ts";

export type PerformanceGrouping = "class" | "subject" | "teacher";

export interface PerformanceReportInput {
  periodId: number;
  by: PerformanceGrouping;
}

export interface PerformanceRow extends PerformanceFigures {
  /** classId, subjectId or teacher personId; null for marks whose teacher cannot be told (teacher grouping). */
  id: number | null;
  label: string;
  /** Mean of the numeric marks (2 decimals), null when none. */
  averageMark: number | null;
}

export interface PerformanceReport {
  periodId: number;
  by: PerformanceGrouping;
  /** The date enrollment is taken at: the period's last day. */
  asOf: IsoDate;
  rows: PerformanceRow[];
  total: PerformanceFigures & { averageMark: number | null };
}

export interface SystematicAbsenceRow {
  studentId: number;
  label: string;
  className: string;
  days: number;
  from: IsoDate;
  to: IsoDate;
}

export interface SystematicFailingRow {
  studentId: number;
  label: string;
  className: string;
  subjectName: string;
  average: number | null;
  consecutiveFails: number;
  reasons: ("consecutive" | "average")[];
}

export interface PerformanceFull {
  source: "term" | "current";
  asOf: IsoDate;
  byClass: PerformanceRow[];
  bySubject: PerformanceRow[];
  byTeacher: PerformanceRow[];
  total: PerformanceFigures & { averageMark: number | null };
  systematicAbsence: SystematicAbsenceRow[];
  systematicFailing: SystematicFailingRow[];
}

interface Unit {
  studentId: number;
  classId: number;
  subjectId: number;
  teacherId: number | null;
  value: string | null;
}

export async function performanceReport(
  db: DbOrTx,
  actor: AnyActor,
  input: PerformanceReportInput,
): Promise<PerformanceReport> {
  if (!can(actor, "report.school")) throw forbidden({ permission: "report.school" });
  if (!Number.isSafeInteger(input.periodId) || !["class", "subject", "teacher"].includes(input.by)) {
    throw invalid({ periodId: input.periodId, by: input.by });
  }
  const period = await db.period.findFirst({ where: { id: input.periodId, schoolId: actor.schoolId } });
  if (!period) throw notFound({ periodId: input.periodId });
  const asOf = toIsoDate(period.endsOn);
  const full = await computePerformance(db, actor.schoolId, {
    yearId: period.yearId,
    periodId: period.id,
    from: toIsoDate(period.startsOn),
    to: asOf,
    asOf,
    scope: null,
    lists: false,
  });
  const rows = input.by === "class" ? full.byClass : input.by === "subject" ? full.bySubject : full.byTeacher;
  return { periodId: period.id, by: input.by, asOf, rows, total: full.total };
}

export interface PerformanceQuery {
  yearId: number;
  /** Term marks of this period; null: computed from the marks of [from, to]. */
  periodId: number | null;
  from: IsoDate;
  to: IsoDate;
  /** Enrollment date. */
  asOf: IsoDate;
  scope: ResolvedScope | null;
  /** Whether to build the systematic absence and failing lists. */
  lists: boolean;
}

const meanOf = (values: (string | null)[]): number | null => {
  const nums = values.map((v) => (v === null ? null : markNumber(v))).filter((n): n is number => n !== null);
  return nums.length === 0 ? null : roundAverage(nums.reduce((a, b) => a + b, 0) / nums.length, 2);
};

/** After access was decided. */
export async function computePerformance(db: DbOrTx, schoolId: number, q: PerformanceQuery): Promise<PerformanceFull> {
  const end = fromIsoDate(q.asOf);
  const from = fromIsoDate(q.from);
  const to = fromIsoDate(q.to);
  const classFilter = q.scope ? { id: { in: q.scope.classIds } } : {};
  const enrollments = await db.enrollment.findMany({
    where: {
      schoolId,
      class: { yearId: q.yearId, ...classFilter },
      fromDate: { lte: end },
      OR: [{ toDate: null }, { toDate: { gt: end } }],
      student: { OR: [{ leftAt: null }, { leftAt: { gt: end } }] },
    },
    orderBy: { fromDate: "asc" },
    select: { studentId: true, classId: true },
  });
  const classOf = new Map(enrollments.map((e) => [e.studentId, e.classId]));
  const studentIds = [...classOf.keys()];
  const classIds = [...new Set(classOf.values())];

  const [school, classes, subjects, assignments, members, grades, marks, exempt] = await Promise.all([
    db.school.findUniqueOrThrow({ where: { id: schoolId }, select: { settings: true } }),
    db.classGroup.findMany({ where: { id: { in: classIds } }, select: { id: true, name: true, grade: true } }),
    db.subject.findMany({ where: { schoolId }, select: { id: true, name: true } }),
    db.teachingAssignment.findMany({
      where: { schoolId, yearId: q.yearId, classId: { in: classIds } },
      select: {
        classId: true,
        subjectId: true,
        subgroupId: true,
        teacherId: true,
        endedAt: true,
        teacher: { select: { lastName: true, firstName: true, middleName: true } },
      },
    }),
    db.subgroupMember.findMany({
      where: {
        schoolId,
        studentId: { in: studentIds },
        fromDate: { lte: end },
        OR: [{ toDate: null }, { toDate: { gt: end } }],
      },
      select: { studentId: true, subgroupId: true },
    }),
    q.periodId === null
      ? Promise.resolve([])
      : db.termGrade.findMany({
          where: { schoolId, periodId: q.periodId, studentId: { in: studentIds } },
          select: { studentId: true, subjectId: true, value: true },
        }),
    q.periodId !== null && !q.lists
      ? Promise.resolve([])
      : db.mark.findMany({
          where: { schoolId, status: "ACTIVE", studentId: { in: studentIds }, date: { gte: from, lte: to } },
          select: { studentId: true, subjectId: true, value: true, weight: true, date: true },
        }),
    q.periodId !== null
      ? Promise.resolve([])
      : db.termGrade.findMany({
          where: {
            schoolId,
            value: EXEMPT,
            studentId: { in: studentIds },
            period: { startsOn: { lte: to }, endsOn: { gte: from } },
          },
          select: { studentId: true, subjectId: true },
        }),
  ]);
  const settings = parseSettings(school.settings);

  const marksOf = new Map<string, { value: string; weight: number; date: IsoDate }[]>();
  for (const m of marks) {
    const key = `${m.studentId}:${m.subjectId}`;
    const list = marksOf.get(key) ?? [];
    list.push({ value: m.value, weight: Number(m.weight), date: toIsoDate(m.date) });
    marksOf.set(key, list);
  }
  const gradeOf = new Map<string, string>();
  const gradedSubjectsOf = new Map<number, number[]>();
  if (q.periodId !== null) {
    for (const g of grades) {
      gradeOf.set(`${g.studentId}:${g.subjectId}`, g.value);
      gradedSubjectsOf.set(g.studentId, [...(gradedSubjectsOf.get(g.studentId) ?? []), g.subjectId]);
    }
  } else {
    for (const [key, list] of marksOf) {
      const value = suggestTermMark(weightedAverage(list), settings.thresholds);
      if (value === null) continue;
      gradeOf.set(key, value);
      const studentId = Number(key.split(":")[0]);
      gradedSubjectsOf.set(studentId, [...(gradedSubjectsOf.get(studentId) ?? []), Number(key.split(":")[1])]);
    }
    // an exempt student stays exempt whatever marks the span holds
    for (const e of exempt) gradeOf.set(`${e.studentId}:${e.subjectId}`, EXEMPT);
  }
  const subgroupsOf = new Map<number, Set<number>>();
  for (const m of members) {
    const set = subgroupsOf.get(m.studentId) ?? new Set<number>();
    set.add(m.subgroupId);
    subgroupsOf.set(m.studentId, set);
  }
  const assignmentsOf = new Map<string, typeof assignments>();
  for (const a of assignments) {
    const key = `${a.classId}:${a.subjectId}`;
    assignmentsOf.set(key, [...(assignmentsOf.get(key) ?? []), a]);
  }
  const teacherOf = (studentId: number, classId: number, subjectId: number): number | null => {
    const own = assignmentsOf.get(`${classId}:${subjectId}`) ?? [];
    const inGroup = own.filter((a) => a.subgroupId !== null && subgroupsOf.get(studentId)?.has(a.subgroupId));
    const candidates = inGroup.length > 0 ? inGroup : own.filter((a) => a.subgroupId === null);
    // the current teacher if any, else the one who taught last
    const best = [...candidates].sort(
      (a, b) => (b.endedAt?.getTime() ?? Infinity) - (a.endedAt?.getTime() ?? Infinity),
    )[0];
    return best?.teacherId ?? null;
  };

  const subjectsOfClass = new Map<number, Set<number>>();
  for (const a of assignments) {
    const set = subjectsOfClass.get(a.classId) ?? new Set<number>();
    set.add(a.subjectId);
    subjectsOfClass.set(a.classId, set);
  }
  const units: Unit[] = [];
  for (const [studentId, classId] of classOf) {
    const subjectIds = new Set([...(subjectsOfClass.get(classId) ?? []), ...(gradedSubjectsOf.get(studentId) ?? [])]);
    for (const subjectId of subjectIds) {
      if (q.scope?.subjectId != null && subjectId !== q.scope.subjectId) continue;
      const teacherId = teacherOf(studentId, classId, subjectId);
      if (q.scope?.teacherId != null && teacherId !== q.scope.teacherId) continue;
      units.push({ studentId, classId, subjectId, teacherId, value: gradeOf.get(`${studentId}:${subjectId}`) ?? null });
    }
  }

  const classById = new Map(classes.map((c) => [c.id, c]));
  const subjectName = new Map(subjects.map((s) => [s.id, s.name]));
  const teacherName = new Map(assignments.map((a) => [a.teacherId, staffLabel(a.teacher)]));
  const grouped = (by: PerformanceGrouping): PerformanceRow[] => {
    const keyOf = (u: Unit) => (by === "class" ? u.classId : by === "subject" ? u.subjectId : u.teacherId);
    const groups = new Map<number | null, (string | null)[]>();
    for (const u of units) {
      const k = keyOf(u);
      const list = groups.get(k) ?? [];
      list.push(u.value);
      groups.set(k, list);
    }
    const labelOf = (id: number | null): string =>
      id === null
        ? ""
        : ((by === "class" ? classById.get(id)?.name : by === "subject" ? subjectName.get(id) : teacherName.get(id)) ??
          String(id));
    const rows = [...groups].map(([id, values]) => ({
      id,
      label: labelOf(id),
      ...performanceFigures(values),
      averageMark: meanOf(values),
    }));
    const gradeOfClass = (id: number | null) => (id === null ? 0 : (classById.get(id)?.grade ?? 0));
    return rows.sort((a, b) =>
      a.id === null
        ? 1
        : b.id === null
          ? -1
          : (by === "class" ? gradeOfClass(a.id) - gradeOfClass(b.id) : 0) || compareRu(a.label, b.label),
    );
  };

  const lists = q.lists ? await systematicLists(db, schoolId, q, units, marksOf, classById, subjectName) : null;
  return {
    source: q.periodId === null ? "current" : "term",
    asOf: q.asOf,
    byClass: grouped("class"),
    bySubject: grouped("subject"),
    byTeacher: grouped("teacher"),
    total: { ...performanceFigures(units.map((u) => u.value)), averageMark: meanOf(units.map((u) => u.value)) },
    systematicAbsence: lists?.absence ?? [],
    systematicFailing: lists?.failing ?? [],
  };
}

async function systematicLists(
  db: DbOrTx,
  schoolId: number,
  q: PerformanceQuery,
  units: Unit[],
  marksOf: Map<string, { value: string; weight: number; date: IsoDate }[]>,
  classById: Map<number, { name: string; grade: number }>,
  subjectName: Map<number, string>,
) {
  const studentIds = [...new Set(units.map((u) => u.studentId))];
  const [absences, students] = await Promise.all([
    db.attendance.findMany({
      where: {
        schoolId,
        studentId: { in: studentIds },
        status: "ABSENT",
        date: { gte: fromIsoDate(q.from), lte: fromIsoDate(q.to) },
      },
      select: { studentId: true, date: true, reason: true },
    }),
    db.student.findMany({
      where: { id: { in: studentIds } },
      select: { id: true, person: { select: { lastName: true, firstName: true, middleName: true } } },
    }),
  ]);
  const name = new Map(students.map((s) => [s.id, studentLabel(s.person)]));
  const classOfStudent = new Map(units.map((u) => [u.studentId, u.classId]));
  const absOf = new Map<number, { date: IsoDate; reason: (typeof absences)[number]["reason"] }[]>();
  for (const a of absences)
    absOf.set(a.studentId, [...(absOf.get(a.studentId) ?? []), { date: toIsoDate(a.date), reason: a.reason }]);
  const absence: SystematicAbsenceRow[] = [];
  for (const [studentId, list] of absOf) {
    const r = systematicAbsence(list, DEFAULT_ABSENCE_THRESHOLDS);
    if (!r.systematic || !r.window) continue;
    absence.push({
      studentId,
      label: name.get(studentId) ?? String(studentId),
      className: classById.get(classOfStudent.get(studentId) ?? 0)?.name ?? "",
      days: r.maxDaysInWindow,
      from: r.window.from,
      to: r.window.to,
    });
  }
  const failing: SystematicFailingRow[] = [];
  for (const u of units) {
    const list = marksOf.get(`${u.studentId}:${u.subjectId}`);
    if (!list) continue;
    const r = systematicFailing(list, DEFAULT_FAILING_THRESHOLDS);
    if (!r.systematic) continue;
    failing.push({
      studentId: u.studentId,
      label: name.get(u.studentId) ?? String(u.studentId),
      className: classById.get(u.classId)?.name ?? "",
      subjectName: subjectName.get(u.subjectId) ?? "",
      average: r.average,
      consecutiveFails: r.maxConsecutiveFails,
      reasons: r.reasons,
    });
  }
  const order = (a: { className: string; label: string }, b: { className: string; label: string }) =>
    compareRu(a.className, b.className) || compareRu(a.label, b.label);
  absence.sort(order);
  failing.sort(order);
  return { absence, failing };
}
