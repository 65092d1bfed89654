// The outbox dispatcher: claims committed outbox rows that are due (SELECT … FOR UPDATE SKIP LOCKED inside one
// transaction, so concurrent dispatchers in several processes never take the same row), runs each row's handler
// once to build the messages it announces, records them in the Delivery ledger (src/jobs/outbox/ledger.ts) and
// enqueues one notify job per delivery (ids only, in bulk, delayed to its due time), then marks the rows
// dispatched. If anything fails before commit, the rows stay undispatched and the next run repeats the work;
// dedup keys make the repetition harmless. Every kind has a handler (the registry refuses to start otherwise);
// a malformed payload is logged and marked dispatched.
import { ZodError } from "zod";
import type { Db } from "../../core/tx.ts";
import type { Logger } from "../../logger.ts";
import { LEASE_MS } from "../notify/send-notification.ts";
import type { OutboxHandler, OutboxRow, OutgoingMessage } from "./handler.ts";
import { type RecordedDelivery, recordMessages } from "./ledger.ts";

export interface NotifyJobSpec {
  deliveryId: bigint;
  delayMs: number;
}

export interface DispatchDeps {
  prisma: Db;
  logger: Logger;
  handlers: Map<string, OutboxHandler>;
  /** PostgreSQL schema of the application tables, when not the connection's default. */
  dbSchema?: string;
  enqueueNotify(jobs: NotifyJobSpec[]): Promise<void>;
  now?: () => Date;
  batchSize?: number;
  maxBatches?: number;
}

export interface DispatchResult {
  rows: number;
  messages: number;
}

interface ClaimedRow {
  id: bigint;
  schoolId: number;
  kind: string;
  payload: unknown;
}

export async function dispatchOutbox(deps: DispatchDeps): Promise<DispatchResult> {
  const total: DispatchResult = { rows: 0, messages: 0 };
  const batchSize = deps.batchSize ?? 200;
  for (let i = 0; i < (deps.maxBatches ?? 10); i++) {
    const r = await dispatchBatch(deps, batchSize);
    total.rows += r.rows;
    total.messages += r.messages;
    if (r.rows < batchSize) break;
  }
  return total;
}

function table(deps: DispatchDeps, name: string): string {
  if (deps.dbSchema && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(deps.dbSchema)) throw new Error("invalid schema name");
  return deps.dbSchema ? `"${deps.dbSchema}"."${name}"` : `"${name}"`;
}

/** How long a due delivery may wait without its job before it is enqueued again. */
export const REDRIVE_AFTER_MS = 60_000;

/**
 * Deliveries that are due, PENDING and not being sent, for longer than REDRIVE_AFTER_MS: their job was lost (a
 * crash between commit and enqueue, a Redis flush). Enqueued again under the same job id, so a job that still
 * exists is not doubled, and the sender's claim makes a second run harmless.
 */
export async function redrivePending(deps: DispatchDeps, limit = 500): Promise<number> {
  const now = deps.now?.() ?? new Date();
  const stale = await deps.prisma.delivery.findMany({
    where: {
      status: "PENDING",
      dueAt: { lt: new Date(now.getTime() - REDRIVE_AFTER_MS) },
      OR: [{ claimedAt: null }, { claimedAt: { lt: new Date(now.getTime() - LEASE_MS) } }],
    },
    select: { id: true, dueAt: true },
    orderBy: { dueAt: "asc" },
    take: limit,
  });
  if (stale.length) await deps.enqueueNotify(notifyJobs(stale, now));
  return stale.length;
}

/** Notify jobs for recorded deliveries, each delayed until its due time. */
export function notifyJobs(recorded: RecordedDelivery[], now: Date): NotifyJobSpec[] {
  return recorded.map((d) => ({ deliveryId: d.id, delayMs: Math.max(0, d.dueAt.getTime() - now.getTime()) }));
}

async function dispatchBatch(deps: DispatchDeps, batchSize: number): Promise<DispatchResult> {
  const { logger } = deps;
  const now = deps.now?.() ?? new Date();
  const { rows, recorded } = await claimAndRecord(deps, batchSize, now);
  // After commit: a job must never look for a delivery that is not there yet. Should the process die right here,
  // the deliveries wait PENDING and the redrive (redrivePending) enqueues them.
  if (recorded.length) await deps.enqueueNotify(notifyJobs(recorded, now));
  logger.debug({ rows, messages: recorded.length }, "outbox dispatched");
  return { rows, messages: recorded.length };
}

async function claimAndRecord(
  deps: DispatchDeps,
  batchSize: number,
  now: Date,
): Promise<{ rows: number; recorded: RecordedDelivery[] }> {
  const { prisma, logger } = deps;
  return prisma.$transaction(
    async (tx) => {
      const rows = await tx.$queryRawUnsafe<ClaimedRow[]>(
        `SELECT id, "schoolId", kind, payload FROM ${table(deps, "Outbox")}
         WHERE "dispatchedAt" IS NULL AND "availableAt" <= $1
         ORDER BY "availableAt", id LIMIT $2 FOR UPDATE SKIP LOCKED`,
        now,
        batchSize,
      );
      if (rows.length === 0) return { rows: 0, recorded: [] };

      const done: bigint[] = [];
      const unknown: bigint[] = [];
      const produced: OutgoingMessage[] = [];
      for (const row of rows) {
        const handler = deps.handlers.get(row.kind);
        if (!handler) {
          // The registry makes this impossible for kinds core writes; a row of a removed kind is kept (not
          // dropped) and looked at again in an hour, so it does not hold up the rows behind it.
          logger.error({ outboxId: String(row.id), kind: row.kind }, "outbox: no handler for kind, kept for later");
          unknown.push(row.id);
          continue;
        }
        try {
          // Handlers read through the client, not the claim transaction: a failing read must not abort it.
          produced.push(...(await handler.handle(row as OutboxRow, { db: prisma, now, logger })));
          done.push(row.id);
        } catch (err) {
          if (err instanceof ZodError) {
            logger.error({ outboxId: String(row.id), kind: row.kind }, "outbox: malformed payload, marked dispatched");
            done.push(row.id);
          } else {
            logger.error({ outboxId: String(row.id), kind: row.kind, err }, "outbox: handler failed, will retry");
          }
        }
      }
      const recorded = await recordMessages(tx, produced, now);
      if (done.length) {
        await tx.outbox.updateMany({ where: { id: { in: done } }, data: { dispatchedAt: now } });
      }
      if (unknown.length) {
        await tx.outbox.updateMany({
          where: { id: { in: unknown } },
          data: { availableAt: new Date(now.getTime() + 3_600_000) },
        });
      }
      return { rows: rows.length, recorded };
    },
    { timeout: 60_000, maxWait: 10_000 },
  );
}
