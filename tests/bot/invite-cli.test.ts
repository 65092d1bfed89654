import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inviteCommand } from "../../src/cli/invite.ts";
import { type BotSchool, seedBotSchool } from "../helpers/bot-school.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { createFakeTelegram } from "../helpers/telegram.ts";

let db: TestDb;
let s: BotSchool;

beforeAll(async () => {
  db = await createTestDb();
  s = await seedBotSchool(db.prisma);
});
afterAll(async () => {
  await db.drop();
});

describe("cli invite (R-08)", () => {
  it("prints a one-time deep link valid 14 days that links the person in the bot", async () => {
    const lines: string[] = [];
    const code = await inviteCommand([String(s.otherTeacherId)], {
      prisma: db.prisma,
      botUsername: "school1_bot",
      out: (l) => lines.push(l),
    });
    expect(code).toBe(0);
    const out = lines.join("\n");
    const link = /https:\/\/t\.me\/school1_bot\?start=([A-Za-z0-9_-]{1,32})/.exec(out);
    expect(link).not.toBeNull();
    expect(out).toContain("Кузнецов Игорь Андреевич");
    const expires = /(\d{4}-\d{2}-\d{2}T[\d:.]+Z)/.exec(out)![1];
    const days = (new Date(expires).getTime() - Date.now()) / 86_400_000;
    expect(Math.round(days)).toBe(14);

    const tg = await createFakeTelegram({ prisma: db.prisma, schoolId: s.schoolId });
    const user = tg.stranger();
    await user.send(`/start ${link![1]}`);
    expect(user.lastText()).toContain("Игорь Андреевич");
    await user.send(`/start ${link![1]}`);
    expect(user.lastText()).toContain("уже использовано");
  });

  it("explains bad input and unknown people", async () => {
    const lines: string[] = [];
    const ctx = { prisma: db.prisma, botUsername: "b", out: (l: string) => lines.push(l), lng: "en" as const };
    expect(await inviteCommand([], ctx)).toBe(2);
    expect(await inviteCommand(["x"], ctx)).toBe(2);
    expect(await inviteCommand([String(s.teacherId), "--role", "boss"], ctx)).toBe(2);
    expect(await inviteCommand(["999999"], ctx)).toBe(1);
    expect(await inviteCommand([String(s.teacherId), "--role", "student"], ctx)).toBe(1);
    expect(lines).toEqual([
      expect.stringContaining("Usage: invite"),
      expect.stringContaining("Usage: invite"),
      expect.stringContaining("Usage: invite"),
      "Person 999999 not found.",
      expect.stringContaining("Invitation not created"),
    ]);
  });
});
