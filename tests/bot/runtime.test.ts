// The bot's runtime: the error boundary, conversations whose state outlives the process, callback-data codec.
import { createConversation } from "@grammyjs/conversations";
import { Composer } from "grammy";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { defineCallback } from "../../src/bot/callback-data.ts";
import type { BotContext, InnerContext } from "../../src/bot/context.ts";
import { createBot } from "../../src/bot/index.ts";
import { createPrisma } from "../../src/db/database.ts";
import { createLogger } from "../../src/logger.ts";
import { type BotSchool, seedBotSchool } from "../helpers/bot-school.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { createFakeTelegram, emulatorFetch, TEST_BOT_TOKEN, telegramIdOf } from "../helpers/telegram.ts";

let db: TestDb;
let s: BotSchool;

beforeAll(async () => {
  db = await createTestDb();
  s = await seedBotSchool(db.prisma);
});
afterAll(async () => {
  await db.drop();
});

describe("error boundary", () => {
  it("an unexpected failure is logged with the update id and answered, never silent", async () => {
    const lines: string[] = [];
    const logger = createLogger("error", { write: (l: string) => lines.push(l) });
    const broken = createPrisma(db.url, "no_such_schema");
    const tg = await createFakeTelegram({ prisma: db.prisma, schoolId: s.schoolId });
    const bot = createBot({
      token: TEST_BOT_TOKEN,
      prisma: broken,
      logger,
      botId: tg.botId,
      defaultLocale: "ru",
      fetch: emulatorFetch(tg.emulator, tg.calls),
      botInfo: tg.bot.botInfo,
    });
    const user = tg.stranger();
    const update = tg.emulator.userText(user.id, "/start");
    await bot.handleUpdate(update as never);
    expect(user.lastText()).toBe("Что-то пошло не так. Попробуйте ещё раз через минуту.");
    const logged = lines.map((l) => JSON.parse(l)).find((l) => l.msg === "update failed");
    expect(logged).toMatchObject({ update_id: update.update_id, level: 50 });
    expect(JSON.stringify(lines)).not.toContain(TEST_BOT_TOKEN);
    await broken.$disconnect();
  });

  it("a core AppError raised in a button handler is translated for the user", async () => {
    const tapped = defineCallback("rt", { lessonId: "int" });
    const feature = new Composer<BotContext>();
    feature.command("card", (ctx) =>
      ctx.reply("Урок", {
        reply_markup: { inline_keyboard: [[{ text: "Открыть", callback_data: tapped.encode({ lessonId: 7 }) }]] },
      }),
    );
    feature.callbackQuery(tapped.pattern, async () => {
      const { AppError } = await import("../../src/core/errors.ts");
      throw new AppError("FORBIDDEN");
    });
    const tg = await createFakeTelegram({ prisma: db.prisma, schoolId: s.schoolId, extraFeatures: [feature] });
    const teacher = await tg.as(s.otherTeacherId, { languageCode: "en" });
    await teacher.send("/card");
    await teacher.tap("Открыть");
    expect(teacher.lastText()).toBe("Access denied. If this is a mistake, contact the journal administrator.");
    expect(teacher.callbackAnswers()).toEqual([
      "Access denied. If this is a mistake, contact the journal administrator.",
    ]);
    expect(tg.failedCalls()).toEqual([]);
  });
});

/** A two-step conversation: asks for a topic, then answers with who the actor is and the topic. */
function askFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.use(
    createConversation<BotContext, InnerContext>(async (conversation, ctx) => {
      await ctx.reply("topic?");
      const answer = await conversation.waitFor("message:text");
      await answer.reply(`${answer.t("common:roles.TEACHER")} ${answer.actor?.personId}: ${answer.message.text}`);
    }, "ask"),
  );
  feature.command("ask", (ctx) => ctx.conversation.enter("ask"));
  return feature;
}

describe("conversations live outside the process", () => {
  it("PostgreSQL: a conversation started by one bot instance is finished by another", async () => {
    const tg = await createFakeTelegram({ prisma: db.prisma, schoolId: s.schoolId, extraFeatures: [askFeature()] });
    const teacher = await tg.as(s.teacherId);
    await teacher.send("/ask");
    expect(teacher.lastText()).toBe("topic?");
    const rows = await db.prisma.botState.findMany();
    expect(rows.map((r) => r.key)).toEqual([`classbook:conv:${tg.botId}:${teacher.id}:${teacher.id}`]);

    const other = createBot({
      token: TEST_BOT_TOKEN,
      prisma: db.prisma,
      logger: createLogger("silent"),
      botId: tg.botId,
      defaultLocale: "ru",
      fetch: emulatorFetch(tg.emulator, tg.calls),
      botInfo: tg.bot.botInfo,
      extraFeatures: [askFeature()],
    });
    await other.handleUpdate(tg.emulator.userText(teacher.id, "Дроби") as never);
    expect(teacher.lastText()).toBe(`учитель ${s.teacherId}: Дроби`);
    expect(await db.prisma.botState.count()).toBe(0);
  });

  const redisUrl = inject("redisUrl");
  it.skipIf(!redisUrl)("Redis: the same with a redis client", async () => {
    const redis = new Redis(redisUrl, { keyPrefix: `test-${db.schema}:`, lazyConnect: false });
    try {
      const tg = await createFakeTelegram({
        prisma: db.prisma,
        schoolId: s.schoolId,
        extraFeatures: [askFeature()],
        redis,
      });
      const teacher = await tg.as(s.directorId, { languageCode: "en" });
      await teacher.send("/ask");
      expect(await redis.exists(`classbook:conv:${tg.botId}:${teacher.id}:${teacher.id}`)).toBe(1);
      expect(await db.prisma.botState.count()).toBe(0);
      await teacher.send("Fractions");
      expect(teacher.lastText()).toBe(`teacher ${s.directorId}: Fractions`);
      expect(await redis.exists(`classbook:conv:${tg.botId}:${teacher.id}:${teacher.id}`)).toBe(0);
    } finally {
      redis.disconnect();
    }
  });
});

describe("callback data", () => {
  const codec = defineCallback("zz", { lessonId: "int", studentId: "int", value: "word" });

  it("round-trips within 64 bytes", () => {
    const data = codec.encode({ lessonId: 123456789, studentId: 987654321, value: "5" });
    expect(data).toBe("zz:123456789:987654321:5");
    expect(codec.parse(data)).toEqual({ lessonId: 123456789, studentId: 987654321, value: "5" });
    expect(codec.pattern.test(data)).toBe(true);
  });

  it("rejects malformed or tampered data", () => {
    for (const bad of [
      "",
      "zz",
      "zz:1:2",
      "zz:1:2:5:6",
      "xx:1:2:5",
      "zz:-1:2:5",
      "zz:01:2:5",
      "zz:1:2:н",
      "zz:1:2:5;",
      "zz:1.5:2:5",
      null,
      undefined,
      `zz:1:2:${"a".repeat(70)}`,
    ]) {
      expect(codec.parse(bad as string)).toBeNull();
    }
    expect(() => codec.encode({ lessonId: -1, studentId: 1, value: "5" })).toThrow();
    expect(() => codec.encode({ lessonId: 1, studentId: 1, value: "a".repeat(25) })).toThrow();
    expect(() => defineCallback("zz", { id: "int" })).toThrow(/already defined/);
    expect(() => defineCallback("x".repeat(20), { id: "int" })).toThrow();
  });
});

describe("the fake Telegram enforces the limits", () => {
  it("a reply over 4096 characters fails like on Telegram, and the user still gets an answer", async () => {
    const feature = new Composer<BotContext>();
    feature.command("long", (ctx) => ctx.reply("я".repeat(4097)));
    const tg = await createFakeTelegram({ prisma: db.prisma, schoolId: s.schoolId, extraFeatures: [feature] });
    const user = await tg.as(s.guardianId);
    await user.send("/long");
    expect(tg.failedCalls()).toEqual([
      expect.objectContaining({ method: "sendMessage", description: "Bad Request: message is too long" }),
    ]);
    expect(user.lastText()).toBe("Что-то пошло не так. Попробуйте ещё раз через минуту.");
    expect(telegramIdOf(s.guardianId)).toBe(user.id);
  });
});
