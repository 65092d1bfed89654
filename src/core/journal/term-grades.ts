// Term marks: the sheet of a class (or subgroup) for a period with each student's weighted average and the
// suggested mark, entry by the assignment's teacher (or the administration), the deadline after the period's end,
// and which assignments still miss term marks. A closed period's term marks are locked.
import { z } from "zod";
import { can } from "../access/permissions.ts";
import type { AnyActor } from "../actor.ts";
import { appendAudit } from "../audit.ts";
import { addDays, fromIsoDate, type IsoDate } from "../dates.ts";
import { AppError, forbidden, invalid } from "../errors.ts";
import { roundAverage, weightedAverage } from "../grading/average.ts";
import { EXEMPT, FAIL, NOT_ATTESTED, normaliseMarkInput, PASS } from "../grading/mark-values.ts";
import { suggestTermMark } from "../grading/term-suggestion.ts";
import { enqueueOutbox } from "../outbox.ts";
import type { SchoolSettings } from "../settings.ts";
import type { Db, DbOrTx } from "../tx.ts";
import { type ClockOptions, fullName, idSchema, parseInput, requirePerson, schoolNow } from "./common.ts";
import { assertPeriodOpen, loadPeriod, type PeriodInfo } from "./periods.ts";
import { rosterOf } from "./roster.ts";

async function loadAssignment(db: DbOrTx, actor: AnyActor, assignmentId: number) {
  const a = await db.teachingAssignment.findFirst({
    where: { id: assignmentId, schoolId: actor.schoolId },
    select: {
      id: true,
      yearId: true,
      teacherId: true,
      subjectId: true,
      classId: true,
      subgroupId: true,
      class: { select: { grade: true, name: true, classTeacherId: true } },
    },
  });
  if (!a) throw forbidden({ assignmentId });
  return a;
}

/** The deadline for a period's term marks: its last day plus `termGradeDeadlineDays`. */
export function termGradeDeadline(period: PeriodInfo, settings: SchoolSettings): IsoDate {
  return addDays(period.endsOn, settings.termGradeDeadlineDays);
}

/** Term-mark values: the school's scale, «н/а», «осв», «зач», «незач». */
export function termGradeValue(input: string, settings: SchoolSettings): string | null {
  const value = normaliseMarkInput(input, settings.scale);
  if (value === null) return null;
  if (settings.scale.includes(value) || [NOT_ATTESTED, EXEMPT, PASS, FAIL].includes(value)) return value;
  return null;
}

function samePeriodYear(period: PeriodInfo, yearId: number): void {
  if (period.yearId !== yearId) {
    throw invalid({ issues: [{ path: "periodId", code: "other_year", message: "period of another year" }] });
  }
}

export interface TermSheetRow {
  studentId: number;
  name: string;
  no: number;
  /** Weighted average of the period's active marks in the subject, 2 decimals; null without numeric marks. */
  average: number | null;
  marksCount: number;
  suggested: string | null;
  termGrade: { value: string; authorId: number; updatedAt: string } | null;
}

export interface TermSheetResult {
  assignmentId: number;
  subjectId: number;
  classId: number;
  subgroupId: number | null;
  period: PeriodInfo;
  deadline: IsoDate;
  /** The deadline passed with term marks still missing. */
  overdue: boolean;
  locked: boolean;
  students: TermSheetRow[];
}

/** The term sheet: teacher of the assignment, class teacher, administration. */
export async function termSheet(
  db: Db,
  actor: AnyActor,
  input: { assignmentId: number; periodId: number },
  opts: ClockOptions = {},
): Promise<TermSheetResult> {
  const a = await loadAssignment(db, actor, Number(input?.assignmentId));
  const personId = actor.system ? -1 : actor.personId;
  if (!(a.teacherId === personId || a.class.classTeacherId === personId || can(actor, "journal.read.all"))) {
    throw forbidden({ assignmentId: a.id });
  }
  const { periodId } = parseInput(z.object({ assignmentId: idSchema, periodId: idSchema }), input);
  const period = await loadPeriod(db, actor.schoolId, periodId);
  samePeriodYear(period, a.yearId);
  const { school, local } = await schoolNow(db, actor.schoolId, opts);
  const roster = await rosterOf(db, { schoolId: actor.schoolId, ...a }, period.endsOn);
  const ids = roster.map((r) => r.studentId);
  const [marks, grades] = await Promise.all([
    db.mark.findMany({
      where: {
        schoolId: actor.schoolId,
        subjectId: a.subjectId,
        studentId: { in: ids },
        status: "ACTIVE",
        date: { gte: fromIsoDate(period.startsOn), lte: fromIsoDate(period.endsOn) },
      },
      select: { studentId: true, value: true, weight: true },
    }),
    db.termGrade.findMany({
      where: { subjectId: a.subjectId, periodId, studentId: { in: ids } },
      select: { studentId: true, value: true, authorId: true, updatedAt: true },
    }),
  ]);
  const byStudent = new Map<number, { value: string; weight: number }[]>();
  for (const m of marks) {
    const list = byStudent.get(m.studentId) ?? [];
    list.push({ value: m.value, weight: m.weight.toNumber() });
    byStudent.set(m.studentId, list);
  }
  const gradeOf = new Map(grades.map((g) => [g.studentId, g]));
  const deadline = termGradeDeadline(period, school.settings);
  const students = roster.map((r) => {
    const list = byStudent.get(r.studentId) ?? [];
    const avg = weightedAverage(list);
    const g = gradeOf.get(r.studentId);
    return {
      studentId: r.studentId,
      name: fullName(r),
      no: r.no,
      average: avg === null ? null : roundAverage(avg, 2),
      marksCount: list.length,
      suggested: suggestTermMark(avg, school.settings.thresholds),
      termGrade: g ? { value: g.value, authorId: g.authorId, updatedAt: g.updatedAt.toISOString() } : null,
    };
  });
  return {
    assignmentId: a.id,
    subjectId: a.subjectId,
    classId: a.classId,
    subgroupId: a.subgroupId,
    period,
    deadline,
    overdue: local.date > deadline && students.some((s) => !s.termGrade),
    locked: period.closedAt !== null,
    students,
  };
}

export interface SetTermGradeResult {
  termGradeId: number;
  studentId: number;
  subjectId: number;
  periodId: number;
  value: string;
  previous: string | null;
  /** Entered after the deadline (reported, not refused). */
  late: boolean;
}

/** Sets a student's term mark: the assignment's teacher, or the administration (term-grade.write.all). */
export async function setTermGrade(
  db: Db,
  actor: AnyActor,
  input: { assignmentId: number; periodId: number; studentId: number; value: string },
  opts: ClockOptions = {},
): Promise<SetTermGradeResult> {
  const a = await loadAssignment(db, actor, Number(input?.assignmentId));
  if (!(a.teacherId === (actor.system ? -1 : actor.personId) || can(actor, "term-grade.write.all"))) {
    throw forbidden({ assignmentId: a.id });
  }
  const authorId = requirePerson(actor);
  const data = parseInput(
    z.object({ assignmentId: idSchema, periodId: idSchema, studentId: idSchema, value: z.string().min(1).max(16) }),
    input,
  );
  const period = await loadPeriod(db, actor.schoolId, data.periodId);
  samePeriodYear(period, a.yearId);
  const { school, local } = await schoolNow(db, actor.schoolId, opts);
  if (school.settings.gradesWithoutMarks.includes(a.class.grade)) {
    throw new AppError("NO_MARKS_FOR_GRADE", { grade: a.class.grade });
  }
  const issues: { path: string; code: string; message: string }[] = [];
  const value = termGradeValue(data.value, school.settings);
  if (value === null) issues.push({ path: "value", code: "not_a_term_mark", message: "not a term mark" });
  const roster = await rosterOf(db, { schoolId: actor.schoolId, ...a }, period.endsOn);
  if (!roster.some((r) => r.studentId === data.studentId)) {
    issues.push({ path: "studentId", code: "not_on_roster", message: "not on the roster at the period's end" });
  }
  if (issues.length > 0 || value === null) throw invalid({ issues });

  return db.$transaction(async (tx) => {
    await assertPeriodOpen(tx, actor.schoolId, period);
    const key = { studentId: data.studentId, subjectId: a.subjectId, periodId: period.periodId };
    const before = await tx.termGrade.findUnique({
      where: { studentId_subjectId_periodId: key },
      select: { value: true },
    });
    const row = await tx.termGrade.upsert({
      where: { studentId_subjectId_periodId: key },
      create: { schoolId: actor.schoolId, ...key, value, authorId },
      update: { value, authorId },
    });
    const late = local.date > termGradeDeadline(period, school.settings);
    if (before?.value !== value) {
      await appendAudit(tx, actor, {
        action: "term-grade.set",
        entity: "TermGrade",
        entityId: row.id,
        data: { ...key, old: before?.value ?? null, new: value, ...(late ? { late: true } : {}) },
      });
      await enqueueOutbox(tx, actor.schoolId, { kind: "term-grade.set", payload: { termGradeId: row.id } });
    }
    return { termGradeId: row.id, ...key, value, previous: before?.value ?? null, late };
  });
}

export interface TermGradeGap {
  assignmentId: number;
  teacherId: number;
  teacherName: string;
  classId: number;
  className: string;
  subgroupId: number | null;
  subjectId: number;
  subjectName: string;
  students: number;
  missing: number;
}

export interface TermGradeDeadlinesResult {
  period: PeriodInfo;
  deadline: IsoDate;
  /** Today is past the deadline: the gaps below are overdue. */
  overdue: boolean;
  /** Assignments with term marks missing (of the actor's own assignments for a teacher). */
  assignments: TermGradeGap[];
}

/** R-16 deadline control: administration (report.school) sees the school, a teacher their own assignments. */
export async function termGradeDeadlines(
  db: Db,
  actor: AnyActor,
  input: { periodId: number },
  opts: ClockOptions = {},
): Promise<TermGradeDeadlinesResult> {
  const all = can(actor, "report.school");
  if (!all && (actor.system || !actor.roles.includes("TEACHER"))) throw forbidden({ permission: "report.school" });
  const { periodId } = parseInput(z.object({ periodId: idSchema }), input);
  const period = await loadPeriod(db, actor.schoolId, periodId);
  const { school, local } = await schoolNow(db, actor.schoolId, opts);
  const end = fromIsoDate(period.endsOn);
  const assignments = await db.teachingAssignment.findMany({
    where: {
      schoolId: actor.schoolId,
      yearId: period.yearId,
      OR: [{ endedAt: null }, { endedAt: { gt: end } }],
      class: { grade: { notIn: school.settings.gradesWithoutMarks } },
      ...(all ? {} : { teacherId: actor.personId as number }),
    },
    select: {
      id: true,
      teacherId: true,
      classId: true,
      subgroupId: true,
      subjectId: true,
      teacher: { select: { lastName: true, firstName: true } },
      class: { select: { name: true } },
      subject: { select: { name: true } },
    },
    orderBy: [{ classId: "asc" }, { subjectId: "asc" }, { id: "asc" }],
  });
  const active = { fromDate: { lte: end }, OR: [{ toDate: null }, { toDate: { gt: end } }] };
  const classIds = [...new Set(assignments.map((x) => x.classId))];
  const subgroupIds = [...new Set(assignments.flatMap((x) => (x.subgroupId ? [x.subgroupId] : [])))];
  const [enrollments, members, grades] = await Promise.all([
    db.enrollment.findMany({
      where: { schoolId: actor.schoolId, classId: { in: classIds }, ...active },
      select: { classId: true, studentId: true },
    }),
    db.subgroupMember.findMany({
      where: { schoolId: actor.schoolId, subgroupId: { in: subgroupIds }, ...active },
      select: { subgroupId: true, studentId: true },
    }),
    db.termGrade.findMany({
      where: { schoolId: actor.schoolId, periodId },
      select: { studentId: true, subjectId: true },
    }),
  ]);
  const classStudents = new Map<number, Set<number>>();
  for (const e of enrollments) {
    const set = classStudents.get(e.classId) ?? new Set<number>();
    set.add(e.studentId);
    classStudents.set(e.classId, set);
  }
  const groupStudents = new Map<number, Set<number>>();
  for (const m of members) {
    const set = groupStudents.get(m.subgroupId) ?? new Set<number>();
    set.add(m.studentId);
    groupStudents.set(m.subgroupId, set);
  }
  const graded = new Set(grades.map((g) => `${g.studentId}:${g.subjectId}`));
  const gaps: TermGradeGap[] = [];
  for (const x of assignments) {
    const inClass = classStudents.get(x.classId) ?? new Set<number>();
    const roster = x.subgroupId
      ? [...inClass].filter((id) => groupStudents.get(x.subgroupId as number)?.has(id))
      : [...inClass];
    const missing = roster.filter((id) => !graded.has(`${id}:${x.subjectId}`)).length;
    if (missing === 0) continue;
    gaps.push({
      assignmentId: x.id,
      teacherId: x.teacherId,
      teacherName: fullName(x.teacher),
      classId: x.classId,
      className: x.class.name,
      subgroupId: x.subgroupId,
      subjectId: x.subjectId,
      subjectName: x.subject.name,
      students: roster.length,
      missing,
    });
  }
  const deadline = termGradeDeadline(period, school.settings);
  return { period, deadline, overdue: local.date > deadline, assignments: gaps };
}
