// Small rendering helpers of the class-admin screens: dates, short names, reasons, splitting long texts, and a
// Latin file name for a class. Showing and answering are the UI kit's (src/bot/ui).
import { type IsoDate, isIsoDate } from "../../../core/dates.ts";
import type { AbsenceReason } from "../../../core/journal/absence-reasons.ts";
import { schoolNow } from "../../../core/journal/common.ts";
import type { Language } from "../../../i18n.ts";
import type { BotContext, LinkedContext } from "../../context.ts";

export const REASONS: readonly AbsenceReason[] = ["ILLNESS", "EXCUSED", "UNEXCUSED"];

export function isReason(word: string): word is AbsenceReason {
  return (REASONS as readonly string[]).includes(word);
}

/** Telegram allows 4096 characters; leave room for a line added later. */
export const TEXT_LIMIT = 3900;

/** yyyymmdd ↔ ISO date; 0 means "today". */
export function dateToInt(date: IsoDate): number {
  return Number(date.replaceAll("-", ""));
}

export function intToDate(n: number): IsoDate | null {
  if (n === 0) return null;
  const s = String(n);
  if (s.length !== 8) return null;
  const iso = `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;
  return isIsoDate(iso) ? iso : null;
}

/** The school's today (its time zone). */
export async function schoolToday(ctx: LinkedContext): Promise<IsoDate> {
  return (await schoolNow(ctx.services.prisma, ctx.actor.schoolId)).local.date;
}

const locale = (lng: Language) => (lng === "ru" ? "ru-RU" : "en-GB");

/** "вторник, 24 ноября" */
export function longDay(lng: Language, date: IsoDate): string {
  return new Intl.DateTimeFormat(locale(lng), {
    weekday: "long",
    day: "numeric",
    month: "long",
    timeZone: "UTC",
  }).format(new Date(`${date}T00:00:00Z`));
}

/** "вт 24.11" */
export function shortDay(lng: Language, date: IsoDate): string {
  const weekday = new Intl.DateTimeFormat(locale(lng), { weekday: "short", timeZone: "UTC" }).format(
    new Date(`${date}T00:00:00Z`),
  );
  return `${weekday} ${date.slice(8, 10)}.${date.slice(5, 7)}`;
}

/** "24.11" */
export function dayMonth(date: IsoDate): string {
  return `${date.slice(8, 10)}.${date.slice(5, 7)}`;
}

/** "24.11.2026" */
export function fullDate(date: IsoDate): string {
  return `${date.slice(8, 10)}.${date.slice(5, 7)}.${date.slice(0, 4)}`;
}

/** "Иванов Пётр" → "Иванов П." */
export function shortName(name: string): string {
  const [last, first] = name.split(" ");
  return first ? `${last} ${first.slice(0, 1)}.` : last;
}

/** Keeps the first lines that fit the limit and says how many were left out. */
export function fitLines(lines: string[], more: (n: number) => string, limit = TEXT_LIMIT): string {
  let out = "";
  for (let i = 0; i < lines.length; i++) {
    const next = out ? `${out}\n${lines[i]}` : lines[i];
    if (next.length > limit - 40) return `${out}\n${more(lines.length - i)}`;
    out = next;
  }
  return out;
}

/** Splits lines into messages within the limit (no line is cut). */
export function chunkLines(lines: string[], limit = TEXT_LIMIT): string[] {
  const chunks: string[] = [];
  let current = "";
  for (const line of lines) {
    const piece = line.length > limit ? `${line.slice(0, limit - 1)}…` : line;
    if (current && current.length + 1 + piece.length > limit) {
      chunks.push(current);
      current = piece;
    } else {
      current = current ? `${current}\n${piece}` : piece;
    }
  }
  if (current) chunks.push(current);
  return chunks;
}

/**
 * A guardian's relation as the school's sheet spells it (free text, usually «мать», «отец»…), in the reader's
 * language when it is one of the common words (class-admin:relations), as written otherwise.
 */
export function relationLabel(ctx: BotContext, relation: string): string {
  const word = relation.trim().toLowerCase();
  if (!/^[\p{L} -]+$/u.test(word)) return relation;
  return ctx.t(`class-admin:relations.${word}`, { defaultValue: relation });
}
