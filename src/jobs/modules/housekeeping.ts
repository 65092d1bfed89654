// Housekeeping, once an hour: the webhook's record of taken update ids only needs to outlive Telegram's
// redelivery (it retries for about a day); Outbox and Delivery rows are kept for OUTBOX_RETENTION_DAYS (the
// ledger answers "was it sent?" for that long), then deleted in batches so no statement holds a large lock. The
// transport's rate state in PostgreSQL (RateScope, used when there is no Redis; Redis keys expire by themselves)
// has a row per chat ever written to: a row idle for a day says nothing about Telegram's limits any more.
import { z } from "zod";
import type { Db } from "../../core/tx.ts";
import { defineJob, processorFor } from "../registry.ts";
import type { JobsModuleFactory } from "./index.ts";

const KEEP_UPDATES_MS = 2 * 24 * 3_600_000;
const DAY_MS = 24 * 3_600_000;
export const RATE_SCOPE_IDLE_MS = DAY_MS;
export const DEFAULT_RETENTION_DAYS = 90;
export const PRUNE_BATCH = 5_000;

export const pruneJob = defineJob({
  name: "maintenance.prune",
  queue: "maintenance",
  schema: z.object({}),
  options: { attempts: 3, backoff: { type: "exponential", delay: 10_000 } },
});

/**
 * Deletes the rows created before `cutoff` (and not due after it: a message scheduled later is still live),
 * `batch` rows per statement. Returns how many went.
 */
export async function pruneOlderThan(
  prisma: Db,
  table: "Outbox" | "Delivery",
  cutoff: Date,
  batch = PRUNE_BATCH,
): Promise<number> {
  let total = 0;
  for (;;) {
    const count =
      table === "Outbox"
        ? await prisma.$executeRaw`DELETE FROM "Outbox" WHERE "id" IN (SELECT "id" FROM "Outbox"
            WHERE "createdAt" < ${cutoff} AND "availableAt" < ${cutoff} LIMIT ${batch})`
        : await prisma.$executeRaw`DELETE FROM "Delivery" WHERE "id" IN (SELECT "id" FROM "Delivery"
            WHERE "createdAt" < ${cutoff} AND "dueAt" < ${cutoff} LIMIT ${batch})`;
    total += count;
    if (count < batch) return total;
  }
}

/**
 * Deletes the RateScope rows whose every time (next slot, last slot, closed until; epoch ms) is before `cutoffMs`,
 * `batch` rows per statement. Returns how many went.
 */
export async function pruneIdleRateScopes(prisma: Db, cutoffMs: number, batch = PRUNE_BATCH): Promise<number> {
  let total = 0;
  for (;;) {
    const count = await prisma.$executeRaw`DELETE FROM "RateScope" WHERE "key" IN (SELECT "key" FROM "RateScope"
      WHERE GREATEST("tat", "lastAt", "blockedUntil") < ${cutoffMs}::float8 LIMIT ${batch})`;
    total += count;
    if (count < batch) return total;
  }
}

export const housekeepingModule: JobsModuleFactory = ({ prisma, outboxRetentionDays }) => ({
  definitions: [pruneJob],
  processors: [
    processorFor(pruneJob, async (_payload, ctx) => {
      const { count } = await prisma.processedUpdate.deleteMany({
        where: { createdAt: { lt: new Date(Date.now() - KEEP_UPDATES_MS) } },
      });
      const cutoff = new Date(Date.now() - (outboxRetentionDays ?? DEFAULT_RETENTION_DAYS) * DAY_MS);
      const outbox = await pruneOlderThan(prisma, "Outbox", cutoff);
      const deliveries = await pruneOlderThan(prisma, "Delivery", cutoff);
      const rateScopes = await pruneIdleRateScopes(prisma, Date.now() - RATE_SCOPE_IDLE_MS);
      ctx.logger.info({ processedUpdates: count, outbox, deliveries, rateScopes }, "pruned");
      return { processedUpdates: count, outbox, deliveries, rateScopes };
    }),
  ],
  schedules: [{ id: "maintenance-prune", job: pruneJob, every: 3_600_000 }],
});
