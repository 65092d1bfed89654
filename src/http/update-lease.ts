// A webhook update is taken with a lease and counts as processed only once handled: a process that dies
// mid-handling leaves an unhandled row whose lease runs out, and Telegram's redelivery is then taken over.
import { randomUUID } from "node:crypto";
import type { Db } from "../core/tx.ts";

export type Taken =
  | { state: "taken"; holder: string; attempts: number }
  | { state: "handled" }
  /** Another process holds it (or did until it died): ask Telegram to come back after the lease. */
  | { state: "leased"; retryAfterSeconds: number };

export interface UpdateKey {
  botId: number;
  updateId: number;
}

/** One statement takes a new update or one whose lease ran out; otherwise says why not. */
export async function takeUpdate(prisma: Db, key: UpdateKey, leaseMs: number): Promise<Taken> {
  const holder = randomUUID();
  const updateId = BigInt(key.updateId);
  const rows = await prisma.$queryRaw<{ attempts: number }[]>`
    INSERT INTO "ProcessedUpdate" ("botId", "updateId", "leaseUntil", "holder")
    VALUES (${key.botId}, ${updateId}, now() + ${leaseMs} * interval '1 millisecond', ${holder})
    ON CONFLICT ("botId", "updateId") DO UPDATE
      SET "leaseUntil" = EXCLUDED."leaseUntil", "holder" = EXCLUDED."holder",
          "attempts" = "ProcessedUpdate"."attempts" + 1
      WHERE "ProcessedUpdate"."handledAt" IS NULL
        AND ("ProcessedUpdate"."leaseUntil" IS NULL OR "ProcessedUpdate"."leaseUntil" < now())
    RETURNING "attempts"`;
  if (rows.length === 1) return { state: "taken", holder, attempts: rows[0].attempts };
  const [row] = await prisma.$queryRaw<{ handled: boolean; left_ms: number | null }[]>`
    SELECT "handledAt" IS NOT NULL AS handled,
           (EXTRACT(EPOCH FROM ("leaseUntil" - now())) * 1000)::float8 AS left_ms
    FROM "ProcessedUpdate" WHERE "botId" = ${key.botId} AND "updateId" = ${updateId}`;
  if (row?.handled) return { state: "handled" };
  return { state: "leased", retryAfterSeconds: Math.max(1, Math.ceil((row?.left_ms ?? 0) / 1000)) };
}

/** Extends the holder's lease while it is still working. */
export async function renewLease(prisma: Db, key: UpdateKey, holder: string, leaseMs: number): Promise<void> {
  await prisma.$executeRaw`
    UPDATE "ProcessedUpdate" SET "leaseUntil" = now() + ${leaseMs} * interval '1 millisecond'
    WHERE "botId" = ${key.botId} AND "updateId" = ${BigInt(key.updateId)}
      AND "holder" = ${holder} AND "handledAt" IS NULL`;
}

export async function markHandled(prisma: Db, key: UpdateKey): Promise<void> {
  await prisma.$executeRaw`
    UPDATE "ProcessedUpdate" SET "handledAt" = now(), "leaseUntil" = NULL
    WHERE "botId" = ${key.botId} AND "updateId" = ${BigInt(key.updateId)} AND "handledAt" IS NULL`;
}

/** Gives the update back at once (a dependency failed): the next redelivery may take it. */
export async function releaseLease(prisma: Db, key: UpdateKey, holder: string): Promise<void> {
  await prisma.$executeRaw`
    UPDATE "ProcessedUpdate" SET "leaseUntil" = NULL
    WHERE "botId" = ${key.botId} AND "updateId" = ${BigInt(key.updateId)}
      AND "holder" = ${holder} AND "handledAt" IS NULL`;
}
