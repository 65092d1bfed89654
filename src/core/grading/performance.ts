// R-27 performance figures from term marks (RULES.md):
//   успеваемость = (n5 + n4 + n3) / N · 100 %, качество = (n5 + n4) / N · 100 %,
//   СОУ = (n5·100 + n4·64 + n3·36 + n2·16 + nна·7) / N.
// «осв» is excluded from N; «н/а» counts in N (as a fail). Students not enrolled at the date are NOT this
// function's concern: the caller passes only the marks of students enrolled then.

import { roundAverage } from "./average.ts";
import { classifyMark } from "./mark-values.ts";

export interface PerformanceFigures {
  /** N: graded + «н/а» + зачёт/незачёт (everything but «осв» and missing). */
  attested: number;
  n5: number;
  n4: number;
  n3: number;
  n2: number;
  nNa: number;
  nPass: number;
  nFail: number;
  nExempt: number;
  /** No term mark (null) or a value not on the scale: not in N; shown so a gap is visible. */
  nMissing: number;
  /** успеваемость, % (1 decimal): (n5 + n4 + n3 + зач) / N. */
  successPct: number | null;
  /** качество знаний, % (1 decimal): (n5 + n4) / N over marks of the 2–5 scale and «н/а» only. */
  qualityPct: number | null;
  /** СОУ, % (1 decimal), over marks of the 2–5 scale and «н/а» only. */
  souPct: number | null;
}

const pct = (part: number, whole: number): number | null =>
  whole === 0 ? null : roundAverage((part / whole) * 100, 1);

/**
 * Зачёт/незачёт carry no level: they count for успеваемость (зач = passed, незач = failed) but are left out
 * of качество and СОУ, whose denominator is n5 + n4 + n3 + n2 + nна. Any denominator 0 → null.
 */
export function performanceFigures(termMarks: readonly (string | null)[]): PerformanceFigures {
  const f = { n5: 0, n4: 0, n3: 0, n2: 0, nNa: 0, nPass: 0, nFail: 0, nExempt: 0, nMissing: 0 };
  for (const value of termMarks) {
    const kind = value === null ? null : classifyMark(value);
    if (kind === "numeric") {
      if (value === "5") f.n5++;
      else if (value === "4") f.n4++;
      else if (value === "3") f.n3++;
      else f.n2++;
    } else if (kind === "notAttested") f.nNa++;
    else if (kind === "pass") f.nPass++;
    else if (kind === "fail") f.nFail++;
    else if (kind === "exempt") f.nExempt++;
    else f.nMissing++;
  }
  const graded = f.n5 + f.n4 + f.n3 + f.n2 + f.nNa;
  const attested = graded + f.nPass + f.nFail;
  return {
    attested,
    ...f,
    successPct: pct(f.n5 + f.n4 + f.n3 + f.nPass, attested),
    qualityPct: pct(f.n5 + f.n4, graded),
    souPct:
      graded === 0 ? null : roundAverage((f.n5 * 100 + f.n4 * 64 + f.n3 * 36 + f.n2 * 16 + f.nNa * 7) / graded, 1),
  };
}
