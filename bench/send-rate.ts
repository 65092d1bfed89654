// Send rate against a fake Bot API that enforces Telegram's limits (30 messages in any second per bot, one
// per second per chat, 429 with retry_after otherwise): N messages to M chats through the real outbox
// dispatcher and notify queue (Redis when reachable, else BullMQ's PostgreSQL backend). Reports messages per
// second achieved, 429s received and messages lost (must be 0). Bounded: N = 240, M = 40, 90 s at most.
import pino from "pino";
import { createJobs, type OutboxHandler } from "../src/jobs/index.ts";
import { startFakeBotApi } from "../tests/jobs/helpers/fake-bot-api.ts";
import { benchDatabase, benchRedisUrl, clearRedisPrefix, redisReachable } from "./helpers.ts";

const MESSAGES = 240;
const CHATS = 40;
const TIME_LIMIT_MS = 90_000;

// One bench message per outbox row: "#<i>" to a given person.
const benchHandler: OutboxHandler = {
  kind: "bench.message",
  async handle(row) {
    const { i, personId } = row.payload as { i: number; personId: number };
    return [
      { dedupKey: `bench-${i}`, schoolId: row.schoolId, personId, kind: "bench.message", render: { text: `#${i}` } },
    ];
  },
};

export async function benchSendRate(): Promise<Record<string, number | string>> {
  const db = await benchDatabase("send");
  const { url, schema, id, prisma } = db;
  const pgSchema = db.extraSchema("bullmq");
  const redisUrl = benchRedisUrl();
  const useRedis = await redisReachable(redisUrl);
  const api = await startFakeBotApi({ enforce: { perBot: 30, perChatMs: 1000 } });
  const prefix = `bench_${id}`;
  const school = await prisma.school.create({ data: { name: "Bench" } });
  const bot = await prisma.bot.create({ data: { schoolId: school.id, username: `bench_${id}` } });
  const jobs = createJobs({
    prisma,
    logger: pino({ level: "silent" }),
    databaseUrl: url,
    databaseSchema: schema,
    redisUrl: useRedis ? redisUrl : undefined,
    prefix,
    pgSchema,
    telegram: { token: "123456:BENCH", apiRoot: api.apiRoot, botId: bot.id },
    handlers: [benchHandler],
    outboxEveryMs: 250,
  });
  try {
    const people: number[] = [];
    for (let c = 0; c < CHATS; c++) {
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
    await prisma.outbox.createMany({
      data: Array.from({ length: MESSAGES }, (_, i) => ({
        schoolId: school.id,
        kind: "bench.message",
        payload: { i, personId: people[i % CHATS] },
      })),
    });
    const started = Date.now();
    await jobs.startWorkers();
    await jobs.startSchedulers();
    while (Date.now() - started < TIME_LIMIT_MS) {
      const delivered = new Set(api.sent.map((m) => m.text)).size;
      if (delivered >= MESSAGES) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const first = api.sent[0]?.at ?? started;
    const last = api.sent.at(-1)?.at ?? Date.now();
    const distinct = new Set(api.sent.map((m) => m.text)).size;
    // The ideal: the bot limit (30/s) or the per-chat limit (one a second for MESSAGES/CHATS per chat).
    const idealSeconds = Math.max(MESSAGES / 30, MESSAGES / CHATS - 1);
    return {
      backend: useRedis ? "redis" : "postgres",
      messages: MESSAGES,
      chats: CHATS,
      "wall time, first enqueue to last send (s)": ((last - started) / 1000).toFixed(1),
      "messages/s achieved (first to last send)": (distinct / Math.max(0.001, (last - first) / 1000)).toFixed(1),
      "messages/s overall": (distinct / Math.max(0.001, (last - started) / 1000)).toFixed(1),
      "ideal messages/s under the limits": (MESSAGES / idealSeconds).toFixed(1),
      "429s received": api.tooMany,
      "messages lost": MESSAGES - distinct,
      "messages sent twice": api.sent.length - distinct,
    };
  } finally {
    await jobs.close();
    await api.close();
    if (useRedis) await clearRedisPrefix(redisUrl, prefix);
    await db.close();
  }
}
