// Conversation state outside process memory, so any process can take the next update of a chat:
// PostgreSQL (BotState table) by default, Redis when a client is given.
import type { ConversationData, VersionedState, VersionedStateStorage } from "@grammyjs/conversations";
import type { Context } from "grammy";
import type { RedisOptions } from "ioredis";
import type { Db } from "../core/tx.ts";
import type { Prisma } from "../db/generated/client.ts";
import { reportInfrastructureFailure } from "../infrastructure-failure.ts";

/** The part of an ioredis client this needs. */
export interface RedisLike {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, mode: "EX", seconds: number): Promise<unknown>;
  del(key: string): Promise<number>;
}

type State = VersionedState<ConversationData>;

/** Abandoned conversations expire from Redis after this; BotState rows are pruned by maintenance. */
const REDIS_TTL_SECONDS = 30 * 86_400;

export function postgresStateAdapter(prisma: Db): VersionedStateStorage<string, ConversationData> {
  return {
    async read(key) {
      const row = await prisma.botState.findUnique({ where: { key }, select: { value: true } });
      return (row?.value as unknown as State | undefined) ?? undefined;
    },
    async write(key, state) {
      const value = JSON.parse(JSON.stringify(state)) as Prisma.InputJsonValue;
      await prisma.botState.upsert({ where: { key }, create: { key, value }, update: { value } });
    },
    async delete(key) {
      await prisma.botState.deleteMany({ where: { key } });
    },
  };
}

/**
 * Options of the bot's own Redis client in webhook mode. Unlike the queues' client (which must wait for Redis forever), a webhook
 * request must not: while Redis is down a command fails at once (no offline queue) or after a short timeout, and
 * the webhook answers 503 so that Telegram redelivers the update later.
 */
export const BOT_STORAGE_REDIS_OPTIONS: RedisOptions = {
  enableOfflineQueue: false,
  commandTimeout: 2_000,
  maxRetriesPerRequest: 1,
  connectTimeout: 2_000,
  lazyConnect: false,
};

/** A storage failure is the infrastructure's, not the handler's: reported so the webhook answers 503. */
async function redisCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw reportInfrastructureFailure("redis", err);
  }
}

export function redisStateAdapter(redis: RedisLike): VersionedStateStorage<string, ConversationData> {
  return {
    async read(key) {
      const raw = await redisCall(() => redis.get(key));
      return raw ? (JSON.parse(raw) as State) : undefined;
    },
    async write(key, state) {
      await redisCall(() => redis.set(key, JSON.stringify(state), "EX", REDIS_TTL_SECONDS));
    },
    async delete(key) {
      await redisCall(() => redis.del(key));
    },
  };
}

/** Key: bot, chat and user, so two people in one chat never share a conversation. */
export function conversationStorage<C extends Context>(opts: { prisma: Db; botId: number; redis?: RedisLike }) {
  return {
    type: "key" as const,
    getStorageKey: (ctx: C) =>
      ctx.chatId === undefined || !ctx.from ? undefined : `classbook:conv:${opts.botId}:${ctx.chatId}:${ctx.from.id}`,
    adapter: opts.redis ? redisStateAdapter(opts.redis) : postgresStateAdapter(opts.prisma),
  };
}
