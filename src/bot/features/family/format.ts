// Formatting for the family screens: dates and numbers in the reader's language, marks with their corrections,
// and long texts split below Telegram's 4096 characters (the UI kit's split).
import type { TFunction } from "i18next";
import { fromIsoDate, type IsoDate } from "../../../core/dates.ts";
import type { FamilyMark, WithdrawnMark } from "../../../core/family/index.ts";
import type { Language } from "../../../i18n.ts";

const localeOf = (lng: Language) => (lng === "ru" ? "ru-RU" : "en-GB");

/** «вторник, 24 ноября» / «Tuesday 24 November». */
export function longDate(lng: Language, date: IsoDate): string {
  return new Intl.DateTimeFormat(localeOf(lng), {
    weekday: "long",
    day: "numeric",
    month: "long",
    timeZone: "UTC",
  }).format(fromIsoDate(date));
}

/** «24.11» / «24/11». */
export function shortDate(lng: Language, date: IsoDate): string {
  return new Intl.DateTimeFormat(localeOf(lng), { day: "2-digit", month: "2-digit", timeZone: "UTC" }).format(
    fromIsoDate(date),
  );
}

/** «пн» / «Mon». */
export function weekdayShort(lng: Language, date: IsoDate): string {
  return new Intl.DateTimeFormat(localeOf(lng), { weekday: "short", timeZone: "UTC" }).format(fromIsoDate(date));
}

/** «4,33» / «4.33». */
export function average(lng: Language, value: number): string {
  return new Intl.NumberFormat(localeOf(lng), { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(value);
}

export function workTypeName(t: TFunction, code: string): string {
  return t(`notify:workTypes.${code}`, { defaultValue: code });
}

/** «4 → 5, исправлено: пересчёт баллов». */
export function correctionText(t: TFunction, step: { from: string; to: string; reason: string | null }): string {
  return step.reason
    ? t("family:marks.correction", { from: step.from, to: step.to, reason: step.reason })
    : t("family:marks.correctionNoReason", { from: step.from, to: step.to });
}

/** A mark in a list: value, work type, comment, and its corrections as corrections. */
export function markText(t: TFunction, m: FamilyMark): string {
  const parts = [`${m.value} (${workTypeName(t, m.workType)})`];
  if (m.comment) parts.push(t("family:marks.comment", { comment: m.comment }));
  for (const c of m.corrections) parts.push(correctionText(t, c));
  return parts.join(" — ");
}

export function withdrawnText(t: TFunction, m: WithdrawnMark): string {
  return t("family:marks.withdrawn", { value: m.value, workType: workTypeName(t, m.workType), reason: m.reason });
}

export { splitText, TELEGRAM_TEXT_LIMIT } from "../../ui/index.ts";
