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
import type { Db, DbOrTx, Tx } from "../tx.ts";
import { type ClockOptions, fullName, idSchema, parseInput, requirePerson, schoolNow } from "./common.ts";
import { assertPeriodOpen, loadPeriod, lockSharedForWrite, type PeriodInfo } from "./periods.ts";
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
      subject: { select: { name: true } },
      subgroup: { select: { number: true } },
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
  /** Marks counted: the period's marks, or for a year the term marks it is computed from. */
  marksCount: number;
  /** Absences («н») in the subject's lessons of the period. */
  absences: number;
  suggested: string | null;
  /** `late`: entered after the deadline (R-16, flagged, not refused). */
  termGrade: { value: string; authorId: number; updatedAt: string; late: boolean } | null;
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
  /** Today is past the deadline: a mark entered now is late. */
  pastDeadline: boolean;
  locked: boolean;
  /** A pass/fail subject (settings.passFailSubjects): «зач»/«незач» instead of 2..5. */
  passFail: boolean;
  /** What the average is taken over: the period's marks, or the year's term marks (a YEAR period). */
  basis: "marks" | "terms";
  /** No marks are given in this grade: the sheet is for reading only. */
  noMarks: boolean;
  subjectName: string;
  className: string;
  subgroupNo: number | null;
  teacherId: number;
  students: TermSheetRow[];
}

/** Whether the school marks this subject pass/fail (settings.passFailSubjects, names compared case-blind). */
export function isPassFailSubject(settings: SchoolSettings, subjectName: string): boolean {
  const name = subjectName.trim().toLowerCase();
  return settings.passFailSubjects.some((s) => s.trim().toLowerCase() === name);
}

/** A pass/fail subject's suggestion: from the numeric average (a suggested 3 or better passes), else from the share of «зач». */
export function suggestPassFail(
  average: number | null,
  values: readonly string[],
  settings: SchoolSettings,
): string | null {
  if (average !== null) return suggestTermMark(average, settings.thresholds) === "2" ? FAIL : PASS;
  const passes = values.filter((v) => v === PASS).length;
  const fails = values.filter((v) => v === FAIL).length;
  if (passes + fails === 0) return null;
  return passes >= fails ? PASS : FAIL;
}

/** The term marks a year mark is computed from: of the year's periods, the shortest kind present (quarters first). */
async function yearBasisPeriods(db: DbOrTx, schoolId: number, yearId: number): Promise<number[]> {
  const rows = await db.period.findMany({
    where: { schoolId, yearId, kind: { not: "YEAR" } },
    select: { id: true, kind: true },
  });
  for (const kind of ["QUARTER", "TRIMESTER", "HALF"] as const) {
    const of = rows.filter((r) => r.kind === kind);
    if (of.length > 0) return of.map((r) => r.id);
  }
  return [];
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
  const range = { gte: fromIsoDate(period.startsOn), lte: fromIsoDate(period.endsOn) };
  const isYear = period.kind === "YEAR";
  const basisPeriods = isYear ? await yearBasisPeriods(db, actor.schoolId, a.yearId) : [];
  const [marks, grades, absences] = await Promise.all([
    isYear
      ? db.termGrade
          .findMany({
            where: {
              schoolId: actor.schoolId,
              subjectId: a.subjectId,
              studentId: { in: ids },
              periodId: { in: basisPeriods },
            },
            select: { studentId: true, value: true },
          })
          .then((rows) => rows.map((r) => ({ ...r, weight: 1 })))
      : db.mark
          .findMany({
            where: {
              schoolId: actor.schoolId,
              subjectId: a.subjectId,
              studentId: { in: ids },
              status: "ACTIVE",
              date: range,
            },
            select: { studentId: true, value: true, weight: true },
          })
          .then((rows) => rows.map((r) => ({ ...r, weight: r.weight.toNumber() }))),
    db.termGrade.findMany({
      where: { subjectId: a.subjectId, periodId, studentId: { in: ids } },
      select: { studentId: true, value: true, authorId: true, updatedAt: true, late: true },
    }),
    db.attendance.findMany({
      where: {
        schoolId: actor.schoolId,
        studentId: { in: ids },
        status: "ABSENT",
        date: range,
        lesson: { assignment: { subjectId: a.subjectId } },
      },
      select: { studentId: true },
    }),
  ]);
  const absencesOf = new Map<number, number>();
  for (const x of absences) absencesOf.set(x.studentId, (absencesOf.get(x.studentId) ?? 0) + 1);
  const passFail = isPassFailSubject(school.settings, a.subject.name);
  const byStudent = new Map<number, { value: string; weight: number }[]>();
  for (const m of marks) {
    const list = byStudent.get(m.studentId) ?? [];
    list.push({ value: m.value, weight: m.weight });
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
      suggested: passFail
        ? suggestPassFail(
            avg,
            list.map((m) => m.value),
            school.settings,
          )
        : suggestTermMark(avg, school.settings.thresholds),
      absences: absencesOf.get(r.studentId) ?? 0,
      termGrade: g
        ? { value: g.value, authorId: g.authorId, updatedAt: g.updatedAt.toISOString(), late: g.late }
        : null,
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
    pastDeadline: local.date > deadline,
    locked: period.closedAt !== null,
    passFail,
    basis: isYear ? "terms" : "marks",
    noMarks: school.settings.gradesWithoutMarks.includes(a.class.grade),
    subjectName: a.subject.name,
    className: a.class.name,
    subgroupNo: a.subgroup?.number ?? null,
    teacherId: a.teacherId,
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

type LoadedAssignment = Awaited<ReturnType<typeof loadAssignment>>;

/** Who may write the assignment's term marks: its teacher, or the administration (term-grade.write.all). */
function requireTermWrite(actor: AnyActor, a: LoadedAssignment): number {
  if (!(a.teacherId === (actor.system ? -1 : actor.personId) || can(actor, "term-grade.write.all"))) {
    throw forbidden({ assignmentId: a.id });
  }
  return requirePerson(actor);
}

/**
 * Inside the write transaction: an open period, or a closed one corrected by the administration with a reason
 * the correction stays in the audit with its reason). Anyone else gets LOCKED_PERIOD.
 */
async function assertTermWritable(tx: Tx, actor: AnyActor, period: PeriodInfo, reason: string | undefined) {
  if (reason && can(actor, "term-grade.write.all")) {
    await lockSharedForWrite(tx, actor.schoolId);
    return;
  }
  await assertPeriodOpen(tx, actor.schoolId, period);
}

/** Upserts term marks with their audit events and `term-grade.set` outbox rows; unchanged values write nothing. */
async function writeTermGrades(
  tx: Tx,
  actor: AnyActor,
  authorId: number,
  a: LoadedAssignment,
  period: PeriodInfo,
  entries: { studentId: number; value: string }[],
  flags: { late: boolean; reason?: string; accepted?: boolean },
): Promise<SetTermGradeResult[]> {
  const out: SetTermGradeResult[] = [];
  const before = await tx.termGrade.findMany({
    where: { subjectId: a.subjectId, periodId: period.periodId, studentId: { in: entries.map((e) => e.studentId) } },
    select: { studentId: true, value: true, id: true },
  });
  const previousOf = new Map(before.map((b) => [b.studentId, b]));
  for (const e of entries) {
    const key = { studentId: e.studentId, subjectId: a.subjectId, periodId: period.periodId };
    const prev = previousOf.get(e.studentId);
    if (prev?.value === e.value) {
      out.push({ termGradeId: prev.id, ...key, value: e.value, previous: prev.value, late: flags.late });
      continue;
    }
    const row = await tx.termGrade.upsert({
      where: { studentId_subjectId_periodId: key },
      create: { schoolId: actor.schoolId, ...key, value: e.value, authorId, late: flags.late },
      update: { value: e.value, authorId, late: flags.late },
    });
    await appendAudit(tx, actor, {
      action: "term-grade.set",
      entity: "TermGrade",
      entityId: row.id,
      data: {
        ...key,
        old: prev?.value ?? null,
        new: e.value,
        ...(flags.late ? { late: true } : {}),
        ...(flags.reason ? { reason: flags.reason } : {}),
        ...(flags.accepted ? { suggested: true } : {}),
        ...(period.closedAt ? { closedPeriod: true } : {}),
      },
    });
    await enqueueOutbox(tx, actor.schoolId, { kind: "term-grade.set", payload: { termGradeId: row.id } });
    out.push({ termGradeId: row.id, ...key, value: e.value, previous: prev?.value ?? null, late: flags.late });
  }
  return out;
}

const reasonSchema = z.string().trim().min(1).max(500);

/**
 * Sets a student's term mark: the assignment's teacher, or the administration (term-grade.write.all). After the
 * deadline the mark is taken and flagged late; in a closed period only the administration, with a reason.
 */
export async function setTermGrade(
  db: Db,
  actor: AnyActor,
  input: { assignmentId: number; periodId: number; studentId: number; value: string; reason?: string },
  opts: ClockOptions = {},
): Promise<SetTermGradeResult> {
  const a = await loadAssignment(db, actor, Number(input?.assignmentId));
  const authorId = requireTermWrite(actor, a);
  const data = parseInput(
    z.object({
      assignmentId: idSchema,
      periodId: idSchema,
      studentId: idSchema,
      value: z.string().min(1).max(16),
      reason: reasonSchema.optional(),
    }),
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
  if (period.closedAt && !data.reason && can(actor, "term-grade.write.all")) {
    throw invalid({ issues: [{ path: "reason", code: "required", message: "a closed period needs a reason" }] });
  }
  const late = local.date > termGradeDeadline(period, school.settings);
  return db.$transaction(async (tx) => {
    await assertTermWritable(tx, actor, period, data.reason);
    const [res] = await writeTermGrades(tx, actor, authorId, a, period, [{ studentId: data.studentId, value }], {
      late,
      reason: data.reason,
    });
    return res;
  });
}

export interface AcceptSuggestionsResult {
  /** Students whose empty term mark was set to the suggestion. */
  accepted: SetTermGradeResult[];
  /** Students left as they were: a term mark already given, or no suggestion (no marks). */
  skipped: number;
  late: boolean;
}

/**
 * «Принять все предложения»: every student of the sheet without a term mark gets the suggested one, in one
 * transaction; marks already given (by the teacher's own choice) are never overwritten.
 */
export async function acceptTermSuggestions(
  db: Db,
  actor: AnyActor,
  input: { assignmentId: number; periodId: number },
  opts: ClockOptions = {},
): Promise<AcceptSuggestionsResult> {
  const a = await loadAssignment(db, actor, Number(input?.assignmentId));
  const authorId = requireTermWrite(actor, a);
  const sheet = await termSheet(db, actor, input, opts);
  if (sheet.noMarks) throw new AppError("NO_MARKS_FOR_GRADE", { grade: a.class.grade });
  const period = await loadPeriod(db, actor.schoolId, sheet.period.periodId);
  const entries = sheet.students
    .filter((r) => !r.termGrade && r.suggested !== null)
    .map((r) => ({ studentId: r.studentId, value: r.suggested as string }));
  const accepted = await db.$transaction(async (tx) => {
    await assertPeriodOpen(tx, actor.schoolId, period);
    return writeTermGrades(tx, actor, authorId, a, period, entries, { late: sheet.pastDeadline, accepted: true });
  });
  return { accepted, skipped: sheet.students.length - accepted.length, late: sheet.pastDeadline };
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

export interface TermAssignment {
  assignmentId: number;
  className: string;
  subgroupNo: number | null;
  subjectName: string;
}

/** /terms: the actor's own teaching assignments of the open year, by class and subject (term marks are per assignment). */
export async function myTermAssignments(db: DbOrTx, actor: AnyActor): Promise<TermAssignment[]> {
  const personId = requirePerson(actor);
  const rows = await db.teachingAssignment.findMany({
    where: { schoolId: actor.schoolId, teacherId: personId, endedAt: null, year: { closedAt: null } },
    select: {
      id: true,
      class: { select: { name: true, grade: true } },
      subgroup: { select: { number: true } },
      subject: { select: { name: true } },
    },
  });
  return rows
    .map((r) => ({
      assignmentId: r.id,
      className: r.class.name,
      grade: r.class.grade,
      subgroupNo: r.subgroup?.number ?? null,
      subjectName: r.subject.name,
    }))
    .sort(
      (a, b) =>
        a.grade - b.grade ||
        a.className.localeCompare(b.className, "ru") ||
        a.subjectName.localeCompare(b.subjectName, "ru") ||
        (a.subgroupNo ?? 0) - (b.subgroupNo ?? 0),
    )
    .map(({ grade: _grade, ...rest }) => rest);
}
