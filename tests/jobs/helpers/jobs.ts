// A jobs layer for a test: Redis with a unique key prefix, or BullMQ's PostgreSQL backend in a unique schema,
// talking to a fake Bot API. Cleans up after itself.
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import pg from "pg";
import pino from "pino";
import { inject } from "vitest";
import { type CreateJobsDeps, createJobs, type Jobs } from "../../../src/jobs/index.ts";
import { featureJobs } from "../../../src/jobs/modules/index.ts";
import { oneBotDirectory } from "../../../src/messenger/telegram/bot-directory.ts";
import { postgresRateStore } from "../../../src/messenger/telegram/rate-store.ts";
import type { TelegramTransport, TransportLimits } from "../../../src/messenger/telegram/transport.ts";
import type { TestDb } from "../../helpers/db.ts";

export type Backend = "redis" | "postgres";

export function redisUrl(): string {
  return inject("redisUrl") || process.env.REDIS_URL || "redis://127.0.0.1:6379";
}

export interface TestJobs {
  jobs: Jobs;
  cleanup(): Promise<void>;
}

/** The one bot a test's jobs send through; its transport is made here unless the test shares its own. */
export interface TestBot {
  token: string;
  botId: number;
  apiRoot?: string;
  transport?: TelegramTransport;
  limits?: Partial<TransportLimits>;
  fetch?: typeof fetch;
}

export function makeJobs(
  db: TestDb,
  backend: Backend,
  telegram: TestBot | undefined,
  extra: Partial<CreateJobsDeps> = {},
): TestJobs {
  const id = randomBytes(4).toString("hex");
  const prefix = `test_jobs_${id}`;
  const pgSchema = `bullmq_${id}`;
  const logger = pino({ level: process.env.TEST_LOG ?? "silent" });
  // Every outbox kind needs its handler (the jobs refuse to start otherwise): the feature modules' ones, plus the test's.
  const moduleHandlers = featureJobs({ prisma: db.prisma, logger }).handlers;
  const extraKinds = new Set((extra.handlers ?? []).map((h) => h.kind));
  const jobs = createJobs({
    prisma: db.prisma,
    logger,
    databaseUrl: db.url,
    databaseSchema: db.schema,
    redisUrl: backend === "redis" ? redisUrl() : undefined,
    prefix,
    pgSchema,
    bots: telegram
      ? oneBotDirectory(
          { id: telegram.botId, token: telegram.token },
          {
            apiRoot: telegram.apiRoot,
            transport: telegram.transport,
            store: postgresRateStore(db.prisma),
            limits: telegram.limits,
            fetch: telegram.fetch,
            logger,
          },
        )
      : undefined,
    ...extra,
    handlers: [...moduleHandlers.filter((h) => !extraKinds.has(h.kind)), ...(extra.handlers ?? [])],
  });
  return {
    jobs,
    async cleanup() {
      await jobs.close();
      if (backend === "redis") {
        const r = new Redis(redisUrl());
        const keys = await r.keys(`${prefix}:*`);
        if (keys.length) await r.del(...keys);
        await r.quit();
      } else {
        const c = new pg.Client({ connectionString: db.url });
        await c.connect();
        await c.query(`DROP SCHEMA IF EXISTS "${pgSchema}" CASCADE`);
        await c.end();
      }
    },
  };
}
