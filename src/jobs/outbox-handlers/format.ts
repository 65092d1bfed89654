// Small formatting helpers shared by the outbox handlers. Dates are shown as DD.MM.YYYY in both languages.
import type { IsoDate } from "../../core/dates.ts";

export function displayDate(iso: IsoDate): string {
  const [y, m, d] = iso.split("-");
  return `${d}.${m}.${y}`;
}

/** A parameter the renderer translates first (e.g. a work type code → its name). */
export function translated(key: string, defaultValue: string): { $t: string; defaultValue: string } {
  return { $t: key, defaultValue };
}
