// Periods of the year: which period a date falls in, closing a period (which locks its marks and term
// grades) and the guard every mark and term-grade write goes through.
import { z } from "zod";
import { can } from "../access/permissions.ts";
import type { AnyActor } from "../actor.ts";
import { appendAudit } from "../audit.ts";
import { fromIsoDate, type IsoDate, toIsoDate } from "../dates.ts";
import { AppError, forbidden } from "../errors.ts";
import { enqueueOutbox } from "../outbox.ts";
import type { Db, DbOrTx, Tx } from "../tx.ts";
import { type ClockOptions, idSchema, parseInput, schoolNow } from "./common.ts";

export interface PeriodInfo {
  periodId: number;
  yearId: number;
  kind: "QUARTER" | "TRIMESTER" | "HALF" | "YEAR";
  number: number;
  startsOn: IsoDate;
  endsOn: IsoDate;
  closedAt: string | null;
}

type PeriodRow = {
  id: number;
  yearId: number;
  kind: PeriodInfo["kind"];
  number: number;
  startsOn: Date;
  endsOn: Date;
  closedAt: Date | null;
};

export function periodInfo(p: PeriodRow): PeriodInfo {
  return {
    periodId: p.id,
    yearId: p.yearId,
    kind: p.kind,
    number: p.number,
    startsOn: toIsoDate(p.startsOn),
    endsOn: toIsoDate(p.endsOn),
    closedAt: p.closedAt ? p.closedAt.toISOString() : null,
  };
}

const PERIOD_SELECT = {
  id: true,
  yearId: true,
  kind: true,
  number: true,
  startsOn: true,
  endsOn: true,
  closedAt: true,
} as const;

/** A period of the actor's school, or FORBIDDEN (an id of another school is not told apart from a missing one). */
export async function loadPeriod(db: DbOrTx, schoolId: number, periodId: number): Promise<PeriodInfo> {
  const p = await db.period.findFirst({ where: { id: periodId, schoolId }, select: PERIOD_SELECT });
  if (!p) throw forbidden({ periodId });
  return periodInfo(p);
}

/**
 * The period a date belongs to: of the periods containing it, the shortest (a quarter rather than its half or
 * the year); when the date is in none (holidays), the last one that ended before it. Null when there is none.
 */
export async function periodAt(db: DbOrTx, schoolId: number, date: IsoDate): Promise<PeriodInfo | null> {
  const at = fromIsoDate(date);
  const containing = await db.period.findMany({
    where: { schoolId, startsOn: { lte: at }, endsOn: { gte: at } },
    select: PERIOD_SELECT,
  });
  if (containing.length > 0) {
    containing.sort((a, b) => a.endsOn.getTime() - a.startsOn.getTime() - (b.endsOn.getTime() - b.startsOn.getTime()));
    return periodInfo(containing[0]);
  }
  const before = await db.period.findFirst({
    where: { schoolId, endsOn: { lt: at }, kind: { not: "YEAR" } },
    orderBy: { endsOn: "desc" },
    select: PERIOD_SELECT,
  });
  return before ? periodInfo(before) : null;
}

// Closing takes this advisory lock exclusively, journal writes take it shared: a write that checked "open" commits
// before the close does, and a write after the close sees it closed.
const LOCK_CLASS = 7002;

async function lockShared(tx: Tx, schoolId: number): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock_shared(${LOCK_CLASS}::int, ${schoolId}::int)`;
}

/** The shared lock alone, for a write the administration may make in a closed period (a reasoned correction). */
export async function lockSharedForWrite(tx: Tx, schoolId: number): Promise<void> {
  await lockShared(tx, schoolId);
}

async function lockExclusive(tx: Tx, schoolId: number): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${LOCK_CLASS}::int, ${schoolId}::int)`;
}

/** Closed periods containing any of the dates (ids), without locking. */
export async function closedPeriodsAt(db: DbOrTx, schoolId: number, dates: IsoDate[]): Promise<number[]> {
  const unique = [...new Set(dates)];
  if (unique.length === 0) return [];
  const rows = await db.period.findMany({
    where: {
      schoolId,
      // a closed year locks all its periods
      AND: [{ OR: [{ closedAt: { not: null } }, { year: { closedAt: { not: null } } }] }],
      OR: unique.map((d) => ({ startsOn: { lte: fromIsoDate(d) }, endsOn: { gte: fromIsoDate(d) } })),
    },
    select: { id: true },
  });
  return rows.map((r) => r.id);
}

/**
 * Inside a write transaction: LOCKED_PERIOD when any of the dates is in a closed period. Holds a shared
 * lock against a concurrent close until the transaction ends.
 */
export async function assertDatesOpen(tx: Tx, schoolId: number, dates: IsoDate[]): Promise<void> {
  await lockShared(tx, schoolId);
  const closed = await closedPeriodsAt(tx, schoolId, dates);
  if (closed.length > 0) throw new AppError("LOCKED_PERIOD", { periodIds: closed });
}

/** Inside a write transaction: LOCKED_PERIOD when the period itself (or its academic year) is closed. */
export async function assertPeriodOpen(tx: Tx, schoolId: number, period: PeriodInfo): Promise<void> {
  await lockShared(tx, schoolId);
  const row = await tx.period.findFirst({
    where: { id: period.periodId, schoolId },
    select: { closedAt: true, year: { select: { closedAt: true } } },
  });
  if (row?.closedAt || row?.year.closedAt) throw new AppError("LOCKED_PERIOD", { periodIds: [period.periodId] });
}

export interface ListPeriodsResult {
  periods: PeriodInfo[];
  current: number | null;
}

/** The school's periods (of one year when given), in order, and the current one; any member of the school. */
export async function listPeriods(
  db: DbOrTx,
  actor: AnyActor,
  input: { yearId?: number } = {},
): Promise<ListPeriodsResult> {
  const { yearId } = parseInput(z.object({ yearId: idSchema.optional() }), input);
  const rows = await db.period.findMany({
    where: { schoolId: actor.schoolId, ...(yearId ? { yearId } : {}) },
    orderBy: [{ startsOn: "asc" }, { kind: "asc" }],
    select: PERIOD_SELECT,
  });
  const { local } = await schoolNow(db, actor.schoolId);
  const current = await periodAt(db, actor.schoolId, local.date);
  return { periods: rows.map(periodInfo), current: current?.periodId ?? null };
}

export interface ClosePeriodResult {
  period: PeriodInfo;
  alreadyClosed: boolean;
}

/** closes a period (permission period.close); its marks and term grades are locked from then on. */
export async function closePeriod(
  db: Db,
  actor: AnyActor,
  input: { periodId: number },
  opts: ClockOptions = {},
): Promise<ClosePeriodResult> {
  if (!can(actor, "period.close")) throw forbidden({ permission: "period.close" });
  const { periodId } = parseInput(z.object({ periodId: idSchema }), input);
  const existing = await loadPeriod(db, actor.schoolId, periodId);
  if (existing.closedAt) return { period: existing, alreadyClosed: true };
  const now = opts.now ?? new Date();
  const period = await db.$transaction(async (tx) => {
    await lockExclusive(tx, actor.schoolId);
    const updated = await tx.period.updateMany({
      where: { id: periodId, schoolId: actor.schoolId, closedAt: null },
      data: { closedAt: now, closedById: actor.personId },
    });
    if (updated.count === 0) throw new AppError("CONFLICT", { periodId });
    await appendAudit(tx, actor, { action: "period.close", entity: "Period", entityId: periodId, data: {} });
    await enqueueOutbox(tx, actor.schoolId, { kind: "period.closed", payload: { periodId } });
    return loadPeriod(tx, actor.schoolId, periodId);
  });
  return { period, alreadyClosed: false };
}

/** Reopens a closed period on the administration's order (permission period.close), with a reason in the audit. */
export async function reopenPeriod(
  db: Db,
  actor: AnyActor,
  input: { periodId: number; reason: string },
): Promise<{ period: PeriodInfo }> {
  if (!can(actor, "period.close")) throw forbidden({ permission: "period.close" });
  const { periodId, reason } = parseInput(
    z.object({ periodId: idSchema, reason: z.string().trim().min(1).max(500) }),
    input,
  );
  const existing = await loadPeriod(db, actor.schoolId, periodId);
  if (!existing.closedAt) return { period: existing };
  const period = await db.$transaction(async (tx) => {
    await lockExclusive(tx, actor.schoolId);
    await tx.period.update({ where: { id: periodId }, data: { closedAt: null, closedById: null } });
    await appendAudit(tx, actor, {
      action: "period.reopen",
      entity: "Period",
      entityId: periodId,
      data: { reason, closedAt: existing.closedAt },
    });
    return loadPeriod(tx, actor.schoolId, periodId);
  });
  return { period };
}
