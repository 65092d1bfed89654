import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../src/core/errors.ts";
import { buildApp } from "../../src/http/app.ts";
import { createLogger } from "../../src/logger.ts";
import { seedBotSchool } from "../helpers/bot-school.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { createFakeTelegram, type FakeTelegram, telegramIdOf } from "../helpers/telegram.ts";

let db: TestDb;
let app: FastifyInstance;
let tg: FakeTelegram;
let teacherId: number;
const logger = createLogger("silent");
const SECRET = "s3cret-token_for-webhook";
const jobsUp = {
  ping: async () => true,
  counts: async () => ({ notify: { waiting: 3, active: 1 }, digest: { waiting: 0 } }),
};

beforeAll(async () => {
  db = await createTestDb();
  const s = await seedBotSchool(db.prisma);
  teacherId = s.teacherId;
  tg = await createFakeTelegram({ prisma: db.prisma, schoolId: s.schoolId });
  app = await buildApp({
    config: { defaultLocale: "ru" },
    prisma: db.prisma,
    logger,
    jobs: jobsUp,
    bot: { botId: tg.botId, secretToken: SECRET, handleUpdate: (u) => tg.bot.handleUpdate(u as never) },
  });
  app.get("/boom", async () => {
    throw new Error("database password is hunter2");
  });
  app.get("/forbidden", async () => {
    throw new AppError("FORBIDDEN", { secret: "x" });
  });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await db.drop();
});

describe("health", () => {
  it("/healthz answers ok with a request id", async () => {
    const res = await app.inject({ method: "GET", url: "/healthz" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: "ok" });
    expect(res.headers["x-request-id"]).toMatch(/[0-9a-f-]{36}/);
  });

  it("/readyz is ready when the database and the queues answer", async () => {
    const res = await app.inject({ method: "GET", url: "/readyz" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: "ok", checks: { database: true, jobs: true } });
  });

  it("/readyz answers 503 when the queues do not", async () => {
    const failing = await buildApp({
      config: { defaultLocale: "ru" },
      prisma: db.prisma,
      logger,
      jobs: { ping: async () => Promise.reject(new Error("redis down")), counts: async () => ({}) },
    });
    const res = await failing.inject({ method: "GET", url: "/readyz" });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ status: "not ready", checks: { database: true, jobs: false } });
    await failing.close();
  });
});

describe("/metrics", () => {
  it("speaks the Prometheus text format with process, HTTP and queue figures", async () => {
    await app.inject({ method: "GET", url: "/healthz" });
    const res = await app.inject({ method: "GET", url: "/metrics" });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toContain("text/plain");
    const text = res.body;
    expect(text).toContain("# TYPE process_uptime_seconds gauge");
    expect(text).toMatch(/^process_resident_memory_bytes \d+$/m);
    expect(text).toMatch(/^http_requests_total\{method="GET",route="\/healthz",status="200"\} [1-9]\d*$/m);
    expect(text).toMatch(/^classbook_queue_jobs\{queue="notify",state="waiting"\} 3$/m);
    for (const line of text.trim().split("\n")) {
      expect(line).toMatch(/^(# (HELP|TYPE) \w+ .+|\w+(\{[^}]*\})? -?[\d.e+-]+)$/);
    }
  });
});

describe("errors", () => {
  it("hides the details of a 5xx and maps AppError codes to statuses", async () => {
    const boom = await app.inject({ method: "GET", url: "/boom" });
    expect(boom.statusCode).toBe(500);
    expect(boom.json()).toEqual({ error: "INTERNAL" });
    expect(boom.body).not.toContain("hunter2");
    const forbidden = await app.inject({ method: "GET", url: "/forbidden" });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json()).toEqual({ error: "FORBIDDEN" });
    expect((await app.inject({ method: "GET", url: "/nothing-here" })).statusCode).toBe(404);
  });
});

describe("the Telegram webhook", () => {
  const update = (updateId: number, text: string, from = 555_000_001) => ({
    update_id: updateId,
    message: {
      message_id: 1,
      date: Math.floor(Date.now() / 1000),
      chat: { id: from, type: "private", first_name: "X" },
      from: { id: from, is_bot: false, first_name: "X", language_code: "ru" },
      text,
      entities: text.startsWith("/")
        ? [{ type: "bot_command", offset: 0, length: text.split(" ")[0].length }]
        : undefined,
    },
  });

  it("refuses a wrong or missing secret token and handles nothing", async () => {
    tg.stranger({ id: 555_000_001 });
    for (const headers of [{}, { "x-telegram-bot-api-secret-token": "wrong" }]) {
      const res = await app.inject({
        method: "POST",
        url: `/telegram/${tg.botId}`,
        headers,
        payload: update(10, "/start"),
      });
      expect(res.statusCode).toBe(401);
    }
    expect(tg.callsOf("sendMessage")).toHaveLength(0);
    expect(await db.prisma.processedUpdate.count()).toBe(0);
  });

  it("handles an update once even when Telegram delivers it twice", async () => {
    const headers = { "x-telegram-bot-api-secret-token": SECRET };
    const first = await app.inject({
      method: "POST",
      url: `/telegram/${tg.botId}`,
      headers,
      payload: update(11, "/start"),
    });
    const again = await app.inject({
      method: "POST",
      url: `/telegram/${tg.botId}`,
      headers,
      payload: update(11, "/start"),
    });
    expect(first.statusCode).toBe(200);
    expect(again.statusCode).toBe(200);
    expect(tg.callsOf("sendMessage")).toHaveLength(1);
    expect(String(tg.callsOf("sendMessage")[0].params.text)).toContain("приглашение");
  });

  it("answers 200 even when handling fails (Telegram must not redeliver)", async () => {
    const teacher = await tg.as(teacherId);
    const failing = await buildApp({
      config: { defaultLocale: "ru" },
      prisma: db.prisma,
      logger,
      bot: {
        botId: tg.botId,
        secretToken: SECRET,
        handleUpdate: async () => {
          throw new Error("handler failed");
        },
      },
    });
    const res = await failing.inject({
      method: "POST",
      url: `/telegram/${tg.botId}`,
      headers: { "x-telegram-bot-api-secret-token": SECRET },
      payload: update(12, "/help", telegramIdOf(teacherId)),
    });
    expect(res.statusCode).toBe(200);
    expect(teacher.messages).toHaveLength(0);
    await failing.close();
  });
});
