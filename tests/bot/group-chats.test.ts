// The bot in a group or a channel: silent, except /start and /help in a group, which point to the private chat.
// A linked parent typing the menu words or commands in the class's parents' group gets nothing there.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BotSchool, seedBotSchool } from "../helpers/bot-school.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { createFakeTelegram, type FakeTelegram, telegramIdOf } from "../helpers/telegram.ts";

let db: TestDb;
let s: BotSchool;
let tg: FakeTelegram;

const GROUP = -1_001_234_567;
const CHANNEL = -1_007_654_321;
let nextUpdate = 5_000_000;
let nextMessage = 1;

function commandEntities(text: string) {
  const m = /^\/[A-Za-z0-9_@]+/.exec(text);
  return m ? [{ type: "bot_command", offset: 0, length: m[0].length }] : undefined;
}

function groupMessage(fromPersonId: number, text: string) {
  return {
    update_id: nextUpdate++,
    message: {
      message_id: nextMessage++,
      from: { id: telegramIdOf(fromPersonId), is_bot: false, first_name: "Ольга", language_code: "ru" },
      chat: { id: GROUP, type: "supergroup", title: "7Б — родители" },
      date: Math.floor(Date.now() / 1000),
      text,
      entities: commandEntities(text),
    },
  };
}

function channelPost(text: string) {
  return {
    update_id: nextUpdate++,
    channel_post: {
      message_id: nextMessage++,
      sender_chat: { id: CHANNEL, type: "channel", title: "Новости школы" },
      chat: { id: CHANNEL, type: "channel", title: "Новости школы" },
      date: Math.floor(Date.now() / 1000),
      text,
      entities: commandEntities(text),
    },
  };
}

/** What the bot sent to a chat after `from` (an index into tg.calls). */
const sentTo = (chatId: number, from: number) =>
  tg.calls.slice(from).filter((c) => c.method.startsWith("send") && Number(c.params.chat_id) === chatId);

beforeAll(async () => {
  db = await createTestDb();
  s = await seedBotSchool(db.prisma);
  tg = await createFakeTelegram({ prisma: db.prisma, schoolId: s.schoolId });
  await tg.as(s.guardianId);
  await tg.as(s.teacherId);
  // the emulator keeps messages per chat id: give the group and the channel a place to receive them
  tg.emulator.openChat({ id: GROUP, first_name: "7Б — родители" });
  tg.emulator.openChat({ id: CHANNEL, first_name: "Новости школы" });
});
afterAll(async () => {
  await db.drop();
});

describe("groups and channels", () => {
  it("a linked parent's menu words, commands and plain text in a group get no answer there", async () => {
    const from = tg.calls.length;
    for (const text of [
      "✉️ Написать",
      "написать",
      "📅 Сегодня",
      "⚙️ Настройки",
      "/today",
      "/settings",
      "/notice",
      "привет",
    ]) {
      await tg.feed(groupMessage(s.guardianId, text) as never);
    }
    await tg.feed(groupMessage(s.teacherId, "📋 Мой день") as never);
    await tg.feed(groupMessage(s.teacherId, "/class") as never);
    await tg.feed(groupMessage(s.teacherId, "/start@some_other_bot") as never);
    expect(tg.calls.slice(from)).toEqual([]);
  });

  it("/start and /help in a group answer with one line pointing to the private chat", async () => {
    const from = tg.calls.length;
    await tg.feed(groupMessage(s.guardianId, "/start") as never);
    await tg.feed(groupMessage(s.guardianId, "/help@classbook_test_bot") as never);
    const sent = sentTo(GROUP, from);
    expect(sent).toHaveLength(2);
    for (const c of sent) {
      expect(String(c.params.text)).toContain("только в личных сообщениях");
      expect(String(c.params.text)).toContain("@classbook_test_bot");
      expect(String(c.params.text)).not.toContain("Петрова");
    }
    expect(tg.failedCalls()).toEqual([]);
  });

  it("a channel gets nothing, not even for /start", async () => {
    const from = tg.calls.length;
    for (const text of ["/start", "/help", "✉️ Написать", "Собрание в четверг"]) {
      await tg.feed(channelPost(text) as never);
    }
    expect(tg.calls.slice(from)).toEqual([]);
  });

  it("a button pressed in a group is answered exactly once, and nothing is shown there", async () => {
    const sent = await tg.emulator.call(
      "sendMessage",
      { chat_id: GROUP, text: "Старое", reply_markup: { inline_keyboard: [[{ text: "·", callback_data: "ca_p" }]] } },
      new Map(),
    );
    if (!sent.ok) throw new Error(sent.description);
    const update = tg.emulator.userPress(GROUP, (sent.result as { message_id: number }).message_id, "ca_p");
    const cq = update.callback_query!;
    const press = {
      ...update,
      callback_query: {
        ...cq,
        from: { id: telegramIdOf(s.teacherId), is_bot: false, first_name: "Мария", language_code: "ru" },
        message: { ...cq.message, chat: { id: GROUP, type: "supergroup", title: "7Б — родители" } },
      },
    };
    const from = tg.calls.length;
    await tg.feed(press as never);
    const answers = tg.calls.slice(from).filter((c) => c.method === "answerCallbackQuery");
    expect(answers).toHaveLength(1);
    expect(String(answers[0].params.text)).toContain("только в личных сообщениях");
    expect(sentTo(GROUP, from)).toEqual([]);
    expect(tg.calls.slice(from).filter((c) => c.method.startsWith("edit"))).toEqual([]);
  });

  it("the write menu still answers a parent in the private chat", async () => {
    const parent = await tg.as(s.guardianId);
    await parent.send("✉️ Написать");
    expect(parent.buttons().flat().length).toBeGreaterThan(0);
  });
});
