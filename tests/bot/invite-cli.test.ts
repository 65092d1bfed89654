import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatInstant } from "../../src/cli/dates.ts";
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
    // the expiry in the school's timezone and the language, not raw UTC
    const invite = await db.prisma.invite.findFirstOrThrow({
      where: { personId: s.otherTeacherId },
      orderBy: { id: "desc" },
    });
    expect(Math.round((invite.expiresAt.getTime() - Date.now()) / 86_400_000)).toBe(14);
    expect(out).toContain(`Действует до ${formatInstant("ru", "Europe/Moscow", invite.expiresAt)}.`);
    expect(out).toMatch(/Действует до \d{1,2} [а-я]+ \d{4} г\. в \d\d:\d\d \(Europe\/Moscow\)\./);
    expect(out).not.toMatch(/\d{4}-\d{2}-\d{2}T/);

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
    expect(await inviteCommand(["x", "y"], ctx)).toBe(2);
    expect(await inviteCommand([String(s.teacherId), "--role", "boss"], ctx)).toBe(2);
    expect(await inviteCommand(["999999"], ctx)).toBe(1);
    expect(await inviteCommand([String(s.teacherId), "--role", "student"], ctx)).toBe(1);
    expect(lines).toEqual([
      expect.stringContaining("Usage: invite"),
      expect.stringContaining("Usage: invite"),
      expect.stringContaining("Usage: invite"),
      expect.stringMatching(/^Nobody has the id “999999”/),
      expect.stringContaining("Invitation not created"),
    ]);
  });

  it("takes the school's own ids from the import (staff, student, guardian), case aside", async () => {
    await db.prisma.person.update({ where: { id: s.otherTeacherId }, data: { externalId: "T01" } });
    await db.prisma.person.update({ where: { id: s.studentId }, data: { externalId: "S-0007" } });
    await db.prisma.person.update({ where: { id: s.guardianId }, data: { externalId: "G7" } });
    for (const [ref, personId, fullName] of [
      ["T01", s.otherTeacherId, "Кузнецов Игорь Андреевич"],
      ["t01", s.otherTeacherId, "Кузнецов Игорь Андреевич"],
      ["S-0007", s.studentId, "Петрова Анна Сергеевна"],
      ["G7", s.guardianId, "Петрова Ольга Николаевна"],
    ] as const) {
      const lines: string[] = [];
      const code = await inviteCommand([ref], { prisma: db.prisma, botUsername: "b", out: (l) => lines.push(l) });
      expect(code).toBe(0);
      expect(lines.join("\n")).toContain(`${fullName} (персона ${personId},`);
    }
  });

  it("an id that matches two people, or nobody, gets one clear line and no invite", async () => {
    // the director's import id is the teacher's internal number
    await db.prisma.person.update({ where: { id: s.directorId }, data: { externalId: String(s.teacherId) } });
    const before = await db.prisma.invite.count();
    const lines: string[] = [];
    const ctx = { prisma: db.prisma, botUsername: "b", out: (l: string) => lines.push(l) };
    expect(await inviteCommand([String(s.teacherId)], ctx)).toBe(1);
    expect(lines).toEqual([
      `Id «${s.teacherId}» подходит 2 людям — уточните: --school <номер школы> или #<номер персоны>:`,
      `  #${s.teacherId} Иванова Мария Петровна (школа № ${s.schoolId}; внутренний номер ${s.teacherId})`,
      `  #${s.directorId} Соколова Елена Викторовна (школа № ${s.schoolId}; id «${s.teacherId}» из файла импорта)`,
    ]);
    lines.length = 0;
    expect(await inviteCommand(["NOPE-1"], ctx)).toBe(1);
    expect(await inviteCommand(["T01", "--school", String(s.schoolId + 1000)], ctx)).toBe(1);
    expect(lines).toEqual([
      "Никого с id «NOPE-1» нет: это не id сотрудника, ученика или родителя из файла импорта и не внутренний номер персоны.",
      `В школе № ${s.schoolId + 1000} никого с id «T01» нет: это не id из файла импорта и не внутренний номер персоны.`,
    ]);
    expect(await db.prisma.invite.count()).toBe(before);

    // "#" means the internal number only
    lines.length = 0;
    expect(await inviteCommand([`#${s.teacherId}`], ctx)).toBe(0);
    expect(lines.join("\n")).toContain("Иванова Мария Петровна");
  });

  it("prints the expiry in the school's own timezone (a school at UTC+12), in English when asked", async () => {
    await db.prisma.school.update({ where: { id: s.schoolId }, data: { timezone: "Asia/Kamchatka" } });
    try {
      const lines: string[] = [];
      const code = await inviteCommand(["T01"], {
        prisma: db.prisma,
        botUsername: "b",
        out: (l) => lines.push(l),
        lng: "en",
      });
      expect(code).toBe(0);
      const invite = await db.prisma.invite.findFirstOrThrow({ orderBy: { id: "desc" } });
      const local = new Intl.DateTimeFormat("en-GB", {
        timeZone: "Asia/Kamchatka",
        hour: "2-digit",
        minute: "2-digit",
        hourCycle: "h23",
      }).format(invite.expiresAt);
      expect(lines.join("\n")).toContain(`at ${local} (Asia/Kamchatka)`);
    } finally {
      await db.prisma.school.update({ where: { id: s.schoolId }, data: { timezone: "Europe/Moscow" } });
    }
  });

  it("with a bot per school, the link opens the bot of the invited person's school", async () => {
    const other = await seedBotSchool(db.prisma);
    const asked: number[] = [];
    const botOfSchool = async (schoolId: number) => {
      asked.push(schoolId);
      return schoolId === other.schoolId ? "school2_bot" : "school1_bot";
    };
    const lines: string[] = [];
    const code = await inviteCommand([`#${other.teacherId}`], {
      prisma: db.prisma,
      botUsername: botOfSchool,
      out: (l) => lines.push(l),
    });
    expect(code).toBe(0);
    expect(asked).toEqual([other.schoolId]);
    expect(lines.join("\n")).toMatch(/https:\/\/t\.me\/school2_bot\?start=/);
  });
});
