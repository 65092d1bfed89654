// POST /telegram/:botId — Telegram's webhook. The secret token is checked and a redelivered update_id is taken
// once: the update is taken with a lease (src/http/update-lease.ts) and counts as processed only once handled.
// Once accepted the answer is 200, a failing handler included (logged, never turned into a 5xx that would make
// Telegram redeliver and stall the chat). The exceptions are retryable 503s, after which Telegram redelivers:
// a dependency is down (database, Redis: fast, nothing marked), or another process holds the update's lease.
import { timingSafeEqual } from "node:crypto";
import type { FastifyInstance, FastifyReply } from "fastify";
import type { Db } from "../core/tx.ts";
import { isInfrastructureFailure, watchInfrastructure } from "../infrastructure-failure.ts";
import { markHandled, releaseLease, renewLease, takeUpdate, type UpdateKey } from "./update-lease.ts";

export interface WebhookTarget {
  botId: number;
  /** X-Telegram-Bot-Api-Secret-Token as set with setWebhook; required. */
  secretToken: string;
  handleUpdate(update: { update_id: number } & Record<string, unknown>): Promise<unknown>;
  /** False while something the handling needs is not there (the bot's info, its Redis): 503, nothing taken. */
  ready?(): boolean;
}

export interface WebhookOptions {
  /** How long a taken update is reserved for its process; renewed while it works. Default 30 s. */
  leaseMs?: number;
  /** The database must answer the lease within this, or the call gets a 503. Default 5 s. */
  dependencyTimeoutMs?: number;
}

function sameSecret(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== "string") return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("dependency timeout")), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

function unavailable(reply: FastifyReply, retryAfterSeconds: number) {
  return reply.code(503).header("retry-after", String(retryAfterSeconds)).send({ error: "UNAVAILABLE" });
}

export function registerWebhook(
  app: FastifyInstance,
  prisma: Db,
  targets: WebhookTarget[] | ((botId: number) => WebhookTarget | undefined),
  opts: WebhookOptions = {},
): void {
  const leaseMs = opts.leaseMs ?? 30_000;
  const timeoutMs = opts.dependencyTimeoutMs ?? 5_000;
  // A function: the bots served can change while running (a school's bot added).
  const lookup = typeof targets === "function" ? targets : (botId: number) => targets.find((t) => t.botId === botId);
  app.post<{ Params: { botId: string } }>(
    "/telegram/:botId",
    { schema: { params: { type: "object", properties: { botId: { type: "string", pattern: "^[0-9]{1,9}$" } } } } },
    async (req, reply) => {
      const target = lookup(Number(req.params.botId));
      if (!target) return reply.code(404).send({ error: "NOT_FOUND" });
      if (!sameSecret(req.headers["x-telegram-bot-api-secret-token"], target.secretToken)) {
        req.log.warn({ botId: target.botId }, "webhook call with a wrong secret token");
        return reply.code(401).send({ error: "UNAUTHORIZED" });
      }
      const update = req.body as { update_id?: unknown } | undefined;
      if (!update || typeof update.update_id !== "number" || !Number.isSafeInteger(update.update_id)) {
        return reply.code(400).send({ error: "VALIDATION" });
      }
      const key: UpdateKey = { botId: target.botId, updateId: update.update_id };
      const log = req.log.child({ botId: key.botId, update_id: key.updateId });
      if (target.ready && !target.ready()) {
        log.warn("webhook update refused: the bot or its storage is not available; Telegram will redeliver");
        return unavailable(reply, 5);
      }

      let taken: Awaited<ReturnType<typeof takeUpdate>>;
      try {
        taken = await withTimeout(takeUpdate(prisma, key, leaseMs), timeoutMs);
      } catch (err) {
        log.error({ err }, "webhook update refused: the database is not available; Telegram will redeliver");
        return unavailable(reply, 5);
      }
      if (taken.state === "handled") {
        log.info("duplicate update ignored");
        return reply.code(200).send({ ok: true, duplicate: true });
      }
      if (taken.state === "leased") {
        log.info({ retryAfterSeconds: taken.retryAfterSeconds }, "update is being handled by another process");
        return unavailable(reply, taken.retryAfterSeconds);
      }
      if (taken.attempts > 1) log.warn({ attempts: taken.attempts }, "update taken over after a lost lease");

      const { holder } = taken;
      const heartbeat = setInterval(
        () => {
          renewLease(prisma, key, holder, leaseMs).catch((err) =>
            log.warn({ err }, "could not renew the update lease"),
          );
        },
        Math.max(200, Math.floor(leaseMs / 3)),
      );
      const run = await watchInfrastructure(() => target.handleUpdate(update as { update_id: number })).finally(() =>
        clearInterval(heartbeat),
      );

      const failure = run.failure ?? (!run.ok && isInfrastructureFailure(run.error) ? run.error : undefined);
      if (failure) {
        log.error({ err: failure }, "webhook update not handled: a dependency failed; Telegram will redeliver");
        await releaseLease(prisma, key, holder).catch(() => undefined);
        return unavailable(reply, 5);
      }
      if (!run.ok) log.error({ err: run.error }, "webhook update failed");
      try {
        await withTimeout(markHandled(prisma, key), timeoutMs);
      } catch (err) {
        // The database went away during the handling, which most likely failed with it: let Telegram redeliver.
        log.error({ err }, "webhook update not marked handled: the database is not available");
        return unavailable(reply, 5);
      }
      return reply.code(200).send({ ok: true });
    },
  );
}
