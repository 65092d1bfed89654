// The sandbox's Bot API emulator through app.inject: what Telegram answers, and the limits it enforces; one bot
// per Bot row, told apart by the token; the page's API for two schools, each with its own bot.
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBot } from "../../src/core/accounts/index.ts";
import { buildApp } from "../../src/http/app.ts";
import { createLogger } from "../../src/logger.ts";
import { SandboxBots } from "../../src/sandbox/bots.ts";
import { sandboxUserIdOf } from "../../src/sandbox/plugin.ts";
import type { TelegramEmulator } from "../../src/sandbox/telegram-emulator.ts";
import { sandboxBotToken, sandboxTelegramBotId } from "../../src/sandbox/tokens.ts";
import { type BotSchool, seedBotSchool } from "../helpers/bot-school.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";

let db: TestDb;
let s: BotSchool;
let s2: BotSchool;
let botId: number;
let bot2Id: number;
let app: FastifyInstance;
let emulator: TelegramEmulator;
let bots: SandboxBots;
let TOKEN: string;
const api = (method: string, token = TOKEN) => `/sandbox/api/bot${token}/${method}`;
const CHAT = 424242;

beforeAll(async () => {
  db = await createTestDb();
  s = await seedBotSchool(db.prisma);
  s2 = await seedBotSchool(db.prisma);
  await db.prisma.school.update({ where: { id: s2.schoolId }, data: { name: "Школа № 2", timezone: "Asia/Omsk" } });
  botId = await ensureBot(db.prisma, { schoolId: s.schoolId, username: "classbook_sandbox_bot" });
  bot2Id = await ensureBot(db.prisma, { schoolId: s2.schoolId, username: "school_two_bot" });
  TOKEN = sandboxBotToken(botId);
  bots = new SandboxBots(db.prisma);
  app = await buildApp({
    config: { defaultLocale: "ru" },
    prisma: db.prisma,
    logger: createLogger("silent"),
    sandbox: { bots },
  });
  await app.ready();
  emulator = (await bots.forBot(botId))!;
  emulator.openChat({ id: CHAT, first_name: "Test" });
});
afterAll(async () => {
  await app.close();
  await db.drop();
});

const call = async (method: string, payload: Record<string, unknown> = {}) => {
  const res = await app.inject({ method: "POST", url: api(method), payload });
  return { status: res.statusCode, body: res.json() };
};

describe("the Bot API emulator", () => {
  it("getMe describes the sandbox bot", async () => {
    const res = await app.inject({ method: "GET", url: api("getMe") });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      ok: true,
      result: { id: sandboxTelegramBotId(botId), is_bot: true, username: "classbook_sandbox_bot" },
    });
  });

  it("is one bot per Bot row, told apart by the token; a token of no bot is refused as Telegram does", async () => {
    const me2 = await app.inject({ method: "GET", url: api("getMe", sandboxBotToken(bot2Id)) });
    expect(me2.json().result).toMatchObject({ id: sandboxTelegramBotId(bot2Id), username: "school_two_bot" });
    const emulator2 = bots.get(bot2Id)!;
    expect(emulator2).not.toBe(emulator);
    // a chat of one bot is unknown to the other, as with two Telegram bots
    emulator2.openChat({ id: 515151, first_name: "Second" });
    const toOther = await app.inject({
      method: "POST",
      url: api("sendMessage"),
      payload: { chat_id: 515151, text: "x" },
    });
    expect(toOther.json().description).toBe("Bad Request: chat not found");
    const toOwn = await app.inject({
      method: "POST",
      url: api("sendMessage", sandboxBotToken(bot2Id)),
      payload: { chat_id: 515151, text: "Добрый день" },
    });
    expect(toOwn.json().result.from.id).toBe(sandboxTelegramBotId(bot2Id));
    expect(emulator.chats.has(515151)).toBe(false);

    const unauthorized = { ok: false, error_code: 401, description: "Unauthorized" };
    for (const token of [sandboxBotToken(bot2Id + 100), "123456:SANDBOX_classbook_local_token", "1000001:wrong"]) {
      const res = await app.inject({ method: "POST", url: api("getMe", token) });
      expect({ status: res.statusCode, body: res.json() }).toEqual({ status: 401, body: unauthorized });
    }
    const file = await app.inject({ method: "GET", url: `/sandbox/api/file/bot123:abc/documents/x.pdf` });
    expect(file.statusCode).toBe(401);
  });

  it("a bot added while running is served at once", async () => {
    const school = await db.prisma.school.create({ data: { name: "Новая", timezone: "Europe/Moscow" } });
    const unknownYet = sandboxBotToken(bot2Id + 1);
    expect((await app.inject({ method: "GET", url: api("getMe", unknownYet) })).statusCode).toBe(401);
    const added = await ensureBot(db.prisma, { schoolId: school.id, username: "added_later_bot" });
    expect(sandboxBotToken(added)).toBe(unknownYet);
    const me = await app.inject({ method: "GET", url: api("getMe", unknownYet) });
    expect(me.json().result.username).toBe("added_later_bot");
  });

  it("sendMessage stores the message; getUpdates long-polls and confirms with offset", async () => {
    const sent = await call("sendMessage", { chat_id: CHAT, text: "Привет" });
    expect(sent.body).toMatchObject({ ok: true, result: { message_id: 1, text: "Привет", chat: { id: CHAT } } });

    const none = await call("getUpdates", { timeout: 0 });
    expect(none.body).toEqual({ ok: true, result: [] });

    const polling = call("getUpdates", { timeout: 10 });
    emulator.userText(CHAT, "/start");
    const got = await polling;
    expect(got.body.result).toHaveLength(1);
    const update = got.body.result[0];
    expect(update.message).toMatchObject({ text: "/start", entities: [{ type: "bot_command", offset: 0, length: 6 }] });
    const again = await call("getUpdates", { offset: update.update_id, timeout: 0 });
    expect(again.body.result).toHaveLength(1);
    const confirmed = await call("getUpdates", { offset: update.update_id + 1, timeout: 0 });
    expect(confirmed.body.result).toEqual([]);
  });

  it("enforces Telegram's limits", async () => {
    const long = await call("sendMessage", { chat_id: CHAT, text: "я".repeat(4097) });
    expect(long).toEqual({
      status: 400,
      body: { ok: false, error_code: 400, description: "Bad Request: message is too long" },
    });
    expect((await call("sendMessage", { chat_id: CHAT, text: "я".repeat(4096) })).status).toBe(200);

    const data = await call("sendMessage", {
      chat_id: CHAT,
      text: "кнопки",
      reply_markup: { inline_keyboard: [[{ text: "x", callback_data: "a".repeat(65) }]] },
    });
    expect(data.body.description).toBe("Bad Request: BUTTON_DATA_INVALID");
    const multibyte = await call("sendMessage", {
      chat_id: CHAT,
      text: "кнопки",
      reply_markup: { inline_keyboard: [[{ text: "x", callback_data: "ж".repeat(33) }]] },
    });
    expect(multibyte.body.description).toBe("Bad Request: BUTTON_DATA_INVALID");

    const msg = await call("sendMessage", {
      chat_id: CHAT,
      text: "Отметьте",
      reply_markup: { inline_keyboard: [[{ text: "Все на месте", callback_data: "all:1" }]] },
    });
    const id = msg.body.result.message_id;
    const same = await call("editMessageText", {
      chat_id: CHAT,
      message_id: id,
      text: "Отметьте",
      reply_markup: { inline_keyboard: [[{ text: "Все на месте", callback_data: "all:1" }]] },
    });
    expect(same.status).toBe(400);
    expect(same.body.description).toContain("message is not modified");
    const sameMarkup = await call("editMessageReplyMarkup", {
      chat_id: CHAT,
      message_id: id,
      reply_markup: { inline_keyboard: [[{ text: "Все на месте", callback_data: "all:1" }]] },
    });
    expect(sameMarkup.body.description).toContain("message is not modified");

    const edited = await call("editMessageText", { chat_id: CHAT, message_id: id, text: "Сохранено" });
    expect(edited.body.result).toMatchObject({ text: "Сохранено" });
    expect(edited.body.result.reply_markup).toBeUndefined();
    expect((await call("sendMessage", { chat_id: 1, text: "x" })).body.description).toBe("Bad Request: chat not found");
    expect((await call("sendMessage", { chat_id: CHAT, text: "<b>x", parse_mode: "HTML" })).status).toBe(400);
    expect((await call("noSuchMethod")).status).toBe(404);
  });

  it("callback queries: answered once; deleteMessage removes", async () => {
    const msg = await call("sendMessage", {
      chat_id: CHAT,
      text: "Выберите",
      reply_markup: { inline_keyboard: [[{ text: "A", callback_data: "a:1" }]] },
    });
    const update = emulator.userPress(CHAT, msg.body.result.message_id, "a:1");
    const answered = await call("answerCallbackQuery", {
      callback_query_id: update.callback_query?.id,
      text: "Готово",
    });
    expect(answered.body).toEqual({ ok: true, result: true });
    expect((await call("answerCallbackQuery", { callback_query_id: update.callback_query?.id })).status).toBe(400);
    expect((await call("deleteMessage", { chat_id: CHAT, message_id: msg.body.result.message_id })).body.result).toBe(
      true,
    );
    expect((await call("deleteMessage", { chat_id: CHAT, message_id: msg.body.result.message_id })).status).toBe(400);
  });

  it("sendDocument keeps uploaded bytes for download, in Telegram's multipart form (unquoted file name)", async () => {
    const boundary = "----------test";
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\ncontent-disposition:form-data;name="chat_id"\r\n\r\n${CHAT}`),
      Buffer.from(`\r\n--${boundary}\r\ncontent-disposition:form-data;name="document"\r\n\r\nattach://f1`),
      Buffer.from(
        `\r\n--${boundary}\r\ncontent-disposition:form-data;name="f1";filename=отчёт.csv\r\ncontent-type:application/octet-stream\r\n\r\n`,
      ),
      Buffer.from("a;b\r\n1;2\r\n"),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await app.inject({
      method: "POST",
      url: api("sendDocument"),
      headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
      payload: body,
    });
    expect(res.statusCode).toBe(200);
    const doc = res.json().result.document;
    expect(doc).toMatchObject({ file_name: "отчёт.csv", mime_type: "text/csv", file_size: 10 });
    const file = await app.inject({ method: "GET", url: `/sandbox/files/${doc.file_id}` });
    expect(file.body).toBe("a;b\r\n1;2\r\n");
    expect(file.headers["content-disposition"]).toContain("attachment");
    const info = await call("getFile", { file_id: doc.file_id });
    const viaBotApi = await app.inject({
      method: "GET",
      url: `/sandbox/api/file/bot${TOKEN}/${info.body.result.file_path}`,
    });
    expect(viaBotApi.body).toBe("a;b\r\n1;2\r\n");
  });

  it("setMyCommands, setWebhook, deleteWebhook, sendChatAction answer ok", async () => {
    const cmds = await call("setMyCommands", {
      commands: [{ command: "help", description: "Справка" }],
      language_code: "ru",
    });
    expect(cmds.body).toEqual({ ok: true, result: true });
    expect(emulator.commands.get("ru")).toEqual([{ command: "help", description: "Справка" }]);
    for (const m of ["setWebhook", "deleteWebhook", "sendChatAction"])
      expect((await call(m, { chat_id: CHAT })).body.ok).toBe(true);
  });
});

describe("the sandbox page", () => {
  it("renders in Russian by default and in English with ?lang=en, strings from the locales", async () => {
    const ru = await app.inject({ method: "GET", url: "/sandbox" });
    expect(ru.statusCode).toBe(200);
    expect(ru.headers["content-type"]).toContain("text/html");
    expect(ru.body).toContain('<html lang="ru">');
    expect(ru.body).toContain("Классные руководители");
    const en = await app.inject({ method: "GET", url: "/sandbox?lang=en" });
    expect(en.body).toContain("Class teachers");
  });

  it("lists the school's people by group", async () => {
    const res = await app.inject({ method: "GET", url: "/sandbox/people" });
    const people = res.json();
    expect(people.administration.map((p: { personId: number }) => p.personId)).toEqual([s.directorId]);
    expect(people.teachers.map((p: { personId: number }) => p.personId).sort()).toEqual(
      [s.teacherId, s.otherTeacherId].sort(),
    );
    expect(people.classTeachers).toEqual([
      { personId: s.teacherId, fullName: "Иванова Мария Петровна", detail: ["7Б"] },
    ]);
    expect(people.parents[0]).toMatchObject({ personId: s.guardianId, detail: ["7Б"] });
    expect(people.students[0]).toMatchObject({ personId: s.studentId, detail: ["7Б"] });
  });

  it("picking a person links a fake Telegram user and sends /start", async () => {
    const res = await app.inject({ method: "POST", url: "/sandbox/chats", payload: { personId: s.guardianId } });
    expect(res.json()).toEqual({ chatId: sandboxUserIdOf(s.guardianId), botId, personId: s.guardianId });
    const account = await db.prisma.messengerAccount.findFirstOrThrow({ where: { personId: s.guardianId } });
    expect(Number(account.telegramUserId)).toBe(sandboxUserIdOf(s.guardianId));
    expect(account.botId).toBe(botId);
    const view = await app.inject({ method: "GET", url: `/sandbox/chats/${sandboxUserIdOf(s.guardianId)}` });
    expect(view.json().messages.at(-1)).toMatchObject({ fromBot: false, text: "/start" });
    const other = await app.inject({ method: "POST", url: "/sandbox/chats", payload: { personId: 999999 } });
    expect(other.statusCode).toBe(404);
  });
});

describe("the sandbox page with two schools", () => {
  const ids = (group: { personId: number }[]) => group.map((p) => p.personId);

  it("lists every school with its bots", async () => {
    const res = await app.inject({ method: "GET", url: "/sandbox/schools" });
    expect(res.json().slice(0, 2)).toEqual([
      {
        schoolId: s.schoolId,
        name: "Школа № 1",
        timezone: "Europe/Moscow",
        bots: [{ botId, username: "classbook_sandbox_bot" }],
      },
      {
        schoolId: s2.schoolId,
        name: "Школа № 2",
        timezone: "Asia/Omsk",
        bots: [{ botId: bot2Id, username: "school_two_bot" }],
      },
    ]);
  });

  it("lists the people of the school picked, and none of the other school", async () => {
    const res = await app.inject({ method: "GET", url: `/sandbox/people?school=${s2.schoolId}` });
    expect(res.statusCode).toBe(200);
    const people = res.json();
    expect(ids(people.administration)).toEqual([s2.directorId]);
    expect(ids(people.teachers).sort()).toEqual([s2.teacherId, s2.otherTeacherId].sort());
    expect(ids(people.parents)).toEqual([s2.guardianId]);
    expect(ids(people.students)).toEqual([s2.studentId]);
    const listed = Object.values(people as Record<string, { personId: number }[]>).flatMap(ids);
    const school1 = [s.directorId, s.teacherId, s.otherTeacherId, s.guardianId, s.studentId];
    expect(listed.filter((id) => school1.includes(id))).toEqual([]);
    expect((await app.inject({ method: "GET", url: "/sandbox/people?school=9999" })).statusCode).toBe(404);
    expect((await app.inject({ method: "GET", url: "/sandbox/people?school=x" })).statusCode).toBe(400);
  });

  it("a person of school 2 chats with school 2's bot; a person of the other school is refused", async () => {
    const chatId = sandboxUserIdOf(s2.teacherId);
    const res = await app.inject({
      method: "POST",
      url: "/sandbox/chats",
      payload: { botId: bot2Id, personId: s2.teacherId },
    });
    expect(res.json()).toEqual({ chatId, botId: bot2Id, personId: s2.teacherId });
    const account = await db.prisma.messengerAccount.findFirstOrThrow({ where: { personId: s2.teacherId } });
    expect({ botId: account.botId, schoolId: account.schoolId }).toEqual({ botId: bot2Id, schoolId: s2.schoolId });
    expect(bots.get(bot2Id)!.chats.get(chatId)?.messages.at(-1)?.text).toBe("/start");
    expect(emulator.chats.has(chatId)).toBe(false);
    const view = await app.inject({ method: "GET", url: `/sandbox/chats/${chatId}?bot=${bot2Id}` });
    expect(view.json().messages.at(-1)).toMatchObject({ fromBot: false, text: "/start" });
    // the chat is school 2's bot's only
    expect((await app.inject({ method: "GET", url: `/sandbox/chats/${chatId}?bot=${botId}` })).statusCode).toBe(404);

    // a tampered request: school 2's bot with a person of school 1, and the other way round
    for (const payload of [
      { botId: bot2Id, personId: s.guardianId },
      { botId, personId: s2.guardianId },
    ]) {
      const refused = await app.inject({ method: "POST", url: "/sandbox/chats", payload });
      expect(refused.statusCode).toBe(404);
    }
    expect(await db.prisma.messengerAccount.count({ where: { personId: s2.guardianId } })).toBe(0);
    expect(await db.prisma.messengerAccount.count({ where: { personId: s.guardianId, botId: bot2Id } })).toBe(0);
    expect(bots.get(bot2Id)!.chats.has(sandboxUserIdOf(s.guardianId))).toBe(false);
    const invalid = await app.inject({ method: "POST", url: "/sandbox/chats", payload: { botId: "x", personId: 1 } });
    expect(invalid.statusCode).toBe(400);
  });
});
