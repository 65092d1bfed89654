// The sandbox's Bot API emulator through app.inject: what Telegram answers, and the limits it enforces.
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/http/app.ts";
import { createLogger } from "../../src/logger.ts";
import { sandboxUserIdOf } from "../../src/sandbox/plugin.ts";
import { TelegramEmulator } from "../../src/sandbox/telegram-emulator.ts";
import { type BotSchool, seedBotSchool } from "../helpers/bot-school.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";

let db: TestDb;
let s: BotSchool;
let app: FastifyInstance;
const emulator = new TelegramEmulator();
const TOKEN = "1000001:SANDBOX_token_abcdefghijklmnop";
const api = (method: string) => `/sandbox/api/bot${TOKEN}/${method}`;
const CHAT = 424242;

beforeAll(async () => {
  db = await createTestDb();
  s = await seedBotSchool(db.prisma);
  app = await buildApp({
    config: { defaultLocale: "ru" },
    prisma: db.prisma,
    logger: createLogger("silent"),
    sandbox: { emulator },
  });
  await app.ready();
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
    expect(res.json()).toMatchObject({ ok: true, result: { is_bot: true, username: "classbook_sandbox_bot" } });
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
    expect(res.json()).toEqual({ chatId: sandboxUserIdOf(s.guardianId), personId: s.guardianId });
    const account = await db.prisma.messengerAccount.findFirstOrThrow({ where: { personId: s.guardianId } });
    expect(Number(account.telegramUserId)).toBe(sandboxUserIdOf(s.guardianId));
    const view = await app.inject({ method: "GET", url: `/sandbox/chats/${sandboxUserIdOf(s.guardianId)}` });
    expect(view.json().messages.at(-1)).toMatchObject({ fromBot: false, text: "/start" });
    const other = await app.inject({ method: "POST", url: "/sandbox/chats", payload: { personId: 999999 } });
    expect(other.statusCode).toBe(404);
  });
});
