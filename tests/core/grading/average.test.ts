import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { roundAverage, weightedAverage } from "../../../src/core/grading/average.ts";

const m = (value: string, weight = 1) => ({ value, weight });

describe("weighted average (grading conventions)", () => {
  it.each([
    ["RULES example (5·2 + 3·1)/3", [m("5", 2), m("3", 1)], 4.33],
    ["no marks", [], null],
    ["only н/а", [m("н/а"), m("н/а", 2)], null],
    ["only зачёт/незачёт/осв", [m("зач"), m("незач"), m("осв")], null],
    ["н/а and зач are left out", [m("4"), m("н/а", 2), m("зач")], 4],
    ["equal weights", [m("5"), m("4"), m("4")], 4.33],
    ["fractional weights", [m("5", 1.5), m("2", 0.5)], 4.25],
    ["zero and negative weights are left out", [m("5", 0), m("3", -1), m("4")], 4],
    ["unknown values are left out", [m("5+"), m("3")], 3],
  ])("%s", (_name, marks, expected) => {
    const avg = weightedAverage(marks);
    expect(avg === null ? null : roundAverage(avg)).toBe(expected);
  });

  it("weights are taken in hundredths, so float weights sum exactly", () => {
    expect(weightedAverage([m("3", 0.1), m("3", 0.2)])).toBe(3);
    expect(weightedAverage([m("5", 0.1), m("5", 0.2), m("5", 0.7)])).toBe(5);
  });

  it.each([
    [4.335, 2, 4.34],
    [4.5999999999, 2, 4.6],
    [4.594999, 2, 4.59],
    [2.675, 2, 2.68],
    [1.005, 2, 1.01],
    [66.65, 1, 66.7],
    [4, 2, 4],
  ])("roundAverage(%d, %d) = %d (half-up in decimal)", (x, digits, expected) => {
    expect(roundAverage(x, digits)).toBe(expected);
  });

  const markArb = fc.record({
    value: fc.constantFrom("2", "3", "4", "5", "н/а", "зач", "осв"),
    weight: fc.constantFrom(0.5, 1, 1.25, 1.5, 2, 3),
  });

  it("property: the average lies between the smallest and largest numeric mark", () => {
    fc.assert(
      fc.property(fc.array(markArb, { maxLength: 40 }), (marks) => {
        const nums = marks.map((x) => Number(x.value)).filter((n) => !Number.isNaN(n));
        const avg = weightedAverage(marks);
        if (nums.length === 0) return avg === null;
        return avg !== null && avg >= Math.min(...nums) && avg <= Math.max(...nums);
      }),
      { numRuns: 500 },
    );
  });

  it("property: adding a mark equal to the average keeps it", () => {
    fc.assert(
      fc.property(fc.array(markArb, { minLength: 1, maxLength: 20 }), markArb, (marks, extra) => {
        const avg = weightedAverage(marks);
        fc.pre(avg !== null && Number.isInteger(avg));
        return weightedAverage([...marks, { value: String(avg), weight: extra.weight }]) === avg;
      }),
      { numRuns: 200 },
    );
  });

  it("property: all marks equal → that mark exactly, whatever the weights", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("2", "3", "4", "5"),
        fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1 }),
        (v, ws) => {
          return weightedAverage(ws.map((w) => m(v, w / 100))) === Number(v);
        },
      ),
    );
  });
});
