// End to end in sandbox mode: two schools, each with its real bot long-polling its own emulator over HTTP; a person
// is picked on the page's API and receives the welcome from their school's bot only; a document the bot uploads
// can be downloaded from the page.
import type { FastifyInstance } from "fastify";
import { InputFile } from "grammy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BOT_COMMANDS } from "../../src/bot/commands.ts";
import { type ClassbookBot, createBot, startBotPolling } from "../../src/bot/index.ts";
import { ensureBot } from "../../src/core/accounts/index.ts";
import { buildApp } from "../../src/http/app.ts";
import { createLogger } from "../../src/logger.ts";
import { SandboxBots } from "../../src/sandbox/bots.ts";
import { sandboxUserIdOf } from "../../src/sandbox/plugin.ts";
import { sandboxBotToken, sandboxTelegramBotId } from "../../src/sandbox/tokens.ts";
import { type BotSchool, seedBotSchool } from "../helpers/bot-school.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";

let db: TestDb;
let s: BotSchool;
let s2: BotSchool;
let botId: number;
let bot2Id: number;
let app: FastifyInstance;
let bot: ClassbookBot;
const pollers: { stop(): Promise<void> }[] = [];
let base: string;
let bots: SandboxBots;
const logger = createLogger("silent");

beforeAll(async () => {
  db = await createTestDb();
  s = await seedBotSchool(db.prisma);
  s2 = await seedBotSchool(db.prisma);
  // school 2's teacher has a name of her own, so her welcome can only come from school 2's data
  await db.prisma.person.update({
    where: { id: s2.teacherId },
    data: { firstName: "Светлана", middleName: "Игоревна" },
  });
  botId = await ensureBot(db.prisma, { schoolId: s.schoolId, username: "classbook_sandbox_bot" });
  bot2Id = await ensureBot(db.prisma, { schoolId: s2.schoolId, username: "school_two_bot" });
  bots = new SandboxBots(db.prisma);
  app = await buildApp({ config: { defaultLocale: "ru" }, prisma: db.prisma, logger, sandbox: { bots } });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  if (!address || typeof address === "string") throw new Error("no address");
  base = `http://127.0.0.1:${address.port}`;
  // a bot per school, as the product starts them: its own token, the sandbox's API root
  const start = async (id: number, schoolId: number) => {
    const b = createBot({
      token: sandboxBotToken(id),
      apiRoot: `${base}/sandbox/api`,
      prisma: db.prisma,
      logger,
      botId: id,
      schoolId,
      defaultLocale: "ru",
    });
    pollers.push(await startBotPolling(b, { defaultLocale: "ru", logger }));
    return b;
  };
  bot = await start(botId, s.schoolId);
  await start(bot2Id, s2.schoolId);
});
afterAll(async () => {
  for (const p of pollers) await p.stop();
  await app?.close();
  await db?.drop();
});

interface ChatView {
  rev: number;
  messages: { fromBot: boolean; text: string; document?: { fileId: string; name: string } }[];
}

/** Polls the page's chat API (as the page does) until a bot message satisfies `done`. */
async function waitForChat(chatId: number, done: (v: ChatView) => boolean, bot = botId): Promise<ChatView> {
  let rev = -1;
  for (let i = 0; i < 50; i++) {
    const res = await fetch(`${base}/sandbox/chats/${chatId}?bot=${bot}&rev=${rev}`);
    const view = (await res.json()) as ChatView;
    if (done(view)) return view;
    rev = view.rev;
  }
  throw new Error("the chat never reached the expected state");
}

describe("sandbox end to end", () => {
  it("each school's bot published its command menus at start", () => {
    for (const id of [botId, bot2Id]) {
      const emulator = bots.get(id)!;
      expect(emulator.bot.id).toBe(sandboxTelegramBotId(id));
      expect(emulator.commands.get("ru")?.map((c) => c.command)).toEqual([...BOT_COMMANDS]);
      expect(emulator.commands.get("en")?.[1].description).toBe("What the bot can do");
    }
  });

  it("a teacher of school 2 picked with school 2's bot gets its welcome; school 1's bot never hears of her", async () => {
    const res = await fetch(`${base}/sandbox/chats`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ botId: bot2Id, personId: s2.teacherId }),
    });
    const { chatId } = (await res.json()) as { chatId: number };
    const view = await waitForChat(chatId, (v) => v.messages.some((m) => m.fromBot), bot2Id);
    const welcome = view.messages.find((m) => m.fromBot)!;
    expect(welcome.text).toContain("Здравствуйте, Светлана Игоревна!");
    const sent = bots
      .get(bot2Id)!
      .chats.get(chatId)!
      .messages.filter((m) => m.from.is_bot);
    expect(sent.map((m) => m.from.id)).toEqual(sent.map(() => sandboxTelegramBotId(bot2Id)));
    expect(bots.get(botId)!.chats.has(chatId)).toBe(false);

    await fetch(`${base}/sandbox/chats/${chatId}/messages?bot=${bot2Id}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text: "/help" }),
    });
    const help = await waitForChat(
      chatId,
      (v) => v.messages.at(-1)?.fromBot === true && v.messages.length >= 4,
      bot2Id,
    );
    expect(help.messages.at(-1)?.text).toContain("/today");

    // a person of school 1 offered to school 2's bot is refused: nobody of school 1 talks to it
    const tampered = await fetch(`${base}/sandbox/chats`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ botId: bot2Id, personId: s.teacherId }),
    });
    expect(tampered.status).toBe(404);
    expect(bots.get(bot2Id)!.chats.has(sandboxUserIdOf(s.teacherId))).toBe(false);
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
    const file = await fetch(`${base}/sandbox/files/${doc.fileId}?bot=${botId}`);
    expect(file.headers.get("content-type")).toBe("application/pdf");
    expect(await file.text()).toBe("%PDF-1.4 test");
  });
});
