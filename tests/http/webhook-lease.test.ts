// The webhook's lease on an update and its answers when a dependency is down: a duplicate of a handled update
// gets 200, one another process is on gets a retryable 503, an expired lease is taken over, a handler's ordinary
// failure still counts as handled (200), and a database or Redis outage gets a fast 503 with nothing marked.
import type { FastifyInstance } from "fastify";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { BOT_STORAGE_REDIS_OPTIONS } from "../../src/bot/storage.ts";
import { createPrisma } from "../../src/db/database.ts";
import { buildApp } from "../../src/http/app.ts";
import type { WebhookTarget } from "../../src/http/webhook.ts";
import { createLogger } from "../../src/logger.ts";
import { seedBotSchool } from "../helpers/bot-school.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { createFakeTelegram, type FakeTelegram } from "../helpers/telegram.ts";

const SECRET = "lease_test_secret";
const logger = createLogger("silent");
let db: TestDb;
let schoolId: number;
let tg: FakeTelegram;
const apps: FastifyInstance[] = [];

beforeAll(async () => {
  db = await createTestDb();
  schoolId = (await seedBotSchool(db.prisma)).schoolId;
  tg = await createFakeTelegram({ prisma: db.prisma, schoolId });
});
afterAll(async () => {
  for (const app of apps) await app.close();
  await db.drop();
});

async function appFor(target: Partial<WebhookTarget>, prisma = db.prisma): Promise<FastifyInstance> {
  const app = await buildApp({
    config: { defaultLocale: "ru", webhookLeaseSeconds: 30 },
    prisma,
    logger,
    bot: {
      botId: tg.botId,
      secretToken: SECRET,
      handleUpdate: (u) => tg.bot.handleUpdate(u as never),
      ...target,
    },
  });
  apps.push(app);
  return app;
}

let nextChat = 560_000_001;
function startUpdate(updateId: number) {
  const chat = nextChat++;
  tg.stranger({ id: chat });
  return {
    chat,
    body: {
      update_id: updateId,
      message: {
        message_id: 1,
        date: Math.floor(Date.now() / 1000),
        chat: { id: chat, type: "private", first_name: "X" },
        from: { id: chat, is_bot: false, first_name: "X", language_code: "ru" },
        text: "/start",
        entities: [{ type: "bot_command", offset: 0, length: 6 }],
      },
    },
  };
}

const post = (app: FastifyInstance, payload: unknown) =>
  app.inject({
    method: "POST",
    url: `/telegram/${tg.botId}`,
    headers: { "x-telegram-bot-api-secret-token": SECRET },
    payload: payload as Record<string, unknown>,
  });
const rowOf = (updateId: number) =>
  db.prisma.processedUpdate.findUnique({ where: { botId_updateId: { botId: tg.botId, updateId: BigInt(updateId) } } });
const sentTo = (chat: number) => tg.callsOf("sendMessage").filter((c) => c.params.chat_id === chat);

describe("the webhook's lease on an update", () => {
  it("handled once: the row says handled; a duplicate gets 200 and sends nothing", async () => {
    const app = await appFor({});
    const u = startUpdate(9001);
    expect((await post(app, u.body)).statusCode).toBe(200);
    const row = await rowOf(9001);
    expect(row?.handledAt).toBeInstanceOf(Date);
    expect(row?.leaseUntil).toBeNull();
    const again = await post(app, u.body);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ ok: true, duplicate: true });
    expect(sentTo(u.chat)).toHaveLength(1);
  });

  it("another process holds a live lease: 503 with Retry-After, nothing handled, the lease untouched", async () => {
    const app = await appFor({});
    const u = startUpdate(9002);
    const leaseUntil = new Date(Date.now() + 20_000);
    await db.prisma.processedUpdate.create({
      data: { botId: tg.botId, updateId: 9002n, leaseUntil, holder: "other-process" },
    });
    const res = await post(app, u.body);
    expect(res.statusCode).toBe(503);
    expect(Number(res.headers["retry-after"])).toBeGreaterThanOrEqual(1);
    expect(sentTo(u.chat)).toHaveLength(0);
    expect(await rowOf(9002)).toMatchObject({ holder: "other-process", handledAt: null, leaseUntil });
  });

  it("a lease that ran out (its process died) is taken over: handled once, attempts 2", async () => {
    const app = await appFor({});
    const u = startUpdate(9003);
    await db.prisma.processedUpdate.create({
      data: { botId: tg.botId, updateId: 9003n, leaseUntil: new Date(Date.now() - 1_000), holder: "dead-process" },
    });
    expect((await post(app, u.body)).statusCode).toBe(200);
    expect(sentTo(u.chat)).toHaveLength(1);
    const row = await rowOf(9003);
    expect(row?.handledAt).toBeInstanceOf(Date);
    expect(row?.attempts).toBe(2);
  });

  it("a handler failing with an ordinary error counts as handled (200): the chat does not stall", async () => {
    const app = await appFor({
      handleUpdate: async () => {
        throw new Error("handler failed");
      },
    });
    expect((await post(app, startUpdate(9004).body)).statusCode).toBe(200);
    expect((await rowOf(9004))?.handledAt).toBeInstanceOf(Date);
  });
});

describe("a dependency down: a fast retryable 503, nothing marked", () => {
  it("the database unreachable: 503 before anything is handled", async () => {
    const closed = createPrisma("postgresql://postgres@127.0.0.1:1/test", db.schema);
    const app = await appFor({}, closed);
    const u = startUpdate(9010);
    const res = await post(app, u.body);
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ error: "UNAVAILABLE" });
    expect(sentTo(u.chat)).toHaveLength(0);
    await closed.$disconnect();
  });

  it("the handler hits an unreachable database: 503, the lease given back, the redelivery handled", async () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
    const failing = await appFor({
      handleUpdate: async () => {
        throw refused;
      },
    });
    const u = startUpdate(9011);
    expect((await post(failing, u.body)).statusCode).toBe(503);
    expect(await rowOf(9011)).toMatchObject({ handledAt: null, leaseUntil: null });
    expect((await post(await appFor({}), u.body)).statusCode).toBe(200);
    expect(sentTo(u.chat)).toHaveLength(1);
  });

  describe("Redis (conversation state) unreachable", () => {
    // A client with the bot's fail-fast options pointed at a closed port: what an outage looks like to it.
    let down: Redis;
    let downTg: FakeTelegram;
    beforeAll(async () => {
      down = new Redis("redis://127.0.0.1:1", { ...BOT_STORAGE_REDIS_OPTIONS, retryStrategy: () => 200 });
      down.on("error", () => undefined);
      downTg = await createFakeTelegram({ prisma: db.prisma, botId: tg.botId, schoolId, redis: down });
    });
    afterAll(() => down.disconnect());

    it("the target's readiness says so: 503 at once, nothing taken, no apology sent", async () => {
      const app = await appFor({
        handleUpdate: (u) => downTg.bot.handleUpdate(u as never),
        ready: () => down.status === "ready",
      });
      const u = startUpdate(9020);
      const res = await post(app, u.body);
      expect(res.statusCode).toBe(503);
      expect(await rowOf(9020)).toBeNull();
      expect(downTg.callsOf("sendMessage")).toHaveLength(0);
    });

    it("the storage fails during the handling: 503 instead of a hang, the update left for the redelivery", async () => {
      const app = await appFor({ handleUpdate: (u) => downTg.bot.handleUpdate(u as never) });
      const u = startUpdate(9021);
      const res = await post(app, u.body);
      expect(res.statusCode).toBe(503);
      expect(await rowOf(9021)).toMatchObject({ handledAt: null, leaseUntil: null });

      // Redis is back: the redelivered update is handled, by a bot whose storage answers
      const redisUrl = inject("redisUrl");
      const up = redisUrl
        ? new Redis(redisUrl, { ...BOT_STORAGE_REDIS_OPTIONS, keyPrefix: `${db.schema}:` })
        : undefined;
      try {
        const upTg = await createFakeTelegram({ prisma: db.prisma, botId: tg.botId, schoolId, redis: up });
        upTg.stranger({ id: u.chat });
        if (up) await new Promise<void>((r) => (up.status === "ready" ? r() : up.once("ready", () => r())));
        const back = await appFor({ handleUpdate: (x) => upTg.bot.handleUpdate(x as never) });
        expect((await post(back, u.body)).statusCode).toBe(200);
        expect(upTg.callsOf("sendMessage").filter((c) => c.params.chat_id === u.chat)).toHaveLength(1);
        expect((await rowOf(9021))?.handledAt).toBeInstanceOf(Date);
      } finally {
        up?.disconnect();
      }
    });
  });
});
