// Weighted average of current marks (RULES.md): Σ(mark × weight) / Σ weight over numeric marks only.

import { markNumber } from "./mark-values.ts";

export interface WeightedMark {
  value: string;
  weight: number;
}

/**
 * Weights are taken in hundredths (the database keeps them as DECIMAL(4,2)), so both sums are exact
 * integers for marks 2..5 and the one division is the only rounding: an average is never outside the
 * range of its marks. Non-numeric marks («н/а», «зач», …) and weights ≤ 0 are left out; null when nothing
 * is left.
 */
export function weightedAverage(marks: readonly WeightedMark[]): number | null {
  let sum = 0;
  let weights = 0;
  for (const m of marks) {
    const n = markNumber(m.value);
    const w = Math.round(m.weight * 100);
    if (n === null || !(w > 0)) continue;
    sum += n * w;
    weights += w;
  }
  return weights === 0 ? null : sum / weights;
}

/**
 * Half-up rounding in decimal, not binary: 4.335 → 4.34 and 4.5999999999 → 4.6 (the shift goes through
 * the decimal exponent, so the binary representation of x × 100 does not leak in).
 */
export function roundAverage(x: number, digits = 2): number {
  const shifted = Math.round(Number(`${x}e${digits}`));
  return Number(`${shifted}e-${digits}`);
}
