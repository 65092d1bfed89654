// Reads the dates a parent types for an absence: "15.05", "15.05–17.05", "15.05.2026 - 17.05.2026". A date
// without a year is taken in the school year around today (a date more than half a year back means next year).
import { addDays, daysBetween, type IsoDate, isIsoDate } from "../../../core/dates.ts";
import { LANGUAGES, translator } from "../../../i18n.ts";

const DATE = /^(\d{1,2})\.(\d{1,2})(?:\.(\d{2}|\d{4}))?$/;

/** Between two dates: a dash, or the word of any language ("15.05 to 17.05"), whatever the reader's language. */
const SEPARATOR = new RegExp(
  ["\\s*[-–—]\\s*", ...new Set(LANGUAGES.map((lng) => `\\s+${translator(lng)("common:dateRangeWord")}\\s+`))].join("|"),
  "i",
);

function parseOne(s: string, today: IsoDate): IsoDate | null {
  const m = DATE.exec(s.trim());
  if (!m) return null;
  const [day, month] = [Number(m[1]), Number(m[2])];
  let year = m[3] ? Number(m[3].length === 2 ? `20${m[3]}` : m[3]) : Number(today.slice(0, 4));
  const iso = (y: number) => `${y}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
  if (!isIsoDate(iso(year))) return null;
  if (!m[3] && daysBetween(iso(year), today) > 183) year++;
  return isIsoDate(iso(year)) ? iso(year) : null;
}

/** The inclusive range, or null when the text is not one or two dates in order within the limits. */
export function parseDateRange(
  text: string,
  today: IsoDate,
  limits: { maxDays: number; pastDays: number },
): { from: IsoDate; to: IsoDate } | null {
  const parts = text.split(SEPARATOR).filter(Boolean);
  if (parts.length < 1 || parts.length > 2) return null;
  const from = parseOne(parts[0], today);
  const to = parts.length === 2 ? parseOne(parts[1], today) : from;
  if (!from || !to || from > to) return null;
  if (daysBetween(from, to) >= limits.maxDays || from < addDays(today, -limits.pastDays)) return null;
  return { from, to };
}

/** "15.05.2026" or "15.05.2026–17.05.2026". */
export function formatDateRange(from: IsoDate, to: IsoDate): string {
  const show = (iso: IsoDate) => iso.split("-").reverse().join(".");
  return from === to ? show(from) : `${show(from)}–${show(to)}`;
}
