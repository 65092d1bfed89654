import { describe, expect, it } from "vitest";
import { accumulation, lessonsElapsed } from "../../../src/core/grading/accumulation.ts";

describe("накопляемость", () => {
  it.each([
    [1, 9, 9],
    [2, 4.5, 9],
    [3, 1 / 7, 0],
    [5, 10 / 7, 7],
    [0.1 * 3, 10, 3], // 0.30000000000000004 × 10
    [0, 9, 0],
    [2, 0, 0],
    [2, -1, 0],
  ])("R-28 lessonsElapsed(%d h/week, %d weeks) = %d", (h, w, n) => {
    expect(lessonsElapsed(h, w)).toBe(n);
  });

  it.each([
    ["1 h/week, full quarter, 3 marks: enough", { marksCount: 3, hoursPerWeek: 1, weeksElapsed: 9 }, 3, false, 0],
    ["1 h/week, full quarter, 2 marks: below", { marksCount: 2, hoursPerWeek: 1, weeksElapsed: 9 }, 3, true, 1],
    ["5 h/week, 4 weeks, 4 marks", { marksCount: 4, hoursPerWeek: 5, weeksElapsed: 4 }, 6, true, 2],
    ["start of term: nothing expected", { marksCount: 0, hoursPerWeek: 2, weeksElapsed: 1 }, 0, false, 0],
    ["held lessons override hours", { marksCount: 1, hoursPerWeek: 5, weeksElapsed: 4, lessonsHeld: 6 }, 2, true, 1],
    ["stricter ratio", { marksCount: 4, hoursPerWeek: 2, weeksElapsed: 5, lessonsPerMark: 2 }, 5, true, 1],
    ["more than enough", { marksCount: 12, hoursPerWeek: 2, weeksElapsed: 5 }, 3, false, 0],
  ])("R-28 %s", (_name, input, expectedMin, below, shortBy) => {
    expect(accumulation(input)).toMatchObject({ expectedMin, below, shortBy, marksCount: input.marksCount });
  });

  it("R-28 a non-positive ratio is refused", () => {
    expect(() => accumulation({ marksCount: 1, hoursPerWeek: 1, weeksElapsed: 1, lessonsPerMark: 0 })).toThrow(
      RangeError,
    );
  });
});
