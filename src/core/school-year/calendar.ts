// Calendar changes by the administration's order: days off (holidays, a weekday off), a moved working day
// (a Saturday working on Monday's timetable), a quarantine of one class or of the whole school. In one
// transaction: the order row, the school calendar, the lessons of those days (cancelled, or materialised from
// the moved day), the audit event and one outbox row that tells the families of the classes concerned.
// Lessons that already hold marks or attendance are never cancelled: they are counted as kept.
import { z } from "zod";
import { requirePermission } from "../access/index.ts";
import type { AnyActor } from "../actor.ts";
import { appendAudit } from "../audit.ts";
import { addDays, daysBetween, fromIsoDate, type IsoDate, toIsoDate } from "../dates.ts";
import { invalid, notFound } from "../errors.ts";
import { idSchema, isoDateSchema, parseInput, schoolNow } from "../journal/common.ts";
import { enqueueOutbox } from "../outbox.ts";
import type { Db, DbOrTx, Tx } from "../tx.ts";
import { orderSchema } from "./order.ts";
import { yearOn } from "./students-read.ts";

/** The longest change one order makes (a quarantine of three weeks, a fortnight of holidays). */
export const MAX_CHANGE_DAYS = 31;

const changeSchema = z
  .object({
    kind: z.enum(["HOLIDAY", "QUARANTINE", "WORKDAY"]),
    from: isoDateSchema,
    to: isoDateSchema,
    classId: idSchema.optional(),
    weekdayAs: z.number().int().min(1).max(7).optional(),
    note: z.string().trim().max(200).optional(),
    order: orderSchema,
  })
  .strict();

export type CalendarChangeInput = z.input<typeof changeSchema>;

export interface CalendarChangeResult {
  orderId: number;
  kind: "HOLIDAY" | "QUARANTINE" | "WORKDAY";
  from: IsoDate;
  to: IsoDate;
  className: string | null;
  /** Lessons set to CANCELLED. */
  cancelled: number;
  /** Lessons left as they were because they hold marks or attendance. */
  kept: number;
  /** Lessons created or restored from the moved day's timetable. */
  scheduled: number;
}

const lessonHoldsNothing = { marks: { none: {} }, attendance: { none: {} } };

async function cancelLessons(tx: Tx, schoolId: number, from: IsoDate, to: IsoDate, classId?: number) {
  const where = {
    schoolId,
    date: { gte: fromIsoDate(from), lte: fromIsoDate(to) },
    status: "SCHEDULED" as const,
    ...(classId ? { assignment: { classId } } : {}),
  };
  const cancelled = await tx.lesson.updateMany({
    where: { ...where, ...lessonHoldsNothing },
    data: { status: "CANCELLED" },
  });
  const kept = await tx.lesson.count({ where });
  return { cancelled: cancelled.count, kept };
}

/** A moved working day: the lessons of `weekdayAs`'s timetable on `date`, the others of that date cancelled. */
async function followWeekday(tx: Tx, schoolId: number, date: IsoDate, weekdayAs: number) {
  const at = fromIsoDate(date);
  let entries = await tx.timetableEntry.findMany({
    where: {
      schoolId,
      weekday: weekdayAs,
      validFrom: { lte: at },
      OR: [{ validTo: null }, { validTo: { gt: at } }],
      assignment: { endedAt: null },
    },
    select: { assignmentId: true, slot: true, room: true, assignment: { select: { classId: true } } },
  });
  // a class under quarantine that day stays without lessons
  const closed = new Set(
    (
      await tx.calendarOrder.findMany({
        where: { schoolId, kind: "QUARANTINE", classId: { not: null }, fromDate: { lte: at }, toDate: { gte: at } },
        select: { classId: true },
      })
    ).map((q) => q.classId),
  );
  entries = entries.filter((e) => !closed.has(e.assignment.classId));
  const wanted = new Set(entries.map((e) => `${e.assignmentId}:${e.slot}`));
  const existing = await tx.lesson.findMany({
    where: { schoolId, date: at },
    select: {
      id: true,
      assignmentId: true,
      slot: true,
      status: true,
      _count: { select: { marks: true, attendance: true } },
    },
  });
  const toCancel = existing.filter(
    (l) =>
      l.status === "SCHEDULED" &&
      !wanted.has(`${l.assignmentId}:${l.slot}`) &&
      l._count.marks + l._count.attendance === 0,
  );
  const kept = existing.filter(
    (l) =>
      l.status === "SCHEDULED" &&
      !wanted.has(`${l.assignmentId}:${l.slot}`) &&
      l._count.marks + l._count.attendance > 0,
  ).length;
  const toRestore = existing.filter((l) => l.status === "CANCELLED" && wanted.has(`${l.assignmentId}:${l.slot}`));
  if (toCancel.length) {
    await tx.lesson.updateMany({ where: { id: { in: toCancel.map((l) => l.id) } }, data: { status: "CANCELLED" } });
  }
  if (toRestore.length) {
    await tx.lesson.updateMany({ where: { id: { in: toRestore.map((l) => l.id) } }, data: { status: "SCHEDULED" } });
  }
  const have = new Set(existing.map((l) => `${l.assignmentId}:${l.slot}`));
  const create = entries
    .filter((e) => !have.has(`${e.assignmentId}:${e.slot}`))
    .map((e) => ({ schoolId, assignmentId: e.assignmentId, date: at, slot: e.slot, room: e.room }));
  const created = create.length ? (await tx.lesson.createMany({ data: create, skipDuplicates: true })).count : 0;
  return { cancelled: toCancel.length, kept, scheduled: created + toRestore.length };
}

export async function changeCalendar(
  db: Db,
  actor: AnyActor,
  input: CalendarChangeInput,
): Promise<CalendarChangeResult> {
  requirePermission(actor, "calendar.manage");
  const data = parseInput(changeSchema, input);
  if (data.to < data.from || daysBetween(data.from, data.to) >= MAX_CHANGE_DAYS) throw invalid({ field: "to" });
  if (data.kind === "WORKDAY" && (data.weekdayAs === undefined || data.from !== data.to)) {
    throw invalid({ field: "weekdayAs" });
  }
  if (data.kind !== "WORKDAY" && data.weekdayAs !== undefined) throw invalid({ field: "weekdayAs" });
  if (data.classId !== undefined && data.kind !== "QUARANTINE") throw invalid({ field: "classId" });
  return db.$transaction(async (tx) => {
    let className: string | null = null;
    if (data.classId !== undefined) {
      const cls = await tx.classGroup.findFirst({ where: { id: data.classId, schoolId: actor.schoolId } });
      if (!cls) throw notFound({ entity: "ClassGroup", id: data.classId });
      className = cls.name;
    }
    const order = await tx.calendarOrder.create({
      data: {
        schoolId: actor.schoolId,
        kind: data.kind,
        fromDate: fromIsoDate(data.from),
        toDate: fromIsoDate(data.to),
        classId: data.classId ?? null,
        weekdayAs: data.weekdayAs ?? null,
        note: data.note || null,
        orderNo: data.order.number,
        orderDate: fromIsoDate(data.order.date),
        createdById: actor.personId,
      },
    });
    if (data.classId === undefined) {
      for (let d = data.from; d <= data.to; d = addDays(d, 1)) {
        const day = { kind: data.kind, note: data.note || null, weekdayAs: data.weekdayAs ?? null };
        await tx.calendarDay.upsert({
          where: { schoolId_date: { schoolId: actor.schoolId, date: fromIsoDate(d) } },
          create: { schoolId: actor.schoolId, date: fromIsoDate(d), ...day },
          update: day,
        });
      }
    }
    const res =
      data.kind === "WORKDAY"
        ? await followWeekday(tx, actor.schoolId, data.from, data.weekdayAs!)
        : { ...(await cancelLessons(tx, actor.schoolId, data.from, data.to, data.classId)), scheduled: 0 };
    await appendAudit(tx, actor, {
      action: "calendar.change",
      entity: "CalendarOrder",
      entityId: order.id,
      data: {
        kind: data.kind,
        from: data.from,
        to: data.to,
        classId: data.classId ?? null,
        weekdayAs: data.weekdayAs ?? null,
        order: data.order,
        cancelled: res.cancelled,
        kept: res.kept,
        scheduled: res.scheduled,
      },
    });
    await enqueueOutbox(tx, actor.schoolId, { kind: "calendar.changed", payload: { orderId: order.id } });
    return { orderId: order.id, kind: data.kind, from: data.from, to: data.to, className, ...res };
  });
}

export interface CalendarOrderItem {
  orderId: number;
  kind: "HOLIDAY" | "QUARANTINE" | "WORKDAY";
  from: IsoDate;
  to: IsoDate;
  className: string | null;
  weekdayAs: number | null;
  note: string | null;
  orderNo: string;
  orderDate: IsoDate;
}

/** The calendar orders that have not ended yet (today on), soonest first: the administration's list. */
export async function upcomingCalendarOrders(
  db: DbOrTx,
  actor: AnyActor,
): Promise<{ today: IsoDate; orders: CalendarOrderItem[] }> {
  requirePermission(actor, "calendar.manage");
  const { local } = await schoolNow(db, actor.schoolId);
  const rows = await db.calendarOrder.findMany({
    where: { schoolId: actor.schoolId, toDate: { gte: fromIsoDate(local.date) } },
    orderBy: [{ fromDate: "asc" }, { id: "asc" }],
    take: 30,
  });
  return { today: local.date, orders: await orderItems(db, rows) };
}

export async function orderItems(
  db: DbOrTx,
  rows: {
    id: number;
    kind: CalendarOrderItem["kind"];
    fromDate: Date;
    toDate: Date;
    classId: number | null;
    weekdayAs: number | null;
    note: string | null;
    orderNo: string;
    orderDate: Date;
  }[],
): Promise<CalendarOrderItem[]> {
  const classIds = [...new Set(rows.map((r) => r.classId).filter((x) => x !== null))];
  const names = new Map(
    (await db.classGroup.findMany({ where: { id: { in: classIds } }, select: { id: true, name: true } })).map((c) => [
      c.id,
      c.name,
    ]),
  );
  return rows.map((r) => ({
    orderId: r.id,
    kind: r.kind,
    from: toIsoDate(r.fromDate),
    to: toIsoDate(r.toDate),
    className: r.classId ? (names.get(r.classId) ?? null) : null,
    weekdayAs: r.weekdayAs,
    note: r.note,
    orderNo: r.orderNo,
    orderDate: toIsoDate(r.orderDate),
  }));
}

/** The classes a quarantine may be ordered for: those of the current year. */
export async function calendarClasses(
  db: DbOrTx,
  actor: AnyActor,
): Promise<{ classId: number; name: string; grade: number }[]> {
  requirePermission(actor, "calendar.manage");
  const { local } = await schoolNow(db, actor.schoolId);
  const year = await yearOn(db, actor.schoolId, local.date);
  if (!year) return [];
  const rows = await db.classGroup.findMany({
    where: { schoolId: actor.schoolId, yearId: year.id },
    select: { id: true, name: true, grade: true },
    orderBy: [{ grade: "asc" }, { letter: "asc" }],
  });
  return rows.map((c) => ({ classId: c.id, name: c.name, grade: c.grade }));
}
