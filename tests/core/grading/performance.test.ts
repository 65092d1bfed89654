import { describe, expect, it } from "vitest";
import { performanceFigures } from "../../../src/core/grading/performance.ts";

const repeat = (v: string | null, n: number) => Array.from({ length: n }, () => v);

describe("performance figures", () => {
  it("R-27 формулы RULES.md on a class of 25", () => {
    // 5×«5», 10×«4», 7×«3», 2×«2», 1×«н/а», 1×«осв» → N = 25 (осв excluded)
    const marks = [
      ...repeat("5", 5),
      ...repeat("4", 10),
      ...repeat("3", 7),
      ...repeat("2", 2),
      ...repeat("н/а", 1),
      ...repeat("осв", 1),
    ];
    const f = performanceFigures(marks);
    expect(f).toMatchObject({ attested: 25, n5: 5, n4: 10, n3: 7, n2: 2, nNa: 1, nExempt: 1, nMissing: 0 });
    expect(f.successPct).toBe(88); // 22/25
    expect(f.qualityPct).toBe(60); // 15/25
    expect(f.souPct).toBe(57.2); // (500 + 640 + 252 + 32 + 7) / 25 = 57.24
  });

  it.each([
    ["no marks", [], { attested: 0, successPct: null, qualityPct: null, souPct: null }],
    ["only осв", ["осв", "осв"], { attested: 0, nExempt: 2, successPct: null, qualityPct: null, souPct: null }],
    ["only н/а", ["н/а", "н/а"], { attested: 2, nNa: 2, successPct: 0, qualityPct: 0, souPct: 7 }],
    ["all 5", ["5", "5", "5"], { attested: 3, successPct: 100, qualityPct: 100, souPct: 100 }],
    ["all 3", ["3", "3"], { attested: 2, successPct: 100, qualityPct: 0, souPct: 36 }],
    ["one in three", ["5", "2", "2"], { attested: 3, successPct: 33.3, qualityPct: 33.3, souPct: 44 }],
    ["two in three", ["4", "4", "2"], { attested: 3, successPct: 66.7, qualityPct: 66.7, souPct: 48 }],
    [
      "зачёт counts for успеваемость only",
      ["зач", "зач", "незач", "5"],
      { attested: 4, nPass: 2, nFail: 1, successPct: 75, qualityPct: 100, souPct: 100 },
    ],
    ["only зачёт", ["зач", "незач"], { attested: 2, successPct: 50, qualityPct: null, souPct: null }],
    [
      "missing and unknown values are counted apart, not in N",
      [null, "5", "5+", null],
      { attested: 1, nMissing: 3, successPct: 100 },
    ],
  ])("R-27 %s", (_name, marks, expected) => {
    expect(performanceFigures(marks as (string | null)[])).toMatchObject(expected);
  });
});
