// No message texts, names or invite codes in any log line, failure paths included: a failing run (Telegram
// refusing a message that names the child, refused requests, invite codes at /start, a webhook handler failing
// with grammY's error in hand) is logged at debug level into a buffer, and every line is searched.
import type { FastifyInstance } from "fastify";
import { GrammyError } from "grammy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInvite } from "../../src/core/accounts/index.ts";
import { systemActor } from "../../src/core/actor.ts";
import { AppError } from "../../src/core/errors.ts";
import { buildApp } from "../../src/http/app.ts";
import { createLogger } from "../../src/logger.ts";
import { type BotSchool, seedBotSchool } from "../helpers/bot-school.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { createFakeTelegram, type FakeTelegram } from "../helpers/telegram.ts";

const CHILD = ["Петрова", "Анна"];
const GUARDIAN = ["Ольга", "Николаевна"];
const WRITTEN = "Анна заболела, сегодня её не будет";

let db: TestDb;
let s: BotSchool;
let tg: FakeTelegram;
let app: FastifyInstance;
const lines: string[] = [];
const refusedTexts: string[] = [];

beforeAll(async () => {
  db = await createTestDb();
  s = await seedBotSchool(db.prisma);
  const logger = createLogger("debug", { write: (l: string) => lines.push(l) });
  tg = await createFakeTelegram({ prisma: db.prisma, schoolId: s.schoolId, logger });
  // Telegram refuses (400) any message that names the child: grammY's error then carries that text
  tg.bot.api.config.use((prev, method, payload, signal) => {
    const text = (payload as { text?: string }).text;
    if ((method === "sendMessage" || method === "editMessageText") && text?.includes(CHILD[1])) {
      refusedTexts.push(text);
      return Promise.resolve({ ok: false, error_code: 400, description: "Bad Request: message is too long" } as never);
    }
    return prev(method, payload, signal);
  });
  app = await buildApp({
    config: { defaultLocale: "ru" },
    prisma: db.prisma,
    logger,
    bot: {
      botId: tg.botId,
      secretToken: "clean_logs_secret",
      handleUpdate: async (u) => {
        const payload = { chat_id: 1, text: `${CHILD.join(" ")}: ${WRITTEN}`, reply_markup: { inline_keyboard: [] } };
        throw new GrammyError(
          "Call to 'sendMessage' failed!",
          { ok: false, error_code: 400, description: "Bad Request: chat not found" },
          "sendMessage",
          { ...payload, update: u } as never,
        );
      },
    },
  });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await db.drop();
});

describe("clean logs", () => {
  it("a failing run logs what happened (ids, codes, Telegram's error) and none of the names, texts or invite codes", async () => {
    // a guardian's invite: the consent screen names the child, Telegram refuses it
    const invite = await createInvite(db.prisma, systemActor(s.schoolId), { personId: s.guardianId });
    const parent = tg.stranger();
    await parent.send(`/start ${invite.code}`);
    expect(refusedTexts.length).toBeGreaterThan(0);
    expect(parent.lastText()).toContain("Что-то пошло не так");

    // a used invite code: refused
    const teacherInvite = await createInvite(db.prisma, systemActor(s.schoolId), { personId: s.teacherId });
    const teacher = tg.stranger();
    await teacher.send(`/start ${teacherInvite.code}`);
    const late = tg.stranger();
    await late.send(`/start ${teacherInvite.code}`);

    // a tampered button: the teacher asks for a child's marks (FORBIDDEN, details with the id)
    await teacher.press(`fymk:${s.studentId}`, teacher.lastMessage());
    // a free text nobody asked for
    await teacher.send(WRITTEN);

    // the webhook: the handler fails with grammY's error holding the whole request
    const res = await app.inject({
      method: "POST",
      url: `/telegram/${tg.botId}`,
      headers: { "x-telegram-bot-api-secret-token": "clean_logs_secret" },
      payload: {
        update_id: 77,
        message: {
          message_id: 1,
          date: 0,
          chat: { id: 1, type: "private", first_name: GUARDIAN[0], last_name: CHILD[0] },
          from: { id: 1, is_bot: false, first_name: GUARDIAN[0], last_name: CHILD[0] },
          text: `${WRITTEN} ${invite.code}`,
        },
      },
    });
    expect(res.statusCode).toBe(200);

    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const msgs = logged.map((l) => l.msg);
    expect(msgs).toContain("update failed");
    expect(msgs).toContain("request refused");
    expect(msgs).toContain("webhook update failed");
    // what went wrong stays readable
    const failed = logged.find((l) => l.msg === "update failed") as { err: Record<string, unknown> };
    expect(failed.err).toMatchObject({ type: "GrammyError", error_code: 400, method: "sendMessage" });
    expect(failed.err.payload).toBeUndefined();
    const refused = logged.filter((l) => l.msg === "request refused").map((l) => l.code);
    expect(refused).toEqual(expect.arrayContaining(["INVITE_USED", "FORBIDDEN"]));
    expect(JSON.stringify(logged)).toContain(`"studentId":${s.studentId}`);

    for (const line of lines) {
      for (const secret of [...CHILD, ...GUARDIAN, WRITTEN, invite.code, teacherInvite.code]) {
        expect(line, `a log line holds "${secret}"`).not.toContain(secret);
      }
    }
  });

  it("an AppError's details keep ids and codes: a name put there by mistake is redacted", async () => {
    lines.length = 0;
    const { Composer } = await import("grammy");
    const feature = new Composer<never>();
    const tg2 = await createFakeTelegram({
      prisma: db.prisma,
      botId: tg.botId,
      schoolId: s.schoolId,
      logger: createLogger("debug", { write: (l: string) => lines.push(l) }),
      extraFeatures: [
        feature.command("oops", () => {
          throw new AppError("VALIDATION", { lessonId: 7, field: "topic", student: `${CHILD.join(" ")}` });
        }) as never,
      ],
    });
    const user = await tg2.as(s.teacherId);
    await user.send("/oops");
    const refused = lines.map((l) => JSON.parse(l)).find((l) => l.msg === "request refused");
    expect(refused.details).toEqual({ lessonId: 7, field: "topic", student: "[redacted]" });
  });
});
