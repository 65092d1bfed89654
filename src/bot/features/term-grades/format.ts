// How term marks read in the bot: the period's name, a stored value («н/а», «зач»…) in the reader's language,
// and the value codes carried in callback data (ASCII words, never the stored Cyrillic).
import type { TFunction } from "i18next";
import { EXEMPT, FAIL, NOT_ATTESTED, PASS } from "../../../core/grading/mark-values.ts";
import type { PeriodInfo } from "../../../core/journal/periods.ts";

const CODE_OF: Record<string, string> = { [NOT_ATTESTED]: "na", [EXEMPT]: "osv", [PASS]: "pass", [FAIL]: "fail" };
const VALUE_OF: Record<string, string> = Object.fromEntries(Object.entries(CODE_OF).map(([v, c]) => [c, v]));

/** The callback word of a stored value. */
export function valueCode(value: string): string {
  return CODE_OF[value] ?? value;
}

/** The stored value of a callback word (null for anything else; the core re-checks it against the scale). */
export function valueOfCode(code: string): string | null {
  if (/^[2-5]$/.test(code)) return code;
  return VALUE_OF[code] ?? null;
}

/** A stored value as the reader sees it. */
export function valueLabel(t: TFunction, value: string): string {
  const code = CODE_OF[value];
  return code ? t(`term-grades:value.${code}`) : value;
}

export function periodName(t: TFunction, p: Pick<PeriodInfo, "kind" | "number">): string {
  return t(`term-grades:period.${p.kind}`, { number: p.number });
}

export function periodShort(t: TFunction, p: Pick<PeriodInfo, "kind" | "number">): string {
  return t(`term-grades:periodShort.${p.kind}`, { number: p.number });
}

/** "24.11" */
export function dm(date: string): string {
  return `${date.slice(8, 10)}.${date.slice(5, 7)}`;
}

/** 4.33 → "4,33" in Russian, "4.33" in English. */
export function averageText(lng: string, avg: number): string {
  return lng === "ru" ? avg.toFixed(2).replace(".", ",") : avg.toFixed(2);
}
