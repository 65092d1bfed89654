// loads the thematic plan (КТП) of one assignment (class or subgroup × subject): rows of order, topic and
// hours. Every row is checked first and every error listed; then the plan is replaced in one transaction with its
// audit event — items keep their ids by order number (lessons already linked to an item stay linked), items past
// the new end are removed unless a lesson was given on them (then the load is refused, nothing changes).
import { z } from "zod";
import { can } from "../access/permissions.ts";
import type { AnyActor } from "../actor.ts";
import { appendAudit } from "../audit.ts";
import { AppError, forbidden } from "../errors.ts";
import { idSchema, parseInput } from "../journal/common.ts";
import type { Db, Tx } from "../tx.ts";

export interface PlanRowInput {
  /** The row as the person sees it in their file (for error messages). */
  row: number;
  order: string;
  topic: string;
  hours: string;
}

export type PlanErrorCode =
  | "REQUIRED"
  | "BAD_NUMBER"
  | "OUT_OF_RANGE"
  | "TOO_LONG"
  | "DUPLICATE"
  | "ITEM_IN_USE"
  | "EMPTY";

export interface PlanError {
  row: number;
  column: "order" | "topic" | "hours" | "";
  code: PlanErrorCode;
  /** ITEM_IN_USE: the plan item's order number that a lesson was given on. */
  order?: number;
}

export interface LoadPlanResult {
  assignmentId: number;
  items: number;
  hours: number;
  created: number;
  updated: number;
  removed: number;
}

const MAX_TOPIC = 500;
const MAX_ITEMS = 400;

/** Checks the rows: order and hours whole numbers (hours 1..20), topics present, orders unique. */
export function checkPlanRows(rows: PlanRowInput[]): {
  errors: PlanError[];
  items: { number: number; topic: string; hours: number }[];
} {
  const errors: PlanError[] = [];
  const items: { number: number; topic: string; hours: number }[] = [];
  const seen = new Set<number>();
  if (rows.length === 0) errors.push({ row: 0, column: "", code: "EMPTY" });
  if (rows.length > MAX_ITEMS) errors.push({ row: 0, column: "", code: "OUT_OF_RANGE" });
  for (const r of rows) {
    const order = r.order.trim();
    const topic = r.topic.trim();
    const hoursText = r.hours.trim() || "1";
    let ok = true;
    if (!/^\d{1,3}$/.test(order) || Number(order) < 1) {
      errors.push({ row: r.row, column: "order", code: order ? "BAD_NUMBER" : "REQUIRED" });
      ok = false;
    } else if (seen.has(Number(order))) {
      errors.push({ row: r.row, column: "order", code: "DUPLICATE" });
      ok = false;
    }
    if (!topic) {
      errors.push({ row: r.row, column: "topic", code: "REQUIRED" });
      ok = false;
    } else if (topic.length > MAX_TOPIC) {
      errors.push({ row: r.row, column: "topic", code: "TOO_LONG" });
      ok = false;
    }
    if (!/^\d{1,2}$/.test(hoursText) || Number(hoursText) < 1 || Number(hoursText) > 20) {
      errors.push({ row: r.row, column: "hours", code: "BAD_NUMBER" });
      ok = false;
    }
    if (/^\d{1,3}$/.test(order)) seen.add(Number(order));
    if (ok) items.push({ number: Number(order), topic, hours: Number(hoursText) });
  }
  items.sort((a, b) => a.number - b.number);
  return { errors, items };
}

/**
 * The assignment's teacher or the administration (admin.import). PLAN_INVALID-like refusal: VALIDATION with
 * `{ errors }` (every row's problem), nothing written.
 */
export async function loadThematicPlan(
  db: Db,
  actor: AnyActor,
  input: { assignmentId: number; rows: PlanRowInput[] },
): Promise<LoadPlanResult> {
  const { assignmentId } = parseInput(z.object({ assignmentId: idSchema }), { assignmentId: input?.assignmentId });
  const a = await db.teachingAssignment.findFirst({
    where: { id: assignmentId, schoolId: actor.schoolId },
    select: { id: true, teacherId: true },
  });
  if (!a || !(can(actor, "admin.import") || (!actor.system && a.teacherId === actor.personId))) {
    throw forbidden({ assignmentId });
  }
  const { errors, items } = checkPlanRows(Array.isArray(input.rows) ? input.rows : []);
  if (errors.length) throw new AppError("VALIDATION", { errors });
  return db.$transaction((tx) => replacePlan(tx, actor, assignmentId, items));
}

/** Inside a transaction: the assignment's plan becomes `items` (checked rows), audited when anything changed. */
export async function replacePlan(
  tx: Tx,
  actor: AnyActor,
  assignmentId: number,
  items: { number: number; topic: string; hours: number }[],
): Promise<LoadPlanResult> {
  const existing = await tx.planItem.findMany({
    where: { assignmentId },
    select: { id: true, number: true, topic: true, hours: true, _count: { select: { lessons: true } } },
  });
  const byNumber = new Map(existing.map((e) => [e.number, e]));
  const keep = new Set(items.map((i) => i.number));
  const gone = existing.filter((e) => !keep.has(e.number));
  const inUse = gone.filter((e) => e._count.lessons > 0);
  if (inUse.length) {
    throw new AppError("VALIDATION", {
      errors: inUse.map((e): PlanError => ({ row: 0, column: "order", code: "ITEM_IN_USE", order: e.number })),
    });
  }
  let created = 0;
  let updated = 0;
  for (const item of items) {
    const old = byNumber.get(item.number);
    if (!old) {
      await tx.planItem.create({ data: { schoolId: actor.schoolId, assignmentId, ...item } });
      created++;
    } else if (old.topic !== item.topic || old.hours !== item.hours) {
      await tx.planItem.update({ where: { id: old.id }, data: { topic: item.topic, hours: item.hours } });
      updated++;
    }
  }
  if (gone.length) await tx.planItem.deleteMany({ where: { id: { in: gone.map((g) => g.id) } } });
  const result = {
    assignmentId,
    items: items.length,
    hours: items.reduce((n, i) => n + i.hours, 0),
    created,
    updated,
    removed: gone.length,
  };
  if (created || updated || gone.length) {
    await appendAudit(tx, actor, {
      action: "plan.load",
      entity: "TeachingAssignment",
      entityId: assignmentId,
      data: result,
    });
  }
  return result;
}
