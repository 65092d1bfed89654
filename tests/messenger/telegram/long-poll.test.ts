// A long poll is held open by Telegram for its `timeout` before it is answered: the transport's limit on one
// attempt comes on top of that hold, so getUpdates is not aborted (and logged as a failed poll every time the
// server answers an empty poll a little late), while any other call held that long is.
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
function slowTelegram(holdMs: number): typeof fetch {
  return ((_url: string, init?: RequestInit) =>
    new Promise<Response>((resolve, reject) => {
      const timer = setTimeout(() => resolve(new Response(JSON.stringify({ ok: true, result: [] }))), holdMs);
      init?.signal?.addEventListener("abort", () => {
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
