// A worker process of the region bench: the real jobs layer (every feature module, the digest fan-out among
// them) with a bot directory of every school's bot, on the bench's Redis, prefix and rate state. It counts the SQL
// statements its Prisma client sends and reports its CPU time, RSS, live heap and that count when the parent asks
// (IPC).
import { Redis } from "ioredis";
import pino from "pino";
import { createJobs } from "../src/jobs/index.ts";
import { featureJobs } from "../src/jobs/modules/index.ts";
import { createBotDirectory } from "../src/messenger/telegram/bot-directory.ts";
import { redisRateStore } from "../src/messenger/telegram/rate-store.ts";
import { countingPrisma } from "../tests/core/digest/query-counter.ts";

export interface WorkerStats {
  cpuMs: number;
  rssMb: number;
  /** Live JavaScript heap after a full collection: what is really kept, unlike RSS (which the allocator holds). */
  heapAfterGcMb: number;
  sql: number;
  bots: number;
}

const env = (k: string) => {
  const v = process.env[k];
  if (!v) throw new Error(`${k} is required`);
  return v;
};
const logger = pino({ level: process.env.BENCH_LOG_LEVEL ?? "silent" });
// search_path as createPrisma sets it: raw SQL (the ledger's) names tables unqualified.
const pgUrl = new URL(env("BENCH_DB_URL"));
pgUrl.searchParams.set("options", `-c search_path="${env("BENCH_DB_SCHEMA")}"`);
const counted = countingPrisma(pgUrl.toString(), env("BENCH_DB_SCHEMA"));
const prisma = counted.prisma;
const redis = new Redis(env("BENCH_REDIS_URL"), { maxRetriesPerRequest: null });
const directory = createBotDirectory({
  prisma,
  appSecret: env("BENCH_APP_SECRET"),
  apiRoot: env("BENCH_API_ROOT"),
  store: redisRateStore(redis, env("BENCH_PREFIX")),
  defaultWebhookSecret: () => "unused",
  logger,
});
const jobs = createJobs({
  ...featureJobs({ prisma, logger }),
  prisma,
  logger,
  databaseUrl: env("BENCH_DB_URL"),
  databaseSchema: env("BENCH_DB_SCHEMA"),
  redisUrl: env("BENCH_REDIS_URL"),
  prefix: env("BENCH_PREFIX"),
  bots: directory,
});

const stats = (): WorkerStats => {
  const cpu = process.cpuUsage();
  const rssMb = process.memoryUsage.rss() / 1048576;
  (globalThis as { gc?: () => void }).gc?.();
  return {
    cpuMs: (cpu.user + cpu.system) / 1000,
    rssMb,
    heapAfterGcMb: process.memoryUsage().heapUsed / 1048576,
    sql: counted.count(),
    bots: directory.all().length,
  };
};

await directory.refresh();
await jobs.startWorkers();
process.send?.({ ready: stats() });
process.on("message", (msg) => {
  if (msg === "stats") process.send?.({ stats: stats() });
});
process.on("SIGTERM", async () => {
  await jobs.close();
  directory.close();
  redis.disconnect();
  await counted.close();
  process.exit(0);
});
