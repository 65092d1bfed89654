// Presses every kind of button the bot knows (every callback prefix) and reports each press that was not
// answered exactly once (Telegram refuses a second answer) or that showed «Что-то пошло не так». The buttons
// are pressed as stale ones, on an old message, with the given ids (`own`) or with ids that exist nowhere.
import { definedCallbacks, type FieldKind } from "../../src/bot/callback-data.ts";
import { translator } from "../../src/i18n.ts";
import type { FakeTelegram, FakeUser } from "./telegram.ts";

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
  wt: "oral",
  v: "5",
  kind: "d",
};

function dataFor(
  prefix: string,
  spec: Readonly<Record<string, FieldKind>>,
  ids: Readonly<Record<string, number>>,
  own: boolean,
): string {
  const parts = Object.entries(spec).map(([name, kind]) => {
    if (kind === "word") return own ? (WORDS[name] ?? "x") : "x";
    if (!own) return "999999";
    return String(ids[name] ?? 1);
  });
  return [prefix, ...parts].join(":");
}

/** Presses `data` on an old bot message; returns how often the press was answered. */
export async function pressStale(tg: FakeTelegram, user: FakeUser, data: string): Promise<number> {
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

export interface SweepOptions {
  /** Ids the person may see, by field name (lessonId, markId…); a field without one gets 1. */
  ids: Readonly<Record<string, number>>;
  /** Press with these ids, with ids that exist nowhere, or both (default). */
  own?: readonly boolean[];
  /** Runs before each press, e.g. to bring the person into a conversation that waits for input. */
  before?: () => Promise<void>;
}

export async function sweepCallbacks(tg: FakeTelegram, user: FakeUser, opts: SweepOptions): Promise<string[]> {
  const problems: string[] = [];
  const codecs = definedCallbacks();
  if (codecs.length < 50) throw new Error(`only ${codecs.length} callback kinds are defined: are the features loaded?`);
  for (const own of opts.own ?? [true, false]) {
    for (const { prefix, spec } of codecs) {
      const data = dataFor(prefix, spec, opts.ids, own);
      await opts.before?.();
      const before = user.texts().length;
      const answers = await pressStale(tg, user, data);
      if (answers !== 1) problems.push(`${data}: answered ${answers} times`);
      const fresh = [...user.texts().slice(before), ...user.callbackAnswers()];
      if (fresh.some((t) => t.includes(INTERNAL))) problems.push(`${data}: «${INTERNAL}»`);
      user.chat.callbackAnswers.length = 0;
    }
  }
  return problems;
}
