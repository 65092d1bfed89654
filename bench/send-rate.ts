// Sending at Telegram's limit (issue 8), against a fake Bot API that enforces Telegram's flood control (30 messages
// in any second per bot, a burst of 3 then one a second per chat, 429 with retry_after otherwise, premature retries
// counted), through the real outbox dispatcher, Delivery ledger, notify queue and messenger transport, on Redis:
// - rate with one worker process and with two (a second process on the same queue, prefix and rate state);
// - SQL statements per message sent (counted on the sender's Prisma client while it sends);
// - a class notice to 2,000 parents: the time from dispatch to the last message ÷ the physical minimum at the limit.
import { spawn } from "node:child_process";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { Redis } from "ioredis";
import pino from "pino";
import { PrismaClient } from "../src/db/generated/client.ts";
import { createJobs, type OutboxHandler } from "../src/jobs/index.ts";
import { featureJobs } from "../src/jobs/modules/index.ts";
import { redisRateStore } from "../src/messenger/telegram/rate-store.ts";
import { createTelegramTransport, DEFAULT_LIMITS } from "../src/messenger/telegram/transport.ts";
import { startFakeBotApi } from "../tests/jobs/helpers/fake-bot-api.ts";
import { benchDatabase, benchRedisUrl, clearRedisPrefix, redisReachable } from "./helpers.ts";

const LIMIT = DEFAULT_LIMITS.botPerSecond;
const RATE_MESSAGES = 900;
const RATE_CHATS = 90;
const PARENTS = 2000;

const benchHandler: OutboxHandler = {
  kind: "bench.message",
  async handle(row) {
    const { i, personId } = row.payload as { i: number; personId: number };
    return [
      { dedupKey: `bench-${i}`, schoolId: row.schoolId, personId, kind: "bench.message", render: { text: `#${i}` } },
    ];
  },
};

function countingPrisma(url: string, schema: string): { prisma: PrismaClient; queries: () => number } {
  const adapter = new PrismaPg({ connectionString: url, max: 10, options: `-c search_path="${schema}"` }, { schema });
  const prisma = new PrismaClient({ adapter, log: [{ emit: "event", level: "query" }] });
  let n = 0;
  prisma.$on("query", () => {
    n++;
  });
  return { prisma, queries: () => n };
}

async function waitUntil(ok: () => boolean, limitMs: number): Promise<void> {
  const started = Date.now();
  while (!ok() && Date.now() - started < limitMs) await new Promise((r) => setTimeout(r, 50));
}

/** The steady rate: messages per second between the 10th and the last accepted message. */
function steadyRate(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  const from = sorted[Math.min(9, sorted.length - 1)];
  const to = sorted.at(-1) ?? from;
  return (sorted.length - 10) / Math.max(0.001, (to - from) / 1000);
}

export async function benchSendRate(): Promise<Record<string, number | string>> {
  const redisUrl = benchRedisUrl();
  if (!(await redisReachable(redisUrl))) return { skipped: "no Redis at REDIS_URL" };
  const out: Record<string, number | string> = { "per-bot limit (messages/s)": LIMIT };
  for (const workers of [1, 2]) Object.assign(out, await rateRun(redisUrl, workers));
  Object.assign(out, await noticeRun(redisUrl));
  return out;
}

async function rateRun(redisUrl: string, workers: number): Promise<Record<string, number | string>> {
  const db = await benchDatabase(`send${workers}`, { prisma: false });
  const { prisma, queries } = countingPrisma(db.url, db.schema);
  const api = await startFakeBotApi({ enforce: true });
  const prefix = `bench_${db.id}`;
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const children: ReturnType<typeof spawn>[] = [];
  const logger = pino({ level: "silent" });
  try {
    const school = await prisma.school.create({ data: { name: "Bench" } });
    const bot = await prisma.bot.create({ data: { schoolId: school.id, username: `bench_${db.id}` } });
    const people: number[] = [];
    for (let c = 0; c < RATE_CHATS; c++) {
      const p = await prisma.person.create({ data: { schoolId: school.id, lastName: "B", firstName: `P${c}` } });
      await prisma.messengerAccount.create({
        data: {
          schoolId: school.id,
          personId: p.id,
          botId: bot.id,
          telegramUserId: BigInt(1_000_000 + c),
          chatId: BigInt(1_000_000 + c),
        },
      });
      people.push(p.id);
    }
    const transport = createTelegramTransport({ botId: bot.id, store: redisRateStore(redis, prefix), logger });
    const jobs = createJobs({
      prisma,
      logger,
      databaseUrl: db.url,
      databaseSchema: db.schema,
      redisUrl,
      prefix,
      telegram: { token: "123456:BENCH", apiRoot: api.apiRoot, botId: bot.id, transport },
      handlers: [...featureJobs({ prisma, logger }).handlers, benchHandler],
    });
    await prisma.outbox.createMany({
      data: Array.from({ length: RATE_MESSAGES }, (_, i) => ({
        schoolId: school.id,
        kind: "bench.message",
        payload: { i, personId: people[i % RATE_CHATS] },
      })),
    });
    await jobs.dispatchOutbox();
    for (let w = 1; w < workers; w++) {
      const child = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "send-worker.ts")], {
        env: {
          ...process.env,
          BENCH_DB_URL: db.url,
          BENCH_DB_SCHEMA: db.schema,
          BENCH_REDIS_URL: redisUrl,
          BENCH_PREFIX: prefix,
          BENCH_API_ROOT: api.apiRoot,
          BENCH_BOT_ID: String(bot.id),
        },
        stdio: ["ignore", "inherit", "inherit"],
      });
      children.push(child);
    }
    const before = queries();
    const started = Date.now();
    await jobs.startWorkers();
    await waitUntil(() => new Set(api.sent.map((m) => m.text)).size >= RATE_MESSAGES, 120_000);
    const ownSent = await prisma.delivery.count({ where: { status: "SENT" } });
    const sqlPerMessage = (queries() - before) / Math.max(1, ownSent);
    await jobs.close();
    const distinct = new Set(api.sent.map((m) => m.text)).size;
    const rate = steadyRate(api.sent.map((m) => m.at));
    const k = `${workers} worker process${workers > 1 ? "es" : ""}`;
    return {
      [`${k}: messages/s achieved`]: rate.toFixed(1),
      [`${k}: achieved ÷ the bot's setting`]: (rate / LIMIT).toFixed(3),
      [`${k}: achieved ÷ Telegram's 30/s`]: (rate / 30).toFixed(3),
      [`${k}: 429s / premature retries`]: `${api.tooMany} / ${api.premature}`,
      [`${k}: lost / sent twice`]: `${RATE_MESSAGES - distinct} / ${api.sent.length - distinct}`,
      [`${k}: wall time (s)`]: ((Date.now() - started) / 1000).toFixed(1),
      ...(workers === 1 ? { "SQL statements per message sent (sender, 1 process)": sqlPerMessage.toFixed(2) } : {}),
    };
  } finally {
    for (const c of children) c.kill("SIGTERM");
    await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once("exit", r)))));
    redis.disconnect();
    await api.close();
    await clearRedisPrefix(redisUrl, prefix);
    await prisma.$disconnect();
    await db.close();
  }
}

async function noticeRun(redisUrl: string): Promise<Record<string, number | string>> {
  const db = await benchDatabase("notice", { prisma: false });
  const { prisma, queries } = countingPrisma(db.url, db.schema);
  const api = await startFakeBotApi({ enforce: true });
  const prefix = `bench_${db.id}`;
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const logger = pino({ level: "silent" });
  try {
    const school = await prisma.school.create({ data: { name: "Bench" } });
    const bot = await prisma.bot.create({ data: { schoolId: school.id, username: `bench_${db.id}` } });
    const child = await prisma.person.create({ data: { schoolId: school.id, lastName: "Ученик", firstName: "А" } });
    const student = await prisma.student.create({ data: { schoolId: school.id, personId: child.id } });
    const author = await prisma.person.create({ data: { schoolId: school.id, lastName: "Автор", firstName: "Б" } });
    await prisma.person.createMany({
      data: Array.from({ length: PARENTS }, (_, i) => ({
        schoolId: school.id,
        lastName: "Родитель",
        firstName: `${i}`,
      })),
    });
    const parents = (await prisma.person.findMany({ where: { lastName: "Родитель" }, select: { id: true } })).map(
      (p) => p.id,
    );
    const now = new Date();
    await prisma.guardianship.createMany({
      data: parents.map((id) => ({
        schoolId: school.id,
        guardianId: id,
        studentId: student.id,
        relation: "мать",
        consentGivenAt: now,
      })),
    });
    await prisma.messengerAccount.createMany({
      data: parents.map((id, i) => ({
        schoolId: school.id,
        personId: id,
        botId: bot.id,
        telegramUserId: BigInt(2_000_000 + i),
        chatId: BigInt(2_000_000 + i),
      })),
    });
    const a = await prisma.announcement.create({
      data: { schoolId: school.id, authorId: author.id, scope: "SCHOOL", audience: "PARENTS", text: "Собрание" },
    });
    await prisma.announcementReceipt.createMany({
      data: parents.map((id) => ({ schoolId: school.id, announcementId: a.id, personId: id })),
    });
    await prisma.outbox.create({
      data: { schoolId: school.id, kind: "announcement.created", payload: { announcementId: a.id } },
    });
    const transport = createTelegramTransport({ botId: bot.id, store: redisRateStore(redis, prefix), logger });
    const jobs = createJobs({
      prisma,
      logger,
      databaseUrl: db.url,
      databaseSchema: db.schema,
      redisUrl,
      prefix,
      telegram: { token: "123456:BENCH", apiRoot: api.apiRoot, botId: bot.id, transport },
      handlers: featureJobs({ prisma, logger }).handlers,
    });
    const started = Date.now();
    await jobs.startWorkers();
    await jobs.dispatchOutbox();
    const dispatched = Date.now();
    const before = queries();
    await waitUntil(() => api.sent.length >= PARENTS, 180_000);
    const elapsed = (Date.now() - started) / 1000;
    const sqlPerMessage = (queries() - before) / Math.max(1, api.sent.length);
    await jobs.close();
    const minimum = PARENTS / 30;
    return {
      "notice to 2,000 parents: dispatch (s)": ((dispatched - started) / 1000).toFixed(1),
      "notice to 2,000 parents: total (s)": elapsed.toFixed(1),
      "notice to 2,000 parents: ÷ physical minimum at 30/s": (elapsed / minimum).toFixed(3),
      "notice: 429s / premature retries": `${api.tooMany} / ${api.premature}`,
      "notice: SQL statements per message sent": sqlPerMessage.toFixed(2),
    };
  } finally {
    redis.disconnect();
    await api.close();
    await clearRedisPrefix(redisUrl, prefix);
    await prisma.$disconnect();
    await db.close();
  }
}
