// A long poll is held open by Telegram for its `timeout` before it is answered: the transport's limit on one
// attempt comes on top of that hold, so getUpdates is not aborted (and logged as a failed poll every time the
// server answers an empty poll a little late), while any other call held that long is. And a poll grammY gives
// up on (the runner stopping) ends at once instead of staying open until Telegram answers it.
import { Bot } from "grammy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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

/** A Bot API that answers every call after `holdMs`, unless the caller gives up first. */
function slowTelegram(holdMs: number, seen: { aborted: number } = { aborted: 0 }): typeof fetch {
  return ((_url: string, init?: RequestInit) =>
    new Promise<Response>((resolve, reject) => {
      const timer = setTimeout(() => resolve(new Response(JSON.stringify({ ok: true, result: [] }))), holdMs);
      init?.signal?.addEventListener("abort", () => {
        seen.aborted++;
        clearTimeout(timer);
        reject(init.signal?.reason);
      });
    })) as typeof fetch;
}

describe("the limit on one attempt", () => {
  const call = (method: string, params: Record<string, unknown>) => {
    const transport = createTelegramTransport({
      botId: 902,
      store: postgresRateStore(db.prisma),
      fetch: slowTelegram(300),
      limits: { attemptTimeoutMs: 50 },
    });
    return transport
      .fetch("interactive")(`https://api.telegram.org/bot123:TEST/${method}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(params),
      })
      .then(
        (r) => r.status,
        (err: Error) => err.name,
      );
  };

  it("waits out a long poll's hold", async () => {
    expect(await call("getUpdates", { offset: 0, timeout: 1 })).toBe(200);
  });

  it("gives up on any other call that takes longer than the limit", async () => {
    expect(await call("getMe", {})).toBe("TimeoutError");
    expect(await call("getUpdates", { offset: 0 })).toBe("TimeoutError");
  });
});

it("a long poll grammY gives up on is given up at once", async () => {
  const seen = { aborted: 0 };
  const transport = createTelegramTransport({
    botId: 903,
    store: postgresRateStore(db.prisma),
    fetch: slowTelegram(60_000, seen),
  });
  const bot = new Bot("123:TEST", {
    botInfo: { id: 123, is_bot: true, first_name: "Test", username: "test_bot" } as never,
    client: { fetch: transport.fetch("interactive") as never },
  });
  const stop = new AbortController();
  const poll = bot.api.getUpdates({ timeout: 30 }, stop.signal as never).then(
    () => "answered",
    () => "given up",
  );
  await new Promise((r) => setImmediate(r));
  stop.abort();
  expect(await poll).toBe("given up");
  expect(seen.aborted).toBe(1);
});
