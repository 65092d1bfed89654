// End to end in sandbox mode: the real bot long-polls the emulator over HTTP, a person is picked on the page's
// API and receives the welcome; a document the bot uploads can be downloaded from the page.
import type { FastifyInstance } from "fastify";
import { InputFile } from "grammy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BOT_COMMANDS } from "../../src/bot/commands.ts";
import { type ClassbookBot, createBot, startBotPolling } from "../../src/bot/index.ts";
import { ensureBot } from "../../src/core/accounts/index.ts";
import { buildApp } from "../../src/http/app.ts";
import { createLogger } from "../../src/logger.ts";
import { sandboxUserIdOf } from "../../src/sandbox/plugin.ts";
import { TelegramEmulator } from "../../src/sandbox/telegram-emulator.ts";
import { type BotSchool, seedBotSchool } from "../helpers/bot-school.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";

let db: TestDb;
let s: BotSchool;
let app: FastifyInstance;
let bot: ClassbookBot;
let polling: { stop(): Promise<void> };
let base: string;
const emulator = new TelegramEmulator();
const logger = createLogger("silent");

beforeAll(async () => {
  db = await createTestDb();
  s = await seedBotSchool(db.prisma);
  const botId = await ensureBot(db.prisma, { schoolId: s.schoolId, username: emulator.bot.username! });
  app = await buildApp({
    config: { defaultLocale: "ru" },
    prisma: db.prisma,
    logger,
    sandbox: { emulator, schoolId: s.schoolId, botId },
  });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  if (!address || typeof address === "string") throw new Error("no address");
  base = `http://127.0.0.1:${address.port}`;
  bot = createBot({
    token: "1000001:SANDBOX_token_abcdefghijklmnop",
    apiRoot: `${base}/sandbox/api`,
    prisma: db.prisma,
    logger,
    botId,
    schoolId: s.schoolId,
    defaultLocale: "ru",
  });
  polling = await startBotPolling(bot, { defaultLocale: "ru", logger });
});
afterAll(async () => {
  await polling?.stop();
  await app?.close();
  await db?.drop();
});

interface ChatView {
  rev: number;
  messages: { fromBot: boolean; text: string; document?: { fileId: string; name: string } }[];
}

/** Polls the page's chat API (as the page does) until a bot message satisfies `done`. */
async function waitForChat(chatId: number, done: (v: ChatView) => boolean): Promise<ChatView> {
  let rev = -1;
  for (let i = 0; i < 50; i++) {
    const res = await fetch(`${base}/sandbox/chats/${chatId}?rev=${rev}`);
    const view = (await res.json()) as ChatView;
    if (done(view)) return view;
    rev = view.rev;
  }
  throw new Error("the chat never reached the expected state");
}

describe("sandbox end to end", () => {
  it("published the command menus at start", () => {
    expect(emulator.commands.get("ru")?.map((c) => c.command)).toEqual([...BOT_COMMANDS]);
    expect(emulator.commands.get("en")?.[1].description).toBe("What the bot can do");
  });

  it("a teacher picked on the page gets the welcome from the real bot", async () => {
    const res = await fetch(`${base}/sandbox/chats`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ personId: s.teacherId }),
    });
    const { chatId } = (await res.json()) as { chatId: number };
    expect(chatId).toBe(sandboxUserIdOf(s.teacherId));
    const view = await waitForChat(chatId, (v) => v.messages.some((m) => m.fromBot));
    const welcome = view.messages.find((m) => m.fromBot)!;
    expect(welcome.text).toContain("Здравствуйте, Мария Петровна!");
    expect(welcome.text).toContain("классный руководитель 7Б");

    await fetch(`${base}/sandbox/chats/${chatId}/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text: "/help" }),
    });
    const help = await waitForChat(chatId, (v) => v.messages.at(-1)?.fromBot === true && v.messages.length >= 4);
    expect(help.messages.at(-1)?.text).toContain("/today");
  });

  it("an English page gets English answers; documents the bot uploads can be downloaded", async () => {
    const res = await fetch(`${base}/sandbox/chats`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ personId: s.guardianId, lang: "en" }),
    });
    const { chatId } = (await res.json()) as { chatId: number };
    const view = await waitForChat(chatId, (v) => v.messages.some((m) => m.fromBot));
    expect(view.messages.find((m) => m.fromBot)?.text).toContain("Hello, Ольга Николаевна!");

    await bot.api.sendDocument(chatId, new InputFile(Buffer.from("%PDF-1.4 test"), "invites-7B.pdf"), {
      caption: "PDF",
    });
    const withDoc = await waitForChat(chatId, (v) => v.messages.some((m) => m.document));
    const doc = withDoc.messages.find((m) => m.document)!.document!;
    expect(doc.name).toBe("invites-7B.pdf");
    const file = await fetch(`${base}/sandbox/files/${doc.fileId}`);
    expect(file.headers.get("content-type")).toBe("application/pdf");
    expect(await file.text()).toBe("%PDF-1.4 test");
  });
});
