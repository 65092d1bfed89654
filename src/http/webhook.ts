// POST /telegram/:botId — Telegram's webhook. The secret token is checked, a redelivered update_id is taken
// once (ProcessedUpdate), and once accepted the answer is always 200: a failing handler is logged, never
// turned into a 5xx that would make Telegram redeliver and stall the chat.
import { timingSafeEqual } from "node:crypto";
import type { FastifyInstance } from "fastify";
import type { Db } from "../core/tx.ts";

export interface WebhookTarget {
  botId: number;
  /** X-Telegram-Bot-Api-Secret-Token as set with setWebhook; required. */
  secretToken: string;
  handleUpdate(update: { update_id: number } & Record<string, unknown>): Promise<unknown>;
}

function sameSecret(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== "string") return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function registerWebhook(app: FastifyInstance, prisma: Db, targets: WebhookTarget[]): void {
  const byId = new Map(targets.map((t) => [t.botId, t]));
  app.post<{ Params: { botId: string } }>(
    "/telegram/:botId",
    { schema: { params: { type: "object", properties: { botId: { type: "string", pattern: "^[0-9]{1,9}$" } } } } },
    async (req, reply) => {
      const target = byId.get(Number(req.params.botId));
      if (!target) return reply.code(404).send({ error: "NOT_FOUND" });
      if (!sameSecret(req.headers["x-telegram-bot-api-secret-token"], target.secretToken)) {
        req.log.warn({ botId: target.botId }, "webhook call with a wrong secret token");
        return reply.code(401).send({ error: "UNAUTHORIZED" });
      }
      const update = req.body as { update_id?: unknown } | undefined;
      if (!update || typeof update.update_id !== "number" || !Number.isSafeInteger(update.update_id)) {
        return reply.code(400).send({ error: "VALIDATION" });
      }
      const taken = await prisma.processedUpdate.createMany({
        data: [{ botId: target.botId, updateId: BigInt(update.update_id) }],
        skipDuplicates: true,
      });
      if (taken.count === 0) {
        req.log.info({ botId: target.botId, update_id: update.update_id }, "duplicate update ignored");
        return reply.code(200).send({ ok: true, duplicate: true });
      }
      try {
        await target.handleUpdate(update as { update_id: number });
      } catch (err) {
        req.log.error({ err, botId: target.botId, update_id: update.update_id }, "webhook update failed");
      }
      return reply.code(200).send({ ok: true });
    },
  );
}
