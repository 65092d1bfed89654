import { describe, expect, it } from "vitest";
import {
  classifyMark,
  EXEMPT,
  FAIL,
  isNumericMark,
  markNumber,
  NOT_ATTESTED,
  normaliseMarkInput,
  PASS,
} from "../../../src/core/grading/mark-values.ts";

describe("mark values (grading conventions)", () => {
  it.each([
    ["5", "numeric", 5],
    ["2", "numeric", 2],
    ["н/а", "notAttested", null],
    ["осв", "exempt", null],
    ["зач", "pass", null],
    ["незач", "fail", null],
    ["1", null, null],
    ["5+", null, null],
    ["", null, null],
  ])("classifies %j as %s with number %s", (value, kind, n) => {
    expect(classifyMark(value)).toBe(kind);
    expect(markNumber(value)).toBe(n);
    expect(isNumericMark(value)).toBe(kind === "numeric");
  });

  it.each([
    ["5", "5"],
    [" 4 ", "4"],
    ["н/а", NOT_ATTESTED],
    ["Н/А", NOT_ATTESTED],
    ["на", NOT_ATTESTED],
    ["n/a", NOT_ATTESTED],
    ["N/A", NOT_ATTESTED],
    ["н \\ а", NOT_ATTESTED],
    ["осв", EXEMPT],
    ["Освобождён", EXEMPT],
    ["зач", PASS],
    ["Зачёт", PASS],
    ["незач", FAIL],
    ["незачёт", FAIL],
    ["5+", null],
    ["4-", null],
    ["1", null],
    ["6", null],
    ["отл", null],
    ["", null],
  ])("R-13 input %j normalises to %j (no pluses on the scale)", (text, value) => {
    expect(normaliseMarkInput(text)).toBe(value);
  });

  it("numeric input outside the school's scale is refused", () => {
    expect(normaliseMarkInput("2", ["3", "4", "5"])).toBeNull();
    expect(normaliseMarkInput("н/а", ["3", "4", "5"])).toBe(NOT_ATTESTED);
  });
});
