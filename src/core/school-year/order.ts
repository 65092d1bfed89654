// The administration's order («приказ») a movement or a calendar change is made by: its number and date.
// Parsing what a person types («№ 45 от 12.11.2026», «45-у 12.11.26») is pure and lives here too.
import { z } from "zod";
import { type IsoDate, isIsoDate } from "../dates.ts";

export const orderSchema = z.object({
  number: z.string().trim().min(1).max(40),
  date: z.string().refine(isIsoDate, { message: "not an ISO date" }),
});

export type OrderInput = z.infer<typeof orderSchema>;

/** dd.mm.yyyy or dd.mm.yy → ISO date; null when it is not a real date. */
export function parseDayMonthYear(text: string): IsoDate | null {
  const m = /^(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})$/.exec(text.trim());
  if (!m) return null;
  const year = m[3].length === 2 ? 2000 + Number(m[3]) : Number(m[3]);
  const iso = `${year}-${m[2].padStart(2, "0")}-${m[1].padStart(2, "0")}`;
  return isIsoDate(iso) ? iso : null;
}

// «приказ» and «от» spelt as escapes: src/ holds no Cyrillic outside the demo data.
const ORDER_WORD = /^\s*(\u043f\u0440\u0438\u043a\u0430\u0437|order)\s*/iu;
const DATED_WORD = /\s*(\u043e\u0442|of|dated)\s*$/iu;

/**
 * «№ 45-у от 12.11.2026» → { number: "45-у", date: "2026-11-12" }: the last dd.mm.yyyy in the text is the
 * order's date, what stands before it (without «№», «от», «приказ») its number. Null when either is missing.
 */
export function parseOrderText(text: string): OrderInput | null {
  const dates = [...text.matchAll(/\d{1,2}\.\d{1,2}\.(?:\d{4}|\d{2})(?!\d)/g)];
  const last = dates.at(-1);
  if (!last || last.index === undefined) return null;
  const date = parseDayMonthYear(last[0]);
  if (!date) return null;
  const number = text
    .slice(0, last.index)
    .replace(ORDER_WORD, "")
    .replace(DATED_WORD, "")
    .replace(/^\s*(№|no\.?|#)\s*/iu, "")
    .trim();
  if (!number || number.length > 40) return null;
  return { number, date };
}
