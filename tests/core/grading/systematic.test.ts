import { describe, expect, it } from "vitest";
import {
  type AbsenceEntry,
  DEFAULT_FAILING_THRESHOLDS,
  systematicAbsence,
  systematicFailing,
} from "../../../src/core/grading/systematic.ts";

const abs = (date: string, reason: AbsenceEntry["reason"] = "UNEXCUSED"): AbsenceEntry => ({ date, reason });
const T = { minDays: 3, windowDays: 14 };

describe("systematic absence", () => {
  it.each([
    ["none", [], false, 0],
    ["three days within two weeks", [abs("2026-10-01"), abs("2026-10-05"), abs("2026-10-14")], true, 3],
    [
      "three days spread over more than the window",
      [abs("2026-10-01"), abs("2026-10-10"), abs("2026-10-15")],
      false,
      2,
    ],
    ["several lessons on one day are one day", [abs("2026-10-01"), abs("2026-10-01"), abs("2026-10-02")], false, 2],
    [
      "illness and excused do not count",
      [abs("2026-10-01", "ILLNESS"), abs("2026-10-02", "EXCUSED"), abs("2026-10-03")],
      false,
      1,
    ],
    ["no reason yet counts", [abs("2026-10-01", null), abs("2026-10-02", null), abs("2026-10-03")], true, 3],
    ["unsorted input", [abs("2026-10-14"), abs("2026-10-01"), abs("2026-10-05")], true, 3],
  ])("R-27 %s", (_name, entries, systematic, max) => {
    const r = systematicAbsence(entries, T);
    expect(r.systematic).toBe(systematic);
    expect(r.maxDaysInWindow).toBe(max);
  });

  it("R-27 reports the first window and honours countUnexplained=false", () => {
    const entries = [abs("2026-10-01"), abs("2026-10-03"), abs("2026-10-06", null), abs("2026-10-08")];
    expect(systematicAbsence(entries, T).window).toEqual({ from: "2026-10-01", to: "2026-10-14" });
    expect(systematicAbsence(entries, { ...T, countUnexplained: false })).toMatchObject({
      systematic: true,
      maxDaysInWindow: 3,
    });
    expect(systematicAbsence(entries, { ...T, minDays: 4, countUnexplained: false }).systematic).toBe(false);
  });
});

const mk = (date: string, value: string, weight = 1) => ({ date, value, weight });

describe("systematic failing", () => {
  it.each([
    ["no marks", [], false, 0, null, []],
    [
      "two 2s in a row",
      [mk("2026-10-01", "5"), mk("2026-10-02", "5"), mk("2026-10-03", "2"), mk("2026-10-04", "2")],
      true,
      2,
      3.5,
      ["consecutive"],
    ],
    [
      "2s interrupted by a 3",
      [mk("2026-10-01", "2"), mk("2026-10-02", "3"), mk("2026-10-03", "2"), mk("2026-10-04", "5")],
      false,
      1,
      3,
      [],
    ],
    [
      "н/а does not break a run; order by date",
      [
        mk("2026-10-05", "2"),
        mk("2026-10-01", "5"),
        mk("2026-10-03", "н/а"),
        mk("2026-10-02", "2"),
        mk("2026-10-06", "5"),
      ],
      true,
      2,
      3.5,
      ["consecutive"],
    ],
    [
      "незачёт counts as a fail",
      [mk("2026-10-01", "незач"), mk("2026-10-02", "2")],
      true,
      2,
      2,
      ["consecutive", "average"],
    ],
    [
      "average below 3 without a run",
      [mk("2026-10-01", "2", 2), mk("2026-10-02", "3"), mk("2026-10-03", "2", 2), mk("2026-10-04", "4")],
      true,
      1,
      2.5,
      ["average"],
    ],
    ["exactly 3.00 is not below", [mk("2026-10-01", "2"), mk("2026-10-02", "4")], false, 1, 3, []],
  ])("R-27 %s", (_name, marks, systematic, maxRun, average, reasons) => {
    const r = systematicFailing(marks, DEFAULT_FAILING_THRESHOLDS);
    expect(r).toEqual({ systematic, maxConsecutiveFails: maxRun, average, reasons });
  });

  it("R-27 checks can be switched off", () => {
    const marks = [mk("2026-10-01", "2"), mk("2026-10-02", "2")];
    expect(systematicFailing(marks, { consecutiveFails: 0, averageBelow: null }).systematic).toBe(false);
    expect(systematicFailing(marks, { consecutiveFails: 3, averageBelow: null }).systematic).toBe(false);
  });
});
