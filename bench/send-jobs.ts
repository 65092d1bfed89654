// The sending side of the send-rate bench, the same in the bench's process and in its second worker process
// (send-worker.ts): the real jobs (outbox dispatcher, notify queue, sender) on Redis, with the bot's transport
// paced at the bot's own rate (Bot.sendRate, as src/app/run.ts reads it) on the Redis rate store.
import { Redis } from "ioredis";
import pino from "pino";
import type { Db } from "../src/core/tx.ts";
import { createJobs, type Jobs, type OutboxHandler } from "../src/jobs/index.ts";
import { featureJobs } from "../src/jobs/modules/index.ts";
import { oneBotDirectory } from "../src/messenger/telegram/bot-directory.ts";
import { redisRateStore } from "../src/messenger/telegram/rate-store.ts";
import { createTelegramTransport } from "../src/messenger/telegram/transport.ts";

/** What a process needs to send for the bench; passed to the second process in its environment. */
export interface SendTarget {
  dbUrl: string;
  dbSchema: string;
  redisUrl: string;
  prefix: string;
  apiRoot: string;
  botId: number;
  /** The bot's Bot.sendRate (messages a second). */
  sendRate: number;
}

/** The bench's own outbox kind: message #i to one person, built when dispatched. */
export const benchHandler: OutboxHandler = {
  kind: "bench.message",
  async handle(row) {
    const { i, personId } = row.payload as { i: number; personId: number };
    return [
      { dedupKey: `bench-${i}`, schoolId: row.schoolId, personId, kind: "bench.message", render: { text: `#${i}` } },
    ];
  },
};

export function sendingJobs(prisma: Db, target: SendTarget): { jobs: Jobs; close(): Promise<void> } {
  const logger = pino({ level: "silent" });
  const redis = new Redis(target.redisUrl, { maxRetriesPerRequest: null });
  const transport = createTelegramTransport({
    botId: target.botId,
    store: redisRateStore(redis, target.prefix),
    limits: { botPerSecond: target.sendRate },
    logger,
  });
  const jobs = createJobs({
    prisma,
    logger,
    databaseUrl: target.dbUrl,
    databaseSchema: target.dbSchema,
    redisUrl: target.redisUrl,
    prefix: target.prefix,
    bots: oneBotDirectory(
      { id: target.botId, token: "123456:BENCH" },
      { apiRoot: target.apiRoot, transport, store: redisRateStore(redis, target.prefix), logger },
    ),
    handlers: [...featureJobs({ prisma, logger }).handlers, benchHandler],
  });
  return {
    jobs,
    async close() {
      await jobs.close();
      redis.disconnect();
    },
  };
}

export const targetToEnv = (t: SendTarget): Record<string, string> => ({ BENCH_SEND_TARGET: JSON.stringify(t) });

export function targetFromEnv(): SendTarget {
  const raw = process.env.BENCH_SEND_TARGET;
  if (!raw) throw new Error("BENCH_SEND_TARGET is required");
  return JSON.parse(raw) as SendTarget;
}
