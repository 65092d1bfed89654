// R-34 in the bot: the administration orders a quarantine of one class with /holidays in a few taps and one
// typed line for the dates and one for the order; the class's lessons are cancelled, the teacher's /today shows
// it, the list shows the order; a teacher and a forged button are refused.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { translator } from "../../../src/i18n.ts";
import { createTestDb, type TestDb } from "../../helpers/db.ts";
import type { TestSchool } from "../../helpers/factories.ts";
import { createFakeTelegram, type FakeTelegram, type FakeUser } from "../../helpers/telegram.ts";
import { addDays, fromIsoDate, schoolWithLessonsToday } from "../class-admin/school-setup.ts";

const ru = translator("ru");
let db: TestDb;
let s: TestSchool & { today: string };
let tg: FakeTelegram;
let deputy: FakeUser;
const dotted = (iso: string) => `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}`;

beforeAll(async () => {
  db = await createTestDb();
  s = await schoolWithLessonsToday(db.prisma);
  tg = await createFakeTelegram({ prisma: db.prisma, schoolId: s.schoolId });
  deputy = await tg.as(s.people.deputy);
});
afterAll(async () => {
  await db.drop();
});

describe("R-34 /holidays", () => {
  it("R-34: a quarantine of 7Б from the bot cancels its lessons and shows in the teacher's day", async () => {
    await deputy.send("/holidays");
    expect(deputy.lastText()).toContain("📅 Изменения календаря");
    expect(deputy.lastText()).toContain("Предстоящих изменений нет.");
    await deputy.tap("➕ Новое изменение");
    await deputy.tap("😷 Карантин");
    await deputy.tap("7Б");
    expect(deputy.lastText()).toContain("Даты:");
    await deputy.send("вчера");
    expect(deputy.lastText()).toContain("Не понял даты");
    const to = addDays(s.today, 6);
    await deputy.send(`${dotted(s.today)}–${dotted(to)}`);
    await deputy.send("ОРВИ");
    await deputy.send("№ 50 от 12.11.2026");
    const done = deputy.lastText();
    expect(done).toContain(
      `Записано: ${dotted(s.today)}–${dotted(to)} — карантин: 7Б (ОРВИ) (приказ № 50 от 12.11.2026).`,
    );
    expect(done).toContain("Семьи класса 7Б получат уведомление.");
    const todays7b = await db.prisma.lesson.findMany({
      where: { date: fromIsoDate(s.today), assignment: { classId: s.classes.c7b } },
    });
    expect(todays7b.length).toBeGreaterThan(0);
    expect(todays7b.every((l) => l.status === "CANCELLED")).toBe(true);
    expect(await db.prisma.outbox.count({ where: { kind: "calendar.changed" } })).toBe(1);

    const math = await tg.as(s.people.mathTeacher);
    await math.send("/today");
    expect(math.lastText()).toContain(ru("teacher-lesson:day.cancelled"));

    await deputy.send("/holidays");
    expect(deputy.lastText()).toContain("карантин: 7Б (ОРВИ) (приказ № 50 от 12.11.2026)");
    expect(tg.failedCalls()).toEqual([]);
  });

  it("refuses a teacher, by command and by a forged button, and changes nothing", async () => {
    const teacher = await tg.as(s.people.otherTeacher);
    await teacher.send("/holidays");
    expect(teacher.lastText()).toBe(ru("errors:FORBIDDEN"));
    await teacher.press("sycaln", teacher.lastMessage());
    expect(teacher.lastText()).toBe(ru("errors:FORBIDDEN"));
    expect(await db.prisma.calendarOrder.count()).toBe(1);
  });
});
