// The bot's window of answers (src/messenger/telegram/rate-store.ts): Telegram counts a message when it arrives,
// which we only know to have happened once its answer is back, so message n waits for the answer of message
// n − count. On both shared stores, and through the transport when messages reach Telegram late.
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { realClock } from "../../../src/messenger/clock.ts";
import {
  postgresRateStore,
  type RateRule,
  type RateStore,
  redisRateStore,
} from "../../../src/messenger/telegram/rate-store.ts";
import { createTelegramTransport } from "../../../src/messenger/telegram/transport.ts";
import { createTestDb, type TestDb } from "../../helpers/db.ts";
import { FloodControl } from "../../helpers/flood-control.ts";
import { redisUrl } from "../../jobs/helpers/jobs.ts";

let db: TestDb;
let redis: Redis;
const prefix = `test_window_${process.pid}_${Date.now()}`;

beforeAll(async () => {
  db = await createTestDb();
  redis = new Redis(redisUrl(), { maxRetriesPerRequest: null });
});
afterAll(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
  await db.drop();
});

const stores: Record<string, () => RateStore> = {
  postgres: () => postgresRateStore(db.prisma),
  redis: () => redisRateStore(redis, prefix),
};

describe.each(Object.keys(stores))("the window of answers on %s", (name) => {
  const rule: RateRule = { intervalMs: 10, burst: 1, window: { count: 3, ms: 1000, pendingMs: 5000 } };
  const B = 1_000_000;

  it("a message waits for the answer of the message `count` before it, then goes a window after that answer", async () => {
    const store = stores[name]();
    const key = "bot:window";
    const first = await Promise.all([0, 1, 2].map(() => store.reserve(key, rule, B)));
    expect(first.map((r) => r.reserved)).toEqual([true, true, true]);
    expect(new Set(first.map((r) => r.ticket)).size).toBe(3);
    const [t0, t1, t2] = [...first].sort((a, b) => a.at - b.at).map((r) => r.ticket!);
    // The first message is unanswered: the fourth cannot be placed yet, ahead or not.
    expect(await store.reserve(key, rule, B)).toMatchObject({ reserved: false, at: Number.NaN });
    expect(await store.reserve(key, rule, B, 15)).toMatchObject({ reserved: false, at: Number.NaN });
    await store.answered(key, rule, t0, B + 300);
    const fourth = await store.reserve(key, rule, B);
    expect(fourth).toMatchObject({ reserved: true, at: B + 1300 });
    // Broadcasts take slots only just ahead: the next is reported, not taken.
    await store.answered(key, rule, t1, B + 100);
    await store.answered(key, rule, t2, B + 100);
    expect(await store.reserve(key, rule, B, 15)).toEqual({ reserved: false, at: B + 1310 });
    expect(await store.reserve(key, rule, B + 1300)).toMatchObject({ reserved: true, at: B + 1310 });
    expect(await store.reserve(key, rule, B + 1300)).toMatchObject({ reserved: true, at: B + 1320 });
    // The fourth (entry of the first) is still unanswered: a late answer of the first does not count for it.
    await store.answered(key, rule, t0, B + 400);
    expect(await store.reserve(key, rule, B + 1400)).toMatchObject({ reserved: false, at: Number.NaN });
    // Unanswered for pendingMs after its slot (its process died): it counts as answered then.
    const late = await store.reserve(key, rule, fourth.at + 5000);
    expect(late).toMatchObject({ reserved: true, at: fourth.at + 5000 + 1000 });
  });

  it("a scope without a window is a plain bucket (a chat: a burst of 3, then its spacing)", async () => {
    const store = stores[name]();
    const chat: RateRule = { intervalMs: 1050, burst: 3 };
    const slots = [];
    for (let i = 0; i < 5; i++) slots.push(await store.reserve("chat:window:1", chat, B));
    expect(slots.map((s) => s.at - B)).toEqual([0, 0, 0, 1050, 2100]);
    expect(slots.every((s) => s.reserved && s.ticket === undefined)).toBe(true);
  });
});

describe("the transport when messages reach Telegram late", () => {
  // On the real clock: a virtual one jumps to the next sleeper while the store's I/O is under way, which would
  // spread the slots out by the very delays under test. Nothing here depends on how fast the machine is: an
  // answer never comes back before the message arrived.
  it("a first burst delayed on its way (cold connections) and punctual messages after it: no 429", async () => {
    const clock = realClock;
    const flood = new FloodControl(clock);
    let arrived = 0;
    // The first ten requests take 400 ms to arrive (the send-rate bench's first burst under load), the rest 2 ms.
    const telegram = (async (_url: string | URL | Request, init?: RequestInit) => {
      const body = JSON.parse(String(init?.body)) as { chat_id: number };
      await clock.sleep(arrived++ < 10 ? 400 : 2);
      const verdict = flood.judge("sendMessage", String(body.chat_id));
      const answer = verdict.ok
        ? { ok: true, result: { message_id: arrived, date: 0, chat: { id: body.chat_id, type: "private" } } }
        : {
            ok: false,
            error_code: 429,
            description: verdict.description,
            parameters: { retry_after: verdict.retryAfter },
          };
      return new Response(JSON.stringify(answer), { status: verdict.ok ? 200 : 429 });
    }) as typeof fetch;
    const transport = createTelegramTransport({
      botId: 901,
      store: redisRateStore(redis, prefix),
      clock,
      fetch: telegram,
    });
    const send = transport.fetch("broadcast");
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        send("https://api.telegram.org/bot123:TEST/sendMessage", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ chat_id: 5000 + i, text: `#${i}` }),
        }).then((r) => r.status),
      ),
    );
    expect(results.filter((s) => s !== 200)).toEqual([]);
    expect({ tooMany: flood.tooMany, premature: flood.premature, requests: flood.requests }).toEqual({
      tooMany: 0,
      premature: 0,
      requests: 100,
    });
  });
});
