// Dates and instants as the CLI prints them: in the school's timezone and the chosen language, never raw UTC.
import type { IsoDate } from "../core/dates.ts";
import type { Language } from "../i18n.ts";

const LOCALES: Record<Language, string> = { ru: "ru-RU", en: "en-GB" };

/** "17 декабря 2026 г. в 19:02 (Europe/Moscow)" / "17 December 2026 at 19:02 (Europe/Moscow)" */
export function formatInstant(lng: Language, timeZone: string, at: string | Date): string {
  const text = new Intl.DateTimeFormat(LOCALES[lng], {
    day: "numeric",
    month: "long",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZone,
  }).format(new Date(at));
  return `${text} (${timeZone})`;
}

/** A calendar day (already the school's local date): "3 декабря 2026" / "3 December 2026" */
export function formatDay(lng: Language, date: IsoDate): string {
  const text = new Intl.DateTimeFormat(LOCALES[lng], {
    day: "numeric",
    month: "long",
    year: "numeric",
    timeZone: "UTC",
  }).format(new Date(`${date}T00:00:00Z`));
  return text.replace(/\s*\u0433\.$/, ""); // Russian's year abbreviation: the sentence supplies its own full stop
}
