import { describe, expect, it } from "vitest";
import { formatDateRange, parseDateRange } from "../../../src/bot/features/notices-messages/parse-dates.ts";

const limits = { maxDays: 60, pastDays: 30 };

describe("absence dates typed by a parent", () => {
  it.each([
    ["15.05", "2026-05-10", { from: "2026-05-15", to: "2026-05-15" }],
    ["15.05–17.05", "2026-05-10", { from: "2026-05-15", to: "2026-05-17" }],
    ["15.05 - 17.05", "2026-05-10", { from: "2026-05-15", to: "2026-05-17" }],
    ["5.5-7.5.2026", "2026-05-01", { from: "2026-05-05", to: "2026-05-07" }],
    ["15.05 по 17.05", "2026-05-10", { from: "2026-05-15", to: "2026-05-17" }],
    ["15.05 to 17.05", "2026-05-10", { from: "2026-05-15", to: "2026-05-17" }],
    ["10.01", "2026-12-28", { from: "2027-01-10", to: "2027-01-10" }], // across the new year
    ["30.12–02.01", "2026-12-28", { from: "2026-12-30", to: "2027-01-02" }],
    ["20.11", "2026-11-24", { from: "2026-11-20", to: "2026-11-20" }], // a few days back is allowed
  ])("%s (today %s)", (text, today, expected) => {
    expect(parseDateRange(text, today, limits)).toEqual(expected);
  });

  it.each([
    ["завтра", "2026-05-10"],
    ["32.05", "2026-05-10"],
    ["17.05–15.05", "2026-05-10"],
    ["01.03", "2026-05-10"], // more than 30 days back
    ["15.05–30.07", "2026-05-10"], // 60 days or more
    ["1.1-2.1-3.1", "2026-05-10"],
  ])("refuses %s", (text, today) => {
    expect(parseDateRange(text, today, limits)).toBeNull();
  });

  it("shows a day or a range", () => {
    expect(formatDateRange("2026-05-15", "2026-05-15")).toBe("15.05.2026");
    expect(formatDateRange("2026-05-15", "2026-05-17")).toBe("15.05.2026–17.05.2026");
  });
});
