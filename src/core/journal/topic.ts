// Lesson topics and the thematic plan (КТП): R-13 every lesson has a topic, R-19 program completion is tracked
// against the plan. The next plan item not yet covered by earlier lessons is offered as the topic.
import { z } from "zod";
import { requireLessonRead, requireLessonWrite } from "../access/lessons.ts";
import { can } from "../access/permissions.ts";
import type { AnyActor } from "../actor.ts";
import { appendAudit } from "../audit.ts";
import { fromIsoDate, type IsoDate, toIsoDate } from "../dates.ts";
import { forbidden, invalid } from "../errors.ts";
import type { Db, DbOrTx } from "../tx.ts";
import { type ClockOptions, idSchema, parseInput, schoolNow } from "./common.ts";

export interface PlanItemView {
  planItemId: number;
  number: number;
  topic: string;
  hours: number;
}

interface PlanUse {
  id: number;
  number: number;
  topic: string;
  hours: number;
  used: number;
}

/** Plan items of an assignment with how many lessons (other than `exceptLessonId`) before a point used each. */
async function planUses(
  db: DbOrTx,
  assignmentId: number,
  before: { date: Date; slot: number } | null,
  exceptLessonId?: number,
): Promise<PlanUse[]> {
  const [items, lessons] = await Promise.all([
    db.planItem.findMany({
      where: { assignmentId },
      orderBy: { number: "asc" },
      select: { id: true, number: true, topic: true, hours: true },
    }),
    db.lesson.findMany({
      where: {
        assignmentId,
        planItemId: { not: null },
        status: { not: "CANCELLED" },
        ...(exceptLessonId ? { id: { not: exceptLessonId } } : {}),
        ...(before ? { OR: [{ date: { lt: before.date } }, { date: before.date, slot: { lt: before.slot } }] } : {}),
      },
      select: { planItemId: true },
    }),
  ]);
  const counts = new Map<number, number>();
  for (const l of lessons) if (l.planItemId) counts.set(l.planItemId, (counts.get(l.planItemId) ?? 0) + 1);
  return items.map((i) => ({ ...i, used: counts.get(i.id) ?? 0 }));
}

export interface SuggestTopicResult {
  lessonId: number;
  /** The lesson's current topic, if set. */
  current: { topic: string; planItemId: number | null } | null;
  /** The next plan item not yet covered by earlier lessons (an item of N hours covers N lessons); null when none. */
  suggestion: PlanItemView | null;
}

export async function suggestTopic(db: Db, actor: AnyActor, input: { lessonId: number }): Promise<SuggestTopicResult> {
  const ctx = await requireLessonRead(db, actor, Number(input?.lessonId));
  const lesson = await db.lesson.findUniqueOrThrow({
    where: { id: ctx.lessonId },
    select: { date: true, slot: true, topic: true, planItemId: true },
  });
  const uses = await planUses(db, ctx.assignmentId, { date: lesson.date, slot: lesson.slot }, ctx.lessonId);
  const next = uses.find((u) => u.used < u.hours);
  return {
    lessonId: ctx.lessonId,
    current: lesson.topic ? { topic: lesson.topic, planItemId: lesson.planItemId } : null,
    suggestion: next ? { planItemId: next.id, number: next.number, topic: next.topic, hours: next.hours } : null,
  };
}

const topicText = z.string().trim().min(1).max(500);

export interface SetTopicResult {
  lessonId: number;
  topic: string;
  planItemId: number | null;
  topicSetAt: string;
}

/** Sets the lesson's topic: free text, or a plan item (its topic unless a text is given). */
export async function setTopic(
  db: Db,
  actor: AnyActor,
  input: { lessonId: number; topic?: string; planItemId?: number | null },
  opts: ClockOptions = {},
): Promise<SetTopicResult> {
  const ctx = await requireLessonWrite(db, actor, Number(input?.lessonId));
  const data = parseInput(
    z.object({ lessonId: idSchema, topic: topicText.optional(), planItemId: idSchema.nullable().optional() }),
    input,
  );
  let topic = data.topic;
  if (data.planItemId) {
    const item = await db.planItem.findFirst({
      where: { id: data.planItemId, assignmentId: ctx.assignmentId },
      select: { topic: true },
    });
    if (!item) throw invalid({ issues: [{ path: "planItemId", code: "not_in_plan", message: "not in this plan" }] });
    topic ??= item.topic;
  }
  if (!topic) throw invalid({ issues: [{ path: "topic", code: "required", message: "a topic or a plan item" }] });
  const now = opts.now ?? new Date();
  const planItemId = data.planItemId ?? null;
  await db.$transaction(async (tx) => {
    const before = await tx.lesson.findUniqueOrThrow({
      where: { id: ctx.lessonId },
      select: { topic: true, planItemId: true },
    });
    await tx.lesson.update({ where: { id: ctx.lessonId }, data: { topic, planItemId, topicSetAt: now } });
    await appendAudit(tx, actor, {
      action: "lesson.topic",
      entity: "Lesson",
      entityId: ctx.lessonId,
      data: { old: before, new: { topic, planItemId } },
    });
  });
  return { lessonId: ctx.lessonId, topic, planItemId, topicSetAt: now.toISOString() };
}

async function loadAssignment(db: DbOrTx, actor: AnyActor, assignmentId: number) {
  const a = await db.teachingAssignment.findFirst({
    where: { id: assignmentId, schoolId: actor.schoolId },
    select: { id: true, teacherId: true, classId: true, class: { select: { classTeacherId: true } } },
  });
  if (!a) throw forbidden({ assignmentId });
  return a;
}

const planSchema = z.object({
  assignmentId: idSchema,
  items: z.array(z.object({ topic: topicText, hours: z.number().int().min(1).max(40).optional() })).max(400),
});

export interface SetPlanResult {
  assignmentId: number;
  items: PlanItemView[];
}

/**
 * Replaces the thematic plan of an assignment (its teacher). Items keep their ids by number, so lessons already
 * linked to item N stay linked to the new item N; lessons linked to dropped items keep their topic text.
 */
export async function setPlan(
  db: Db,
  actor: AnyActor,
  input: { assignmentId: number; items: { topic: string; hours?: number }[] },
): Promise<SetPlanResult> {
  const a = await loadAssignment(db, actor, Number(input?.assignmentId));
  if (actor.system || a.teacherId !== actor.personId) throw forbidden({ assignmentId: a.id });
  const data = parseInput(planSchema, input);
  const items = await db.$transaction(async (tx) => {
    const existing = await tx.planItem.findMany({ where: { assignmentId: a.id }, select: { id: true, number: true } });
    const byNumber = new Map(existing.map((e) => [e.number, e.id]));
    for (const [i, item] of data.items.entries()) {
      const number = i + 1;
      const id = byNumber.get(number);
      const fields = { topic: item.topic, hours: item.hours ?? 1 };
      if (id) await tx.planItem.update({ where: { id }, data: fields });
      else await tx.planItem.create({ data: { schoolId: actor.schoolId, assignmentId: a.id, number, ...fields } });
    }
    const dropped = existing.filter((e) => e.number > data.items.length).map((e) => e.id);
    if (dropped.length > 0) {
      await tx.lesson.updateMany({ where: { planItemId: { in: dropped } }, data: { planItemId: null } });
      await tx.planItem.deleteMany({ where: { id: { in: dropped } } });
    }
    await appendAudit(tx, actor, {
      action: "plan.set",
      entity: "TeachingAssignment",
      entityId: a.id,
      data: { items: data.items.length, dropped: dropped.length },
    });
    return tx.planItem.findMany({
      where: { assignmentId: a.id },
      orderBy: { number: "asc" },
      select: { id: true, number: true, topic: true, hours: true },
    });
  });
  return {
    assignmentId: a.id,
    items: items.map((i) => ({ planItemId: i.id, number: i.number, topic: i.topic, hours: i.hours })),
  };
}

export interface PlanProgressResult {
  assignmentId: number;
  today: IsoDate;
  /** Items and hours in the plan. */
  planned: { items: number; hours: number };
  /** Items fully covered (lessons linked ≥ hours) and lessons linked to the plan so far. */
  done: { items: number; hours: number };
  /** Lessons up to today that were not cancelled, and how many of them have a topic. */
  lessonsHeld: number;
  lessonsWithTopic: number;
  /** Lessons still scheduled after today (as far as they are materialised). */
  lessonsAhead: number;
  items: (PlanItemView & { lessonsUsed: number; done: boolean; lastDate: IsoDate | null })[];
}

/** plan items done vs planned vs lessons held; for the teacher, the class teacher and the administration. */
export async function planProgress(
  db: Db,
  actor: AnyActor,
  input: { assignmentId: number },
  opts: ClockOptions = {},
): Promise<PlanProgressResult> {
  const a = await loadAssignment(db, actor, Number(input?.assignmentId));
  const personId = actor.system ? -1 : actor.personId;
  if (!(a.teacherId === personId || a.class.classTeacherId === personId || can(actor, "journal.read.all"))) {
    throw forbidden({ assignmentId: a.id });
  }
  const { local } = await schoolNow(db, actor.schoolId, opts);
  const today = fromIsoDate(local.date);
  const [items, lessons] = await Promise.all([
    db.planItem.findMany({
      where: { assignmentId: a.id },
      orderBy: { number: "asc" },
      select: { id: true, number: true, topic: true, hours: true },
    }),
    db.lesson.findMany({
      where: { assignmentId: a.id, status: { not: "CANCELLED" } },
      select: { date: true, topic: true, planItemId: true },
    }),
  ]);
  const held = lessons.filter((l) => l.date <= today);
  const used = new Map<number, { n: number; last: Date }>();
  for (const l of held) {
    if (!l.planItemId) continue;
    const u = used.get(l.planItemId) ?? { n: 0, last: l.date };
    u.n++;
    if (l.date > u.last) u.last = l.date;
    used.set(l.planItemId, u);
  }
  const rows = items.map((i) => {
    const u = used.get(i.id);
    return {
      planItemId: i.id,
      number: i.number,
      topic: i.topic,
      hours: i.hours,
      lessonsUsed: u?.n ?? 0,
      done: (u?.n ?? 0) >= i.hours,
      lastDate: u ? toIsoDate(u.last) : null,
    };
  });
  return {
    assignmentId: a.id,
    today: local.date,
    planned: { items: items.length, hours: items.reduce((s, i) => s + i.hours, 0) },
    done: {
      items: rows.filter((r) => r.done).length,
      hours: rows.reduce((s, r) => s + Math.min(r.lessonsUsed, r.hours), 0),
    },
    lessonsHeld: held.length,
    lessonsWithTopic: held.filter((l) => l.topic).length,
    lessonsAhead: lessons.length - held.length,
    items: rows,
  };
}
