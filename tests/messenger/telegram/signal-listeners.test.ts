// A call lets go of the signals it waited on once it is settled. The bot's gate left its abort listener on the
// signal of every wait, and the transport built each call's wait signal with AbortSignal.any from its long-lived
// shutdown signal: Node then keeps such a signal (and the call behind it) for as long as the shutdown may come,
// so a worker kept about 2 KB for every message it ever sent. Aborting still works: the caller's signal and the
// transport's close end a waiting call at once.
import { getEventListeners, setMaxListeners } from "node:events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { realClock } from "../../../src/messenger/clock.ts";
import { BotGate } from "../../../src/messenger/telegram/bot-gate.ts";
import { postgresRateStore } from "../../../src/messenger/telegram/rate-store.ts";
import { createTelegramTransport } from "../../../src/messenger/telegram/transport.ts";
import { createTestDb, type TestDb } from "../../helpers/db.ts";

let db: TestDb;

beforeAll(async () => {
  db = await createTestDb();
});
afterAll(async () => {
  await db.drop();
});

const okTelegram = (async () =>
  new Response(JSON.stringify({ ok: true, result: { message_id: 1 } }), {
    headers: { "content-type": "application/json" },
  })) as typeof fetch;

const send = (transport: ReturnType<typeof createTelegramTransport>, chatId: number, signal?: AbortSignal) =>
  transport.fetch("broadcast")("https://api.telegram.org/bot123:TEST/sendMessage", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ chat_id: chatId, text: "·" }),
    signal,
  });

describe("the signals a call waits on", () => {
  it("the bot's gate takes its listener off a signal once the wait is over", async () => {
    const gate = new BotGate({
      store: postgresRateStore(db.prisma),
      key: "bot:signal-test",
      rule: { intervalMs: 1, burst: 1000 },
      clock: realClock,
    });
    const longLived = new AbortController();
    setMaxListeners(0, longLived.signal); // shared by 50 waits on purpose
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => gate.acquire("broadcast", String(i), longLived.signal)),
    );
    for (const answered of answers) answered();
    expect(getEventListeners(longLived.signal, "abort")).toHaveLength(0);
  });

  it("a caller's long-lived signal has no listener left after 200 messages, and still aborts a waiting call", async () => {
    const transport = createTelegramTransport({
      botId: 903,
      store: postgresRateStore(db.prisma),
      fetch: okTelegram,
      limits: { botPerSecond: 1000 },
    });
    const caller = new AbortController();
    setMaxListeners(0, caller.signal); // shared by 200 calls on purpose
    const statuses = await Promise.all(
      Array.from({ length: 200 }, (_, i) => send(transport, 5000 + i, caller.signal).then((r) => r.status)),
    );
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(getEventListeners(caller.signal, "abort")).toHaveLength(0);

    // a chat's fourth message waits for its turn (a burst of 3, then 1 a second): the caller gives up on it
    const chat = 6000;
    await Promise.all([1, 2, 3].map(() => send(transport, chat)));
    const waiting = send(transport, chat, caller.signal).then(
      () => "sent",
      () => "aborted",
    );
    caller.abort(new Error("the caller gave up"));
    expect(await waiting).toBe("aborted");

    // and closing the transport ends a waiting call too
    const next = send(transport, chat).then(
      () => "sent",
      () => "aborted",
    );
    transport.close();
    expect(await next).toBe("aborted");
  });
});
