// Corrections of marks. A mark is never overwritten or deleted once a family may have seen it:
// - its author may fix a typo in place, or undo it, within the grace period (before any parent is told);
// - within the correction window the author corrects with a reason: the old mark is SUPERSEDED by a new one;
// - after the window only the administration (journal.correct.late) may, with a reason.
// Old value, new value, who, when and why stay in the audit trail and in the superseded row.
import { z } from "zod";
import { resolveLessons } from "../access/lessons.ts";
import { can } from "../access/permissions.ts";
import { requireStudentRead } from "../access/students.ts";
import type { AnyActor } from "../actor.ts";
import { appendAudit } from "../audit.ts";
import { daysBetween, localMoment } from "../dates.ts";
import { AppError, forbidden, invalid } from "../errors.ts";
import { enqueueOutbox } from "../outbox.ts";
import type { SchoolSettings } from "../settings.ts";
import type { Db, DbOrTx, Tx } from "../tx.ts";
import {
  type ClockOptions,
  fullName,
  idSchema,
  parseInput,
  requirePerson,
  type SchoolNow,
  schoolNow,
} from "./common.ts";
import { commentSchema, lessonMarkValue, type MarkRow, type MarkView, markView } from "./marks.ts";
import { assertDatesOpen, closedPeriodsAt, lockSharedForWrite } from "./periods.ts";

/**
 * Inside the write transaction: the mark's date must be in an open period, except for the administration's
 * reasoned late correction, which may change a closed period's mark (decide() allowed it).
 */
async function assertCorrectable(tx: Tx, actor: AnyActor, mode: Mode, date: string): Promise<void> {
  if (mode === "late-correction") await lockSharedForWrite(tx, actor.schoolId);
  else await assertDatesOpen(tx, actor.schoolId, [date]);
}

type LoadedMark = MarkRow & { schoolId: number; announcedAt: Date | null };

const MARK_SELECT = {
  id: true,
  schoolId: true,
  lessonId: true,
  studentId: true,
  subjectId: true,
  date: true,
  workType: true,
  weight: true,
  value: true,
  comment: true,
  status: true,
  authorId: true,
  supersedesId: true,
  correctionReason: true,
  createdAt: true,
  announcedAt: true,
} as const;

/** How the actor may change a mark now. */
type Mode = "grace" | "correction" | "late-correction";

interface Decision {
  mark: LoadedMark;
  mode: Mode;
}

async function loadMark(db: DbOrTx, schoolId: number, markId: number): Promise<LoadedMark | null> {
  return db.mark.findFirst({ where: { id: markId, schoolId }, select: MARK_SELECT });
}

/** The first mark of a correction chain: the correction window runs from when the mark was first given. */
async function chainRoot(db: DbOrTx, mark: LoadedMark): Promise<LoadedMark> {
  let cur = mark;
  for (let i = 0; i < 100 && cur.supersedesId !== null; i++) {
    const prev = await loadMark(db, cur.schoolId, cur.supersedesId);
    if (!prev) break;
    cur = prev;
  }
  return cur;
}

function withinGrace(mark: LoadedMark, settings: SchoolSettings, now: Date): boolean {
  return (
    mark.supersedesId === null &&
    mark.announcedAt === null &&
    now.getTime() - mark.createdAt.getTime() <= settings.graceMinutes * 60_000
  );
}

/**
 * Access first: the author (who still writes the lesson) or the administration; anyone else FORBIDDEN, an id of
 * another school too. Then which kind of change is open to them.
 */
async function decide(db: DbOrTx, actor: AnyActor, markId: number, clock: SchoolNow): Promise<Decision> {
  const mark = await loadMark(db, actor.schoolId, markId);
  if (!mark) throw forbidden({ markId });
  const late = can(actor, "journal.correct.late");
  const isAuthor = !actor.system && mark.authorId === actor.personId;
  if (!late) {
    if (!isAuthor) throw forbidden({ markId });
    const ctx = (await resolveLessons(db, actor, [mark.lessonId])).get(mark.lessonId);
    if (!ctx?.write) throw forbidden({ markId });
  }
  if (mark.status !== "ACTIVE") throw new AppError("CONFLICT", { markId, status: mark.status });
  // a closed period's marks are locked; the administration still corrects them, with a reason.
  const closed = await closedPeriodsAt(db, actor.schoolId, [markView(mark).date]);
  if (closed.length > 0) {
    if (!late) throw new AppError("LOCKED_PERIOD", { periodIds: closed });
    return { mark, mode: "late-correction" };
  }
  const { settings, timezone } = clock.school;
  if (isAuthor && withinGrace(mark, settings, clock.now)) return { mark, mode: "grace" };
  if (isAuthor) {
    const root = await chainRoot(db, mark);
    const given = localMoment(timezone, root.createdAt).date;
    if (daysBetween(given, clock.local.date) <= settings.correctionWindowDays) return { mark, mode: "correction" };
  }
  if (late) return { mark, mode: "late-correction" };
  throw new AppError("CORRECTION_WINDOW_CLOSED", { markId, correctionWindowDays: settings.correctionWindowDays });
}

const reasonSchema = z.string().trim().min(1).max(500);

function requireReason(reason: string | undefined): string {
  if (!reason) {
    throw invalid({ issues: [{ path: "reason", code: "required", message: "a correction needs a reason" }] });
  }
  return reason;
}

/** Maps a lost race (another correction of the same mark committed first) to CONFLICT. */
async function guarded<T>(markId: number, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if ((err as { code?: string }).code === "P2002") throw new AppError("CONFLICT", { markId });
    throw err;
  }
}

export interface CorrectMarkInput {
  markId: number;
  value?: string;
  /** New comment; "" clears it; absent keeps it. */
  comment?: string;
  reason?: string;
}

export interface CorrectMarkResult {
  /** "grace": fixed in place (never announced); otherwise a correction that supersedes the old mark. */
  mode: Mode;
  mark: MarkView;
  previous: MarkView | null;
}

const correctSchema = z.object({
  markId: idSchema,
  value: z.string().min(1).max(16).optional(),
  comment: commentSchema.optional(),
  reason: reasonSchema.optional(),
});

export async function correctMark(
  db: Db,
  actor: AnyActor,
  input: CorrectMarkInput,
  opts: ClockOptions = {},
): Promise<CorrectMarkResult> {
  const { markId } = parseInput(z.object({ markId: idSchema }), { markId: input?.markId });
  const clock = await schoolNow(db, actor.schoolId, opts);
  const { mark, mode } = await decide(db, actor, markId, clock);
  const actorId = requirePerson(actor);
  const data = parseInput(correctSchema, input);
  const settings = clock.school.settings;

  const value = data.value === undefined ? mark.value : lessonMarkValue(data.value, settings);
  if (value === null) {
    throw invalid({ issues: [{ path: "value", code: "not_on_scale", message: "not a mark of the scale" }] });
  }
  const comment = data.comment === undefined ? mark.comment : data.comment || null;
  if (value === mark.value && comment === mark.comment) {
    throw invalid({ issues: [{ path: "value", code: "unchanged", message: "nothing to change" }] });
  }
  const reason = mode === "grace" ? data.reason : requireReason(data.reason);
  const before = { value: mark.value, comment: mark.comment };
  const after = { value, comment };

  if (mode === "grace") {
    const updated = await db.$transaction(async (tx) => {
      await assertCorrectable(tx, actor, mode, markView(mark).date);
      const res = await tx.mark.updateMany({
        where: { id: mark.id, status: "ACTIVE", announcedAt: null },
        data: { value, comment },
      });
      if (res.count === 0) throw new AppError("CONFLICT", { markId });
      await appendAudit(tx, actor, {
        action: "mark.fix",
        entity: "Mark",
        entityId: mark.id,
        data: { old: before, new: after, grace: true, ...(reason ? { reason } : {}) },
      });
      return tx.mark.findUniqueOrThrow({ where: { id: mark.id }, select: MARK_SELECT });
    });
    return { mode, mark: markView(updated), previous: null };
  }

  const created = await guarded(markId, () =>
    db.$transaction(async (tx) => {
      await assertCorrectable(tx, actor, mode, markView(mark).date);
      const res = await tx.mark.updateMany({
        where: { id: mark.id, status: "ACTIVE" },
        data: { status: "SUPERSEDED" },
      });
      if (res.count === 0) throw new AppError("CONFLICT", { markId });
      const next = await tx.mark.create({
        data: {
          schoolId: mark.schoolId,
          studentId: mark.studentId,
          lessonId: mark.lessonId,
          subjectId: mark.subjectId,
          date: mark.date,
          workType: mark.workType,
          weight: typeof mark.weight === "number" ? mark.weight : mark.weight.toNumber(),
          value,
          comment,
          authorId: actorId,
          supersedesId: mark.id,
          correctionReason: reason,
          createdAt: clock.now,
        },
        select: MARK_SELECT,
      });
      await appendAudit(tx, actor, {
        action: "mark.correct",
        entity: "Mark",
        entityId: next.id,
        data: {
          previousMarkId: mark.id,
          studentId: mark.studentId,
          old: before,
          new: after,
          reason,
          previousAuthorId: mark.authorId,
          ...(mode === "late-correction" ? { late: true } : {}),
        },
      });
      await enqueueOutbox(tx, actor.schoolId, {
        kind: "mark.corrected",
        payload: { markId: next.id, previousMarkId: mark.id },
      });
      return next;
    }),
  );
  const previous = { ...mark, status: "SUPERSEDED" as const };
  return { mode, mark: markView(created), previous: markView(previous) };
}

export interface VoidMarkResult {
  mode: Mode;
  mark: MarkView;
}

/** Withdraws a mark: silently within the grace period, otherwise as a correction with a reason (VOIDED). */
export async function voidMark(
  db: Db,
  actor: AnyActor,
  input: { markId: number; reason?: string },
  opts: ClockOptions = {},
): Promise<VoidMarkResult> {
  const { markId } = parseInput(z.object({ markId: idSchema }), { markId: input?.markId });
  const clock = await schoolNow(db, actor.schoolId, opts);
  const { mark, mode } = await decide(db, actor, markId, clock);
  const data = parseInput(z.object({ markId: idSchema, reason: reasonSchema.optional() }), input);
  const reason = mode === "grace" ? data.reason : requireReason(data.reason);
  const updated = await db.$transaction(async (tx) => {
    await assertCorrectable(tx, actor, mode, markView(mark).date);
    const res = await tx.mark.updateMany({
      where: { id: mark.id, status: "ACTIVE" },
      // a silent undo keeps no reason on the row: families are shown only reasoned withdrawals
      data: { status: "VOIDED", correctionReason: mode === "grace" ? null : reason },
    });
    if (res.count === 0) throw new AppError("CONFLICT", { markId });
    await appendAudit(tx, actor, {
      action: mode === "grace" ? "mark.undo" : "mark.void",
      entity: "Mark",
      entityId: mark.id,
      data: {
        studentId: mark.studentId,
        old: { value: mark.value, comment: mark.comment },
        ...(reason ? { reason } : {}),
        ...(mode === "grace" ? { grace: true } : {}),
        ...(mode === "late-correction" ? { late: true } : {}),
      },
    });
    if (mode !== "grace") await enqueueOutbox(tx, actor.schoolId, { kind: "mark.voided", payload: { markId } });
    return tx.mark.findUniqueOrThrow({ where: { id: mark.id }, select: MARK_SELECT });
  });
  return { mode, mark: markView(updated) };
}

export interface UndoMarksResult {
  undone: number[];
  /** Already withdrawn before: an undo tapped twice changes nothing. */
  alreadyUndone: number[];
}

/**
 * The author's undo of marks just entered (e.g. a whole bulk entry), within the grace period only, all or
 * nothing. After the grace period a mark is withdrawn with `voidMark` and a reason.
 */
export async function undoMarks(
  db: Db,
  actor: AnyActor,
  input: { markIds: number[] },
  opts: ClockOptions = {},
): Promise<UndoMarksResult> {
  const authorId = requirePerson(actor);
  const { markIds } = parseInput(z.object({ markIds: z.array(idSchema).min(1).max(200) }), input);
  const ids = [...new Set(markIds)];
  const marks = await db.mark.findMany({ where: { id: { in: ids }, schoolId: actor.schoolId }, select: MARK_SELECT });
  if (marks.length !== ids.length || marks.some((m) => m.authorId !== authorId)) throw forbidden({ markIds: ids });
  const access = await resolveLessons(
    db,
    actor,
    marks.map((m) => m.lessonId),
  );
  if (marks.some((m) => !access.get(m.lessonId)?.write)) throw forbidden({ markIds: ids });

  const { school, now } = await schoolNow(db, actor.schoolId, opts);
  const alreadyUndone = marks.filter((m) => m.status === "VOIDED" && m.correctionReason === null).map((m) => m.id);
  const pending = marks.filter((m) => !alreadyUndone.includes(m.id));
  const issues = pending
    .filter((m) => m.status !== "ACTIVE" || !withinGrace(m, school.settings, now))
    .map((m) => ({ path: `markIds.${ids.indexOf(m.id)}`, code: "grace_passed", message: "void it with a reason" }));
  if (issues.length > 0) throw invalid({ issues });
  if (pending.length === 0) return { undone: [], alreadyUndone };

  await db.$transaction(async (tx) => {
    await assertDatesOpen(
      tx,
      actor.schoolId,
      pending.map((m) => markView(m).date),
    );
    const res = await tx.mark.updateMany({
      where: { id: { in: pending.map((m) => m.id) }, status: "ACTIVE", announcedAt: null },
      data: { status: "VOIDED" },
    });
    if (res.count !== pending.length) throw new AppError("CONFLICT", { markIds: ids });
    await appendAudit(
      tx,
      actor,
      pending.map((m) => ({
        action: "mark.undo",
        entity: "Mark",
        entityId: m.id,
        data: { studentId: m.studentId, old: { value: m.value, comment: m.comment }, grace: true },
      })),
    );
  });
  return { undone: pending.map((m) => m.id), alreadyUndone };
}

export interface MarkHistoryEntry {
  markId: number;
  value: string;
  comment: string | null;
  workType: string;
  status: "ACTIVE" | "SUPERSEDED" | "VOIDED";
  /** When this version was entered, by whom. */
  createdAt: string;
  authorId: number;
  authorName: string;
  /** Why this version replaced the previous one (or, for a withdrawn mark, why it was withdrawn). */
  reason: string | null;
}

export interface MarkHistoryResult {
  markId: number;
  studentId: number;
  lessonId: number;
  date: string;
  /** Oldest first; the last entry is the current state. */
  chain: MarkHistoryEntry[];
}

/** The chain of a mark's versions, old → new, with who/when/why; for the lesson's readers and the family. */
export async function markHistory(db: Db, actor: AnyActor, input: { markId: number }): Promise<MarkHistoryResult> {
  const { markId } = parseInput(z.object({ markId: idSchema }), input);
  const mark = await loadMark(db, actor.schoolId, markId);
  if (!mark) throw forbidden({ markId });
  if (!(await resolveLessons(db, actor, [mark.lessonId])).has(mark.lessonId)) {
    await requireStudentRead(db, actor, mark.studentId, "mark.history");
  }
  const chain: LoadedMark[] = [mark];
  for (let cur = mark; cur.supersedesId !== null && chain.length < 100; ) {
    const prev = await loadMark(db, actor.schoolId, cur.supersedesId);
    if (!prev) break;
    chain.unshift(prev);
    cur = prev;
  }
  for (let cur = mark; chain.length < 100; ) {
    const next = await db.mark.findFirst({ where: { supersedesId: cur.id }, select: MARK_SELECT });
    if (!next) break;
    chain.push(next);
    cur = next;
  }
  const people = await db.person.findMany({
    where: { id: { in: [...new Set(chain.map((m) => m.authorId))] }, schoolId: actor.schoolId },
    select: { id: true, lastName: true, firstName: true },
  });
  const names = new Map(people.map((p) => [p.id, fullName(p)]));
  return {
    markId: mark.id,
    studentId: mark.studentId,
    lessonId: mark.lessonId,
    date: markView(mark).date,
    chain: chain.map((m) => ({
      markId: m.id,
      value: m.value,
      comment: m.comment,
      workType: m.workType,
      status: m.status,
      createdAt: m.createdAt.toISOString(),
      authorId: m.authorId,
      authorName: names.get(m.authorId) ?? "",
      reason: m.correctionReason,
    })),
  };
}
