// Every kind of button the bot knows, pressed by an unlinked user, a student and a parent: each press gets
// exactly one answer (Telegram refuses a second one) and never «Что-то пошло не так». The buttons are pressed
// as stale ones (on an old message), with ids of their own school and with ids that exist nowhere.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { definedCallbacks, type FieldKind } from "../../src/bot/callback-data.ts";
import { translator } from "../../src/i18n.ts";
import { type BotSchool, seedBotSchool } from "../helpers/bot-school.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { createFakeTelegram, type FakeTelegram, type FakeUser } from "../helpers/telegram.ts";

let db: TestDb;
let s: BotSchool;
let tg: FakeTelegram;
let ids: Record<string, number>;

const INTERNAL = translator("ru")("errors:INTERNAL");
const today = new Date().toISOString().slice(0, 10);

/** Plausible words per field name, so the handlers get past their parse and reach the core. */
const WORDS: Record<string, string> = {
  date: today,
  from: today,
  to: today,
  weekOf: today,
  view: "day",
  action: "inbox",
  key: "menu",
  value: "digest",
  back: "l",
  reason: "ILLNESS",
  op: "save",
  wt: "CLASSWORK",
  v: "5",
  kind: "d",
};

function dataFor(prefix: string, spec: Readonly<Record<string, FieldKind>>, own: boolean): string {
  const parts = Object.entries(spec).map(([name, kind]) => {
    if (kind === "word") return own ? (WORDS[name] ?? "x") : "x";
    if (!own) return "999999";
    return String(ids[name] ?? 1);
  });
  return [prefix, ...parts].join(":");
}

/** Presses `data` on an old bot message; returns how often the press was answered. */
async function pressStale(user: FakeUser, data: string): Promise<number> {
  const sent = await tg.emulator.call(
    "sendMessage",
    {
      chat_id: user.id,
      text: "Старое сообщение",
      reply_markup: { inline_keyboard: [[{ text: "·", callback_data: data }]] },
    },
    new Map(),
  );
  if (!sent.ok) throw new Error(sent.description);
  const update = tg.emulator.userPress(user.id, (sent.result as { message_id: number }).message_id, data);
  await tg.feed(update);
  const queryId = update.callback_query!.id;
  return tg.callsOf("answerCallbackQuery").filter((c) => c.params.callback_query_id === queryId).length;
}

async function sweep(user: FakeUser): Promise<string[]> {
  const problems: string[] = [];
  const codecs = definedCallbacks();
  expect(codecs.length).toBeGreaterThan(50);
  for (const own of [true, false]) {
    for (const { prefix, spec } of codecs) {
      const data = dataFor(prefix, spec, own);
      const before = user.texts().length;
      const answers = await pressStale(user, data);
      if (answers !== 1) problems.push(`${data}: answered ${answers} times`);
      const fresh = [...user.texts().slice(before), ...user.callbackAnswers()];
      if (fresh.some((t) => t.includes(INTERNAL))) problems.push(`${data}: «${INTERNAL}»`);
      user.chat.callbackAnswers.length = 0;
    }
  }
  return problems;
}

beforeAll(async () => {
  db = await createTestDb();
  s = await seedBotSchool(db.prisma);
  tg = await createFakeTelegram({ prisma: db.prisma, schoolId: s.schoolId });
  const student = await db.prisma.student.findFirstOrThrow({ where: { personId: s.studentId } });
  ids = { studentId: student.id, classId: s.classId, personId: s.teacherId, withPersonId: s.teacherId };
});
afterAll(async () => {
  await db.drop();
});

// a sweep presses every button prefix in turn: minutes on a busy machine
const SWEEP_BUDGET_MS = 300_000;

describe("every button is answered exactly once", () => {
  it(
    "as an unlinked user",
    async () => {
      expect(await sweep(tg.stranger())).toEqual([]);
    },
    SWEEP_BUDGET_MS,
  );

  it(
    "as a student",
    async () => {
      expect(await sweep(await tg.as(s.studentId))).toEqual([]);
    },
    SWEEP_BUDGET_MS,
  );

  it(
    "as a parent",
    async () => {
      expect(await sweep(await tg.as(s.guardianId))).toEqual([]);
    },
    SWEEP_BUDGET_MS,
  );
});
