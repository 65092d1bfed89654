// Sending at Telegram's limit (issue 8), against a fake Bot API that enforces Telegram's flood control (30 messages
// in any second per bot, a burst of 3 then one a second per chat, 429 with retry_after otherwise, premature retries
// counted), through the real outbox dispatcher, Delivery ledger, notify queue and messenger transport, on Redis,
// with the bot's rate its own setting (Bot.sendRate):
// - rate with one worker process and with two (a second process on the same queue, prefix and rate state);
// - SQL statements per message sent (counted on the sender's Prisma client while it sends);
// - a class notice to 2,000 parents: the time from dispatch to the last message ÷ the physical minimum at the limit.
// BENCH_SEND_RATE sets the bot's rate (default: the transport's default).
import { spawn } from "node:child_process";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../src/db/generated/client.ts";
import { DEFAULT_LIMITS } from "../src/messenger/telegram/transport.ts";
import { type FakeBotApi, startFakeBotApi } from "../tests/jobs/helpers/fake-bot-api.ts";
import { benchDatabase, benchRedisUrl, clearRedisPrefix, redisReachable } from "./helpers.ts";
import { type SendTarget, sendingJobs, targetToEnv } from "./send-jobs.ts";

const SEND_RATE = Number(process.env.BENCH_SEND_RATE ?? DEFAULT_LIMITS.botPerSecond);
const RATE_MESSAGES = 900;
const RATE_CHATS = 90;
const PARENTS = 2000;

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

interface Sending {
  prisma: PrismaClient;
  /** SQL statements run on `prisma` so far. */
  queries(): number;
  api: FakeBotApi;
  schoolId: number;
  botId: number;
  /** Starts the workers of this process and of `workers - 1` more processes on the same queue and rate state. */
  startWorkers(workers: number): Promise<void>;
  dispatchOutbox(): Promise<unknown>;
  /** Stops this process's workers (the other processes stop when the run ends). */
  stop(): Promise<void>;
}

/** One run: a scratch schema, a school with its bot at SEND_RATE, a fake Bot API and the jobs, torn down after. */
async function withSending<T>(redisUrl: string, name: string, run: (s: Sending) => Promise<T>): Promise<T> {
  const db = await benchDatabase(name, { prisma: false });
  const { prisma, queries } = countingPrisma(db.url, db.schema);
  const api = await startFakeBotApi({ enforce: true });
  const prefix = `bench_${db.id}`;
  const children: ReturnType<typeof spawn>[] = [];
  let sending: ReturnType<typeof sendingJobs> | undefined;
  let stopped = false;
  try {
    const school = await prisma.school.create({ data: { name: "Bench" } });
    const bot = await prisma.bot.create({
      data: { schoolId: school.id, username: `bench_${db.id}`, sendRate: SEND_RATE },
    });
    const target: SendTarget = {
      dbUrl: db.url,
      dbSchema: db.schema,
      redisUrl,
      prefix,
      apiRoot: api.apiRoot,
      botId: bot.id,
      sendRate: bot.sendRate ?? DEFAULT_LIMITS.botPerSecond,
    };
    const own = sendingJobs(prisma, target);
    sending = own;
    return await run({
      prisma,
      queries,
      api,
      schoolId: school.id,
      botId: bot.id,
      async startWorkers(workers) {
        for (let w = 1; w < workers; w++) {
          const worker = path.join(import.meta.dirname, "send-worker.ts");
          children.push(
            spawn(process.execPath, ["--import", "tsx", worker], {
              env: { ...process.env, ...targetToEnv(target) },
              stdio: ["ignore", "inherit", "inherit"],
            }),
          );
        }
        await own.jobs.startWorkers();
      },
      dispatchOutbox: () => own.jobs.dispatchOutbox(),
      async stop() {
        stopped = true;
        await own.close();
      },
    });
  } finally {
    if (sending && !stopped) await sending.close();
    for (const c of children) c.kill("SIGTERM");
    await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once("exit", r)))));
    await api.close();
    await clearRedisPrefix(redisUrl, prefix);
    await prisma.$disconnect();
    await db.close();
  }
}

export async function benchSendRate(): Promise<Record<string, number | string>> {
  const redisUrl = benchRedisUrl();
  if (!(await redisReachable(redisUrl))) return { skipped: "no Redis at REDIS_URL" };
  const out: Record<string, number | string> = { "per-bot limit (Bot.sendRate, messages/s)": SEND_RATE };
  for (const workers of [1, 2]) Object.assign(out, await withSending(redisUrl, `send${workers}`, rateRun(workers)));
  Object.assign(out, await withSending(redisUrl, "notice", noticeRun));
  return out;
}

const rateRun =
  (workers: number) =>
  async ({ prisma, queries, api, schoolId, botId, ...s }: Sending): Promise<Record<string, number | string>> => {
    const people: number[] = [];
    for (let c = 0; c < RATE_CHATS; c++) {
      const p = await prisma.person.create({ data: { schoolId, lastName: "B", firstName: `P${c}` } });
      await prisma.messengerAccount.create({
        data: { schoolId, personId: p.id, botId, telegramUserId: BigInt(1_000_000 + c), chatId: BigInt(1_000_000 + c) },
      });
      people.push(p.id);
    }
    await prisma.outbox.createMany({
      data: Array.from({ length: RATE_MESSAGES }, (_, i) => ({
        schoolId,
        kind: "bench.message",
        payload: { i, personId: people[i % RATE_CHATS] },
      })),
    });
    await s.dispatchOutbox();
    const before = queries();
    const started = Date.now();
    await s.startWorkers(workers);
    await waitUntil(() => new Set(api.sent.map((m) => m.text)).size >= RATE_MESSAGES, 120_000);
    const ownSent = await prisma.delivery.count({ where: { status: "SENT" } });
    const sqlPerMessage = (queries() - before) / Math.max(1, ownSent);
    await s.stop();
    const distinct = new Set(api.sent.map((m) => m.text)).size;
    const rate = steadyRate(api.sent.map((m) => m.at));
    const k = `${workers} worker process${workers > 1 ? "es" : ""}`;
    return {
      [`${k}: messages/s achieved`]: rate.toFixed(1),
      [`${k}: achieved ÷ the bot's setting`]: (rate / SEND_RATE).toFixed(3),
      [`${k}: achieved ÷ Telegram's 30/s`]: (rate / 30).toFixed(3),
      [`${k}: 429s / premature retries`]: `${api.tooMany} / ${api.premature}`,
      [`${k}: lost / sent twice`]: `${RATE_MESSAGES - distinct} / ${api.sent.length - distinct}`,
      [`${k}: wall time (s)`]: ((Date.now() - started) / 1000).toFixed(1),
      ...(workers === 1 ? { "SQL statements per message sent (sender, 1 process)": sqlPerMessage.toFixed(2) } : {}),
    };
  };

async function noticeRun({ prisma, queries, api, schoolId, botId, ...s }: Sending) {
  const child = await prisma.person.create({ data: { schoolId, lastName: "Ученик", firstName: "А" } });
  const student = await prisma.student.create({ data: { schoolId, personId: child.id } });
  const author = await prisma.person.create({ data: { schoolId, lastName: "Автор", firstName: "Б" } });
  await prisma.person.createMany({
    data: Array.from({ length: PARENTS }, (_, i) => ({ schoolId, lastName: "Родитель", firstName: `${i}` })),
  });
  const parents = (await prisma.person.findMany({ where: { lastName: "Родитель" }, select: { id: true } })).map(
    (p) => p.id,
  );
  const now = new Date();
  await prisma.guardianship.createMany({
    data: parents.map((id) => ({
      schoolId,
      guardianId: id,
      studentId: student.id,
      relation: "мать",
      consentGivenAt: now,
    })),
  });
  await prisma.messengerAccount.createMany({
    data: parents.map((id, i) => ({
      schoolId,
      personId: id,
      botId,
      telegramUserId: BigInt(2_000_000 + i),
      chatId: BigInt(2_000_000 + i),
    })),
  });
  const a = await prisma.announcement.create({
    data: { schoolId, authorId: author.id, scope: "SCHOOL", audience: "PARENTS", text: "Собрание" },
  });
  await prisma.announcementReceipt.createMany({
    data: parents.map((id) => ({ schoolId, announcementId: a.id, personId: id })),
  });
  await prisma.outbox.create({ data: { schoolId, kind: "announcement.created", payload: { announcementId: a.id } } });
  const started = Date.now();
  await s.startWorkers(1);
  await s.dispatchOutbox();
  const dispatched = Date.now();
  const before = queries();
  await waitUntil(() => api.sent.length >= PARENTS, 180_000);
  const elapsed = (Date.now() - started) / 1000;
  const sqlPerMessage = (queries() - before) / Math.max(1, api.sent.length);
  await s.stop();
  const minimum = PARENTS / 30;
  return {
    "notice to 2,000 parents: dispatch (s)": ((dispatched - started) / 1000).toFixed(1),
    "notice to 2,000 parents: total (s)": elapsed.toFixed(1),
    "notice to 2,000 parents: ÷ physical minimum at 30/s": (elapsed / minimum).toFixed(3),
    "notice: 429s / premature retries": `${api.tooMany} / ${api.premature}`,
    "notice: SQL statements per message sent": sqlPerMessage.toFixed(2),
  };
}
