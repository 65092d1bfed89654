// Entering marks: one call for one student or a whole roster; several marks per student per
// lesson; values on the school's scale; the work type's weight is copied onto the mark; parents hear of a mark
// only after the author's grace period (so a typo fixed in time is never announced).
import { z } from "zod";
import { requireLessonWrite } from "../access/lessons.ts";
import type { AnyActor } from "../actor.ts";
import { appendAudit } from "../audit.ts";
import { daysBetween, fromIsoDate, type IsoDate, toIsoDate } from "../dates.ts";
import { AppError, invalid } from "../errors.ts";
import { NOT_ATTESTED, normaliseMarkInput } from "../grading/mark-values.ts";
import { enqueueOutbox } from "../outbox.ts";
import { type SchoolSettings, workTypeOf } from "../settings.ts";
import type { Db } from "../tx.ts";
import { type ClockOptions, idSchema, parseInput, requirePerson, schoolNow } from "./common.ts";
import { assertDatesOpen } from "./periods.ts";
import { rosterOf } from "./roster.ts";

export type MarkStatus = "ACTIVE" | "SUPERSEDED" | "VOIDED";

export interface MarkView {
  markId: number;
  lessonId: number;
  studentId: number;
  subjectId: number;
  date: IsoDate;
  workType: string;
  weight: number;
  value: string;
  comment: string | null;
  status: MarkStatus;
  authorId: number;
  supersedesId: number | null;
  correctionReason: string | null;
  createdAt: string;
}

export interface MarkRow {
  id: number;
  lessonId: number;
  studentId: number;
  subjectId: number;
  date: Date;
  workType: string;
  weight: { toNumber(): number } | number;
  value: string;
  comment: string | null;
  status: MarkStatus;
  authorId: number;
  supersedesId: number | null;
  correctionReason: string | null;
  createdAt: Date;
}

export function markView(m: MarkRow): MarkView {
  return {
    markId: m.id,
    lessonId: m.lessonId,
    studentId: m.studentId,
    subjectId: m.subjectId,
    date: toIsoDate(m.date),
    workType: m.workType,
    weight: typeof m.weight === "number" ? m.weight : m.weight.toNumber(),
    value: m.value,
    comment: m.comment,
    status: m.status,
    authorId: m.authorId,
    supersedesId: m.supersedesId,
    correctionReason: m.correctionReason,
    createdAt: m.createdAt.toISOString(),
  };
}

/** The stored value of a lesson mark: the school's scale, or «н/а» where the school allows it; null otherwise. */
export function lessonMarkValue(input: string, settings: SchoolSettings): string | null {
  const value = normaliseMarkInput(input, settings.scale);
  if (value === null) return null;
  if (settings.scale.includes(value)) return value;
  if (value === NOT_ATTESTED && settings.allowNotAttested) return value;
  return null;
}

/** a written work's marks are late when the lesson is more than `writtenWorkDays` before today. */
export function isLateWrittenEntry(settings: SchoolSettings, workType: string, lessonDate: IsoDate, today: IsoDate) {
  const wt = workTypeOf(settings, workType);
  return !!wt?.written && daysBetween(lessonDate, today) > settings.writtenWorkDays;
}

export const commentSchema = z.string().trim().max(500);

const addMarksSchema = z.object({
  lessonId: idSchema,
  workType: z.string().min(1).max(24),
  entries: z
    .array(z.object({ studentId: idSchema, value: z.string().min(1).max(16), comment: commentSchema.optional() }))
    .min(1)
    .max(200),
});

export interface AddMarksInput {
  lessonId: number;
  workType: string;
  entries: { studentId: number; value: string; comment?: string }[];
}

export interface AddMarksResult {
  lessonId: number;
  date: IsoDate;
  workType: string;
  weight: number;
  /** written work entered more than `writtenWorkDays` after the lesson. */
  lateEntry: boolean;
  /** The created marks, in the order of the entries (their ids serve an undo button). */
  marks: MarkView[];
}

type Issue = { path: string; code: string; message: string };

/** Adds marks to a lesson for one student or a whole roster, all or nothing. */
export async function addMarks(
  db: Db,
  actor: AnyActor,
  input: AddMarksInput,
  opts: ClockOptions = {},
): Promise<AddMarksResult> {
  const ctx = await requireLessonWrite(db, actor, Number((input as Partial<AddMarksInput> | undefined)?.lessonId));
  const authorId = requirePerson(actor);
  const data = parseInput(addMarksSchema, input);
  const { school, now, local } = await schoolNow(db, actor.schoolId, opts);
  const settings = school.settings;
  if (settings.gradesWithoutMarks.includes(ctx.grade)) {
    throw new AppError("NO_MARKS_FOR_GRADE", { grade: ctx.grade, lessonId: ctx.lessonId });
  }

  const issues: Issue[] = [];
  const workType = workTypeOf(settings, data.workType);
  if (!workType) issues.push({ path: "workType", code: "unknown_work_type", message: "not a work type of the school" });
  const values = data.entries.map((e, i) => {
    const v = lessonMarkValue(e.value, settings);
    if (v === null)
      issues.push({ path: `entries.${i}.value`, code: "not_on_scale", message: "not a mark of the scale" });
    return v;
  });
  const roster = new Set((await rosterOf(db, ctx, ctx.date)).map((r) => r.studentId));
  data.entries.forEach((e, i) => {
    if (!roster.has(e.studentId)) {
      issues.push({ path: `entries.${i}.studentId`, code: "not_on_roster", message: "not on the lesson's roster" });
    }
  });
  if (issues.length > 0 || !workType) throw invalid({ issues });

  const lesson = await db.lesson.findUniqueOrThrow({ where: { id: ctx.lessonId }, select: { status: true } });
  if (lesson.status === "CANCELLED") throw new AppError("CONFLICT", { lessonId: ctx.lessonId, status: "CANCELLED" });

  const lateEntry = isLateWrittenEntry(settings, workType.code, ctx.date, local.date);
  const announceAt = new Date(now.getTime() + settings.graceMinutes * 60_000);
  const created = await db.$transaction(async (tx) => {
    await assertDatesOpen(tx, actor.schoolId, [ctx.date]);
    const rows = await tx.mark.createManyAndReturn({
      data: data.entries.map((e, i) => ({
        schoolId: actor.schoolId,
        studentId: e.studentId,
        lessonId: ctx.lessonId,
        subjectId: ctx.subjectId,
        date: fromIsoDate(ctx.date),
        workType: workType.code,
        weight: workType.weight,
        value: values[i] as string,
        comment: e.comment ? e.comment : null,
        authorId,
        createdAt: now,
      })),
    });
    // createManyAndReturn keeps the order of `data` in PostgreSQL (one INSERT … RETURNING); sort by id to be sure.
    rows.sort((a, b) => a.id - b.id);
    await appendAudit(
      tx,
      actor,
      rows.map((m) => ({
        action: "mark.create",
        entity: "Mark",
        entityId: m.id,
        data: {
          lessonId: m.lessonId,
          studentId: m.studentId,
          value: m.value,
          workType: m.workType,
          weight: workType.weight,
          ...(lateEntry ? { lateEntry: true } : {}),
        },
      })),
    );
    await enqueueOutbox(
      tx,
      actor.schoolId,
      rows.map((m) => ({ kind: "mark.created", payload: { markId: m.id }, availableAt: announceAt })),
    );
    return rows;
  });
  return {
    lessonId: ctx.lessonId,
    date: ctx.date,
    workType: workType.code,
    weight: workType.weight,
    lateEntry,
    marks: created.map(markView),
  };
}
