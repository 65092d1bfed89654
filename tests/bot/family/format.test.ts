// Long diary texts are split below Telegram's 4096 characters, at line breaks, losing nothing.
import { describe, expect, it } from "vitest";
import { splitText, TELEGRAM_TEXT_LIMIT } from "../../../src/bot/features/family/format.ts";

describe("splitText", () => {
  it("keeps a short text whole", () => {
    expect(splitText("Алгебра: 5 4")).toEqual(["Алгебра: 5 4"]);
  });

  it("splits a long text at line breaks into parts below the limit, in order, losing no line", () => {
    const lines = Array.from({ length: 400 }, (_, i) => `${i + 1}. Алгебра — контрольная работа, оценка 5`);
    const text = lines.join("\n");
    const parts = splitText(text);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(p.length).toBeLessThan(TELEGRAM_TEXT_LIMIT);
    expect(parts.join("\n").split("\n")).toEqual(lines);
  });

  it("cuts a single overlong line hard", () => {
    const parts = splitText("я".repeat(9000));
    expect(parts.map((p) => p.length)).toEqual([4000, 4000, 1000]);
  });
});
