// the suggested term mark from the weighted average with the school's thresholds
// (settings.thresholds, e.g. ≥ 4.6 → 5, ≥ 3.6 → 4, ≥ 2.6 → 3, else 2). A suggestion; the teacher decides.

import { roundAverage } from "./average.ts";

export interface Threshold {
  min: number;
  mark: string;
}

/**
 * The average is first rounded to 2 decimals (`roundAverage`), the precision a teacher sees: an average
 * shown as 4.60 suggests 5 even if the float sum came out as 4.5999999, and 4.595 (shown 4.60) does too.
 * Thresholds are checked from the highest `min`; below all of them → `fallback` ("2" by default, so a
 * school listing only 5/4/3 thresholds still gets a 2). No average (no numeric marks) → null.
 */
export function suggestTermMark(
  average: number | null,
  thresholds: readonly Threshold[],
  fallback: string | null = "2",
): string | null {
  if (average === null || !Number.isFinite(average)) return null;
  const shown = roundAverage(average, 2);
  const sorted = [...thresholds].sort((a, b) => b.min - a.min);
  for (const t of sorted) {
    if (shown >= roundAverage(t.min, 2)) return t.mark;
  }
  return fallback;
}
