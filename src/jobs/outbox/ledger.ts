// Records built messages in the Delivery ledger: each message goes to its reader's latest linked, unblocked
// account (so a school's messages go through that school's bot), is built in the reader's language (preference,
// else the Telegram client's), and gets its due time — the first instant from its notBefore (or now) that is a
// second away from the chat's other due times, so one chat's messages go one a second, in order. A fixed number
// of statements for any number of messages; rows already recorded (same dedupKey) are left as they are.
//
// Each bot's messages due now are also booked at that bot's rate (`Bot.sendHorizon`, shared by every process):
// a school's evening broadcast of 2,000 becomes due over a minute, not at once, so the notify workers are not
// all held waiting for that one bot while another school's bot has slots free.
import type { Tx } from "../../core/tx.ts";
import { pickLanguage } from "../../i18n.ts";
import { DEFAULT_LIMITS } from "../../messenger/telegram/transport.ts";
import { buildMessage } from "../notify/render.ts";
import type { OutgoingMessage } from "./handler.ts";

export const CHAT_SPACING_MS = 1000;
/** Messages due later than this (quiet hours: the morning) are not booked now: they would hold the bot's slots. */
const BOOK_WITHIN_MS = 60_000;

export interface RecordedDelivery {
  id: bigint;
  dueAt: Date;
}

export async function recordMessages(tx: Tx, messages: OutgoingMessage[], now: Date): Promise<RecordedDelivery[]> {
  const unique = [...new Map(messages.map((m) => [m.dedupKey, m])).values()];
  if (unique.length === 0) return [];
  const personIds = [...new Set(unique.map((m) => m.personId))];
  const [accounts, prefs] = await Promise.all([
    tx.messengerAccount.findMany({
      where: { personId: { in: personIds }, blockedAt: null },
      orderBy: { linkedAt: "asc" },
      select: { personId: true, schoolId: true, botId: true, chatId: true, languageCode: true },
    }),
    tx.preference.findMany({ where: { personId: { in: personIds } }, select: { personId: true, locale: true } }),
  ]);
  const accountOf = new Map(accounts.map((a) => [`${a.schoolId}-${a.personId}`, a])); // the latest link wins
  const localeOf = new Map(prefs.map((p) => [p.personId, p.locale]));
  const chats = [...new Set(accounts.map((a) => a.chatId))];
  const taken = new Map<string, number[]>();
  if (chats.length) {
    const recent = await tx.delivery.findMany({
      where: { chatId: { in: chats }, dueAt: { gt: new Date(now.getTime() - CHAT_SPACING_MS) } },
      select: { botId: true, chatId: true, dueAt: true },
    });
    for (const r of recent) {
      const key = `${r.botId}-${r.chatId}`;
      taken.set(key, [...(taken.get(key) ?? []), r.dueAt.getTime()]);
    }
  }
  const rows = [];
  for (const m of unique) {
    const account = accountOf.get(`${m.schoolId}-${m.personId}`);
    if (!account) continue;
    const chat = `${account.botId}-${account.chatId}`;
    const dues = taken.get(chat) ?? [];
    const due = freeSlot(dues, Math.max(now.getTime(), m.notBefore?.getTime() ?? 0));
    taken.set(chat, [...dues, due]);
    const built = buildMessage(m.render, m.buttons, pickLanguage(localeOf.get(m.personId) ?? account.languageCode));
    rows.push({
      schoolId: m.schoolId,
      dedupKey: m.dedupKey,
      botId: account.botId,
      chatId: account.chatId,
      personId: m.personId,
      kind: m.kind,
      dueAt: new Date(due),
      text: built.text,
      buttons: built.buttons ? (built.buttons as object) : undefined,
      ref: m.ref ? (m.ref as object) : undefined,
    });
  }
  if (rows.length === 0) return [];
  await bookBotSlots(tx, rows, now);
  return tx.delivery.createManyAndReturn({ data: rows, skipDuplicates: true, select: { id: true, dueAt: true } });
}

/**
 * Books consecutive slots at each bot's rate for its messages due now (one statement for every bot), and moves
 * each message to its slot when that is later than its chat's due time. A horizon more than an hour ahead is
 * a clock that went back, not a backlog: booking starts again from now.
 */
async function bookBotSlots(tx: Tx, rows: { botId: number; dueAt: Date }[], now: Date): Promise<void> {
  const byBot = new Map<number, { dueAt: Date }[]>();
  for (const r of rows) {
    if (r.dueAt.getTime() - now.getTime() > BOOK_WITHIN_MS) continue;
    const list = byBot.get(r.botId);
    if (list) list.push(r);
    else byBot.set(r.botId, [r]);
  }
  if (byBot.size === 0) return;
  const ids = [...byBot.keys()];
  const counts = ids.map((id) => byBot.get(id)!.length);
  const booked = await tx.$queryRaw<{ id: number; horizon: Date; rate: number }[]>`
    UPDATE "Bot" b
       SET "sendHorizon" = (CASE WHEN b."sendHorizon" > ${now}::timestamp + interval '1 hour' THEN ${now}
                                 ELSE GREATEST(COALESCE(b."sendHorizon", ${now}), ${now}) END)
                           + make_interval(secs => w.n / COALESCE(b."sendRate", ${DEFAULT_LIMITS.botPerSecond}))
      FROM unnest(${ids}::int[], ${counts}::int[]) AS w(id, n)
     WHERE b.id = w.id
    RETURNING b.id, b."sendHorizon" AS horizon, COALESCE(b."sendRate", ${DEFAULT_LIMITS.botPerSecond}) AS rate`;
  for (const { id, horizon, rate } of booked) {
    const list = byBot.get(id)!;
    const intervalMs = 1000 / Number(rate);
    const start = horizon.getTime() - list.length * intervalMs;
    list.forEach((r, i) => {
      const slot = start + i * intervalMs;
      if (slot > r.dueAt.getTime()) r.dueAt = new Date(slot);
    });
  }
}

/** The first instant at or after `from` that is at least a second away from every taken due time. */
export function freeSlot(taken: number[], from: number): number {
  const sorted = [...taken].sort((a, b) => a - b);
  let t = from;
  for (const d of sorted) {
    if (d <= t - CHAT_SPACING_MS) continue;
    if (d >= t + CHAT_SPACING_MS) break;
    t = d + CHAT_SPACING_MS;
  }
  return t;
}
