// «16.11.2026–22.11.2026», «16.11.2026 - 22.11.2026» or one date → an inclusive ISO range; null otherwise.
import type { IsoDate } from "../dates.ts";
import { parseDayMonthYear } from "./order.ts";

export function parseDateRange(text: string): { from: IsoDate; to: IsoDate } | null {
  const parts = text
    .trim()
    .split(/\s*[-–—]\s*|\s+(?:\u043f\u043e|to)\s+|\s+/u)
    .filter(Boolean);
  if (parts.length < 1 || parts.length > 2) return null;
  const from = parseDayMonthYear(parts[0]);
  const to = parts.length === 2 ? parseDayMonthYear(parts[1]) : from;
  if (!from || !to || to < from) return null;
  return { from, to };
}
