import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { weightedAverage } from "../../../src/core/grading/average.ts";
import { suggestTermMark } from "../../../src/core/grading/term-suggestion.ts";
import { defaultSettings } from "../../../src/core/settings.ts";

const T = defaultSettings.thresholds;

describe("term-mark suggestion", () => {
  it.each([
    [null, null],
    [5, "5"],
    [4.6, "5"],
    [4.5999999, "5"], // shown as 4.60
    [4.595, "5"], // shown as 4.60
    [4.594, "4"],
    [4.59, "4"],
    [3.6, "4"],
    [3.5999999999999996, "4"],
    [3.59, "3"],
    [2.6, "3"],
    [2.59, "2"],
    [2, "2"],
    [0, "2"],
  ])("R-16 suggestion thresholds: average %s → %s", (avg, mark) => {
    expect(suggestTermMark(avg, T)).toBe(mark);
  });

  it("R-16 floating sums: an average a hair below 4.6 is shown as 4.60 and suggests 5", () => {
    expect(suggestTermMark(4.6 - 1e-9, T)).toBe("5");
    expect(suggestTermMark(0.1 * 3 + 4.3 - 1e-12, T)).toBe("5");
    // 5·3 + 4·2 over weight 5 is exactly 4.6 with weights taken in hundredths
    const avg = weightedAverage([
      { value: "5", weight: 1.5 },
      { value: "4", weight: 1 },
    ]);
    expect(avg).toBe(4.6);
    expect(suggestTermMark(avg, T)).toBe("5");
  });

  it("R-16 thresholds in any order; a school listing only 5/4/3 gets 2 below them; no fallback → null", () => {
    const only543 = [
      { min: 2.6, mark: "3" },
      { min: 4.6, mark: "5" },
      { min: 3.6, mark: "4" },
    ];
    expect(suggestTermMark(4.7, only543)).toBe("5");
    expect(suggestTermMark(2.1, only543)).toBe("2");
    expect(suggestTermMark(2.1, only543, null)).toBeNull();
    expect(suggestTermMark(Number.NaN, T)).toBeNull();
  });

  it("R-16 custom stricter thresholds", () => {
    const strict = [
      { min: 4.75, mark: "5" },
      { min: 3.75, mark: "4" },
      { min: 2.75, mark: "3" },
      { min: 0, mark: "2" },
    ];
    expect(suggestTermMark(4.7, strict)).toBe("4");
    expect(suggestTermMark(4.75, strict)).toBe("5");
  });

  it("R-16 property: the suggestion is monotone in the average", () => {
    fc.assert(
      fc.property(fc.double({ min: 2, max: 5, noNaN: true }), fc.double({ min: 2, max: 5, noNaN: true }), (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        return Number(suggestTermMark(lo, T)) <= Number(suggestTermMark(hi, T));
      }),
      { numRuns: 1000 },
    );
  });
});
