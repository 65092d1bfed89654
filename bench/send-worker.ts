// A second worker process for the send-rate bench: the same notify queue, Redis prefix and shared rate state.
import { Redis } from "ioredis";
import pino from "pino";
import { createPrisma } from "../src/db/database.ts";
import { createJobs } from "../src/jobs/index.ts";
import { featureJobs } from "../src/jobs/modules/index.ts";
import { redisRateStore } from "../src/messenger/telegram/rate-store.ts";
import { createTelegramTransport } from "../src/messenger/telegram/transport.ts";

const env = (k: string) => {
  const v = process.env[k];
  if (!v) throw new Error(`${k} is required`);
  return v;
};
const logger = pino({ level: "silent" });
const prisma = createPrisma(env("BENCH_DB_URL"), env("BENCH_DB_SCHEMA"));
const redis = new Redis(env("BENCH_REDIS_URL"), { maxRetriesPerRequest: null });
const botId = Number(env("BENCH_BOT_ID"));
const transport = createTelegramTransport({ botId, store: redisRateStore(redis, env("BENCH_PREFIX")), logger });
const benchHandler = {
  kind: "bench.message",
  handle: async () => [],
};
const jobs = createJobs({
  prisma,
  logger,
  databaseUrl: env("BENCH_DB_URL"),
  databaseSchema: env("BENCH_DB_SCHEMA"),
  redisUrl: env("BENCH_REDIS_URL"),
  prefix: env("BENCH_PREFIX"),
  telegram: { token: "123456:BENCH", apiRoot: env("BENCH_API_ROOT"), botId, transport },
  handlers: [...featureJobs({ prisma, logger }).handlers, benchHandler],
});
await jobs.startWorkers();
process.on("SIGTERM", async () => {
  await jobs.close();
  redis.disconnect();
  await prisma.$disconnect();
  process.exit(0);
});
