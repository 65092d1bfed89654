// The outbox dispatcher: claims committed outbox rows that are due (SELECT … FOR UPDATE SKIP LOCKED inside
// one transaction, so concurrent dispatchers in several processes never take the same row), asks the row's
// handler which messages it announces, records each as a PENDING Delivery and enqueues one notify job per
// message (deterministic job id from the dedup key), then marks the rows dispatched. If anything fails before
// commit, the rows stay undispatched and the next run repeats the work; job ids and dedup keys make the
// repetition harmless. Unknown kinds and malformed payloads are logged and marked dispatched.
//
// Per-chat spacing starts here: each message's due time is the first instant from its notBefore (or now)
// that is a second away from the chat's other due times. Delivery.dueAt holds that due time (the instant the message joins its chat's line; the
// sender orders a chat's messages by it), and the notify job is delayed until then. The sender re-checks
// order and spacing at send time (chat-gate.ts) because 429s and retries reshuffle the queue.
import { ZodError } from "zod";
import type { Db } from "../../core/tx.ts";
import type { Logger } from "../../logger.ts";
import { CHAT_SPACING_MS } from "../notify/chat-gate.ts";
import type { NotifyPayload } from "../notify/payload.ts";
import type { OutboxHandler, OutboxRow, OutgoingMessage } from "./handler.ts";

export interface NotifyJobSpec {
  dedupKey: string;
  data: NotifyPayload;
  delayMs: number;
}

export interface DispatchDeps {
  prisma: Db;
  logger: Logger;
  handlers: Map<string, OutboxHandler>;
  botId: number;
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

async function dispatchBatch(deps: DispatchDeps, batchSize: number): Promise<DispatchResult> {
  const { prisma, logger, botId } = deps;
  return prisma.$transaction(
    async (tx) => {
      const now = deps.now?.() ?? new Date();
      const rows = await tx.$queryRawUnsafe<ClaimedRow[]>(
        `SELECT id, "schoolId", kind, payload FROM ${table(deps, "Outbox")}
         WHERE "dispatchedAt" IS NULL AND "availableAt" <= $1
         ORDER BY "availableAt", id LIMIT $2 FOR UPDATE SKIP LOCKED`,
        now,
        batchSize,
      );
      if (rows.length === 0) return { rows: 0, messages: 0 };

      const done: bigint[] = [];
      const produced: { row: ClaimedRow; message: OutgoingMessage }[] = [];
      for (const row of rows) {
        const handler = deps.handlers.get(row.kind);
        if (!handler) {
          logger.warn({ outboxId: String(row.id), kind: row.kind }, "outbox: unknown kind, marked dispatched");
          done.push(row.id);
          continue;
        }
        try {
          // Handlers read through the client, not the claim transaction: a failing read must not abort it.
          const messages = await handler.handle(row as OutboxRow, { db: prisma, now, logger });
          for (const message of messages) produced.push({ row, message });
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

      const personIds = [...new Set(produced.map((p) => p.message.personId))];
      const accounts = personIds.length
        ? await tx.messengerAccount.findMany({
            where: { botId, personId: { in: personIds }, blockedAt: null },
            orderBy: { linkedAt: "asc" },
            select: { personId: true, chatId: true },
          })
        : [];
      const chatOf = new Map(accounts.map((a) => [a.personId, a.chatId])); // the latest link wins
      const chats = [...new Set(chatOf.values())];
      // Due times already taken per chat (from a second ago on, including messages waiting for quiet hours).
      const taken = new Map<bigint, number[]>();
      if (chats.length) {
        const recent = await tx.delivery.findMany({
          where: { botId, chatId: { in: chats }, dueAt: { gt: new Date(now.getTime() - CHAT_SPACING_MS) } },
          select: { chatId: true, dueAt: true },
        });
        for (const r of recent) taken.set(r.chatId, [...(taken.get(r.chatId) ?? []), r.dueAt.getTime()]);
      }
      const deliveries: {
        schoolId: number;
        dedupKey: string;
        botId: number;
        chatId: bigint;
        personId: number;
        kind: string;
        dueAt: Date;
      }[] = [];
      const jobs: NotifyJobSpec[] = [];
      const seen = new Set<string>();
      for (const { row, message } of produced) {
        const chatId = chatOf.get(message.personId);
        if (chatId === undefined || seen.has(message.dedupKey)) continue;
        seen.add(message.dedupKey);
        const dues = taken.get(chatId) ?? [];
        const due = freeSlot(dues, Math.max(now.getTime(), message.notBefore?.getTime() ?? 0));
        taken.set(chatId, [...dues, due]);
        deliveries.push({
          schoolId: message.schoolId,
          dedupKey: message.dedupKey,
          botId,
          chatId,
          personId: message.personId,
          kind: message.kind,
          dueAt: new Date(due),
        });
        jobs.push({
          dedupKey: message.dedupKey,
          delayMs: Math.max(0, due - now.getTime()),
          data: {
            schoolId: row.schoolId,
            source: { kind: row.kind, payload: (row.payload ?? {}) as Record<string, unknown> },
            dedupKey: message.dedupKey,
          },
        });
      }
      if (deliveries.length) await tx.delivery.createMany({ data: deliveries, skipDuplicates: true });
      if (jobs.length) await deps.enqueueNotify(jobs);
      if (done.length) {
        await tx.outbox.updateMany({ where: { id: { in: done } }, data: { dispatchedAt: now } });
      }
      logger.debug({ rows: rows.length, messages: jobs.length }, "outbox dispatched");
      return { rows: rows.length, messages: jobs.length };
    },
    { timeout: 60_000, maxWait: 10_000 },
  );
}

/** The first instant at or after `from` that is at least a second away from every taken due time. */
export function freeSlot(taken: number[], from: number): number {
  const sorted = [...taken].sort((a, b) => a - b);
  let t = from;
  for (const d of sorted) {
    if (d <= t - CHAT_SPACING_MS) continue;
    if (d >= t + CHAT_SPACING_MS) break;
    t = d + CHAT_SPACING_MS;
  }
  return t;
}
