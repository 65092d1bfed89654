// A student's marks for the family (issue 5 item 2): by subject for a period (the current one by default) with
// the weighted average, and one subject's marks with dates, work types, weights, comments and corrections.
import { z } from "zod";
import type { AnyActor } from "../actor.ts";
import { fromIsoDate } from "../dates.ts";
import { invalid } from "../errors.ts";
import { roundAverage, weightedAverage } from "../grading/average.ts";
import { type ClockOptions, idSchema, parseInput, schoolNow } from "../journal/common.ts";
import { loadPeriod, type PeriodInfo, periodAt } from "../journal/periods.ts";
import type { Db, DbOrTx } from "../tx.ts";
import { familyAccess, logFamilyView } from "./family-read.ts";
import { displayMarks, type FamilyMark, loadStudentMarks, type WithdrawnMark } from "./mark-display.ts";
import { loadStudentScope } from "./student-scope.ts";

export interface SubjectMarks {
  subjectId: number;
  name: string;
  short: string;
  marks: FamilyMark[];
  withdrawn: WithdrawnMark[];
  /** Weighted average of the shown marks, 2 decimals; null without numeric marks. */
  average: number | null;
  termGrade: string | null;
}

export interface StudentMarksResult {
  studentId: number;
  period: PeriodInfo | null;
  subjects: SubjectMarks[];
}

async function choosePeriod(db: DbOrTx, schoolId: number, periodId: number | undefined, today: string) {
  if (periodId) return loadPeriod(db, schoolId, periodId);
  return periodAt(db, schoolId, today);
}

async function subjectsMarks(
  db: DbOrTx,
  actor: AnyActor,
  studentId: number,
  period: PeriodInfo,
  hideGraceBefore: Date | null,
  onlySubjectId?: number,
): Promise<SubjectMarks[]> {
  const from = fromIsoDate(period.startsOn);
  const to = fromIsoDate(period.endsOn);
  const scope = await loadStudentScope(db, actor.schoolId, studentId, period.startsOn, period.endsOn);
  const [assignments, rows, grades] = await Promise.all([
    db.teachingAssignment.findMany({
      where: {
        schoolId: actor.schoolId,
        yearId: period.yearId,
        classId: { in: scope.classIds },
        ...(onlySubjectId ? { subjectId: onlySubjectId } : {}),
      },
      select: { subjectId: true, subgroupId: true },
    }),
    loadStudentMarks(db, actor.schoolId, studentId, from, to, onlySubjectId),
    db.termGrade.findMany({
      where: { studentId, periodId: period.periodId, ...(onlySubjectId ? { subjectId: onlySubjectId } : {}) },
      select: { subjectId: true, value: true },
    }),
  ]);
  const mySubgroups = new Set(scope.subgroups.map((g) => g.subgroupId));
  const subjectIds = new Set<number>();
  for (const a of assignments) if (a.subgroupId === null || mySubgroups.has(a.subgroupId)) subjectIds.add(a.subjectId);
  for (const r of rows) subjectIds.add(r.subjectId);
  for (const g of grades) subjectIds.add(g.subjectId);
  if (onlySubjectId) subjectIds.add(onlySubjectId);
  const subjects = await db.subject.findMany({
    where: { id: { in: [...subjectIds] }, schoolId: actor.schoolId },
    select: { id: true, name: true, short: true },
  });
  const { marks, withdrawn } = displayMarks(rows, { hideGraceBefore });
  const termOf = new Map(grades.map((g) => [g.subjectId, g.value]));
  return subjects
    .map((s) => {
      const own = marks.filter((m) => m.subjectId === s.id);
      const avg = weightedAverage(own);
      return {
        subjectId: s.id,
        name: s.name,
        short: s.short,
        marks: own,
        withdrawn: withdrawn.filter((m) => m.subjectId === s.id),
        average: avg === null ? null : roundAverage(avg, 2),
        termGrade: termOf.get(s.id) ?? null,
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name, "ru"));
}

function graceCutoff(family: boolean, now: Date, graceMinutes: number): Date | null {
  return family ? new Date(now.getTime() - graceMinutes * 60_000) : null;
}

/** Marks by subject for a period (default: the current one), with weighted averages and term marks. */
export async function studentMarks(
  db: Db,
  actor: AnyActor,
  input: { studentId: number; periodId?: number },
  opts: ClockOptions = {},
): Promise<StudentMarksResult> {
  const reader = await familyAccess(db, actor, Number(input?.studentId), "marks");
  const data = parseInput(z.object({ studentId: idSchema, periodId: idSchema.optional() }), input);
  const { school, now, local } = await schoolNow(db, actor.schoolId, opts);
  const period = await choosePeriod(db, actor.schoolId, data.periodId, local.date);
  await logFamilyView(db, actor, reader);
  if (!period) return { studentId: data.studentId, period: null, subjects: [] };
  const subjects = await subjectsMarks(
    db,
    actor,
    data.studentId,
    period,
    graceCutoff(reader.family, now, school.settings.graceMinutes),
  );
  return { studentId: data.studentId, period, subjects };
}

export interface StudentSubjectMarksResult extends SubjectMarks {
  studentId: number;
  period: PeriodInfo | null;
  /** Topics of the lessons the marks were given at, by lesson id. */
  topics: Record<string, string | null>;
}

/** One subject's marks for a period with dates, work types, weights, comments and corrections. */
export async function studentSubjectMarks(
  db: Db,
  actor: AnyActor,
  input: { studentId: number; subjectId: number; periodId?: number },
  opts: ClockOptions = {},
): Promise<StudentSubjectMarksResult> {
  const reader = await familyAccess(db, actor, Number(input?.studentId), "subject-marks");
  const data = parseInput(z.object({ studentId: idSchema, subjectId: idSchema, periodId: idSchema.optional() }), input);
  const subject = await db.subject.findFirst({
    where: { id: data.subjectId, schoolId: actor.schoolId },
    select: { id: true, name: true, short: true },
  });
  if (!subject) throw invalid({ issues: [{ path: "subjectId", code: "unknown", message: "no such subject" }] });
  const { school, now, local } = await schoolNow(db, actor.schoolId, opts);
  const period = await choosePeriod(db, actor.schoolId, data.periodId, local.date);
  await logFamilyView(db, actor, reader);
  const empty = { marks: [], withdrawn: [], average: null, termGrade: null };
  if (!period) {
    return {
      studentId: data.studentId,
      period: null,
      subjectId: subject.id,
      name: subject.name,
      short: subject.short,
      topics: {},
      ...empty,
    };
  }
  const [one] = await subjectsMarks(
    db,
    actor,
    data.studentId,
    period,
    graceCutoff(reader.family, now, school.settings.graceMinutes),
    subject.id,
  );
  const base = one ?? { subjectId: subject.id, name: subject.name, short: subject.short, ...empty };
  const lessonIds = [...new Set([...base.marks, ...base.withdrawn].map((m) => m.lessonId))];
  const lessons = await db.lesson.findMany({ where: { id: { in: lessonIds } }, select: { id: true, topic: true } });
  return {
    studentId: data.studentId,
    period,
    ...base,
    topics: Object.fromEntries(lessons.map((l) => [String(l.id), l.topic])),
  };
}
