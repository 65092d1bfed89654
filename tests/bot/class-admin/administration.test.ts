// The administration in the bot (issue 4 item 8; ): /substitute grants a lesson to another
// teacher who then has it in their day, and revokes it; /lessons and «🏫 Школа сегодня» list the lessons not
// filled in, by teacher; a plain teacher is refused.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isoWeekday } from "../../../src/core/dates.ts";
import { saveAttendance } from "../../../src/core/journal/attendance.ts";
import { teacherDay } from "../../../src/core/journal/lessons.ts";
import { setTopic } from "../../../src/core/journal/topic.ts";
import { translator } from "../../../src/i18n.ts";
import { createTestDb, type TestDb } from "../../helpers/db.ts";
import type { TestSchool } from "../../helpers/factories.ts";
import { createFakeTelegram, type FakeTelegram, type FakeUser } from "../../helpers/telegram.ts";
import { addDays, dateInt, lessonOf, schoolWithLessonsToday } from "./school-setup.ts";

const ru = translator("ru");
let db: TestDb;
let s: TestSchool & { today: string };
let tg: FakeTelegram;
let deputy: FakeUser;

beforeAll(async () => {
  db = await createTestDb();
  s = await schoolWithLessonsToday(db.prisma);
  tg = await createFakeTelegram({ prisma: db.prisma, schoolId: s.schoolId });
  deputy = await tg.as(s.people.deputy);
});
afterAll(async () => {
  await db.drop();
});

const substitutesDay = async (personId: number) =>
  (await teacherDay(db.prisma, await s.actor(personId), { date: s.today })).lessons.filter((l) => l.substitute);

describe("R-04 /substitute", () => {
  it("grants today's 7Б algebra to a free teacher, who then has it in their day", async () => {
    const lessonId = await lessonOf(db.prisma, s.assignments.algebra7b, s.today);
    await deputy.send("/substitute");
    expect(deputy.lastText()).toContain("🔁 Замены");
    expect(deputy.lastText()).toContain("1-й урок, 08:30–09:15");
    expect(deputy.lastText()).toContain("7Б Алг — Математиков Пётр");
    await deputy.tap(/^1 · 7Б Алг/);
    expect(deputy.lastText()).toContain("Учитель: Математиков Пётр");
    expect(deputy.lastText()).toContain("Замена не назначена.");
    const buttons = deputy.buttons().flat();
    expect(buttons).toContain("Русакова Е. · занят(а)"); // teaches 8А at that bell
    expect(buttons.indexOf("Посторонний И.")).toBeLessThan(buttons.indexOf("Русакова Е. · занят(а)"));

    await deputy.tap("Посторонний И.");
    expect(deputy.callbackAnswers().at(-1)).toBe("Замена назначена: Посторонний Игорь.");
    expect(deputy.lastText()).toContain("Замена: Посторонний Игорь");
    const sub = await db.prisma.substitution.findFirstOrThrow({ where: { lessonId, revokedAt: null } });
    expect(sub.substituteId).toBe(s.people.otherTeacher);
    expect(sub.grantedById).toBe(s.people.deputy);
    expect((await substitutesDay(s.people.otherTeacher)).map((l) => l.lessonId)).toEqual([lessonId]);

    await deputy.tap("« Уроки дня");
    expect(deputy.lastText()).toContain("7Б Алг — Математиков Пётр → замена: Посторонний Игорь");
    expect(deputy.buttons().flat()).toContain("1 · 7Б Алг · Математиков П. 🔁");
  });

  it("revokes the substitution with «Отменить замену»", async () => {
    await deputy.tap(/^1 · 7Б Алг/);
    await deputy.tap("❌ Отменить замену");
    expect(deputy.callbackAnswers().at(-1)).toBe("Замена отменена.");
    expect(deputy.lastText()).toContain("Замена не назначена.");
    expect(await substitutesDay(s.people.otherTeacher)).toEqual([]);
    const audit = await db.prisma.auditEvent.findMany({
      where: { schoolId: s.schoolId, action: { startsWith: "substitution." } },
      orderBy: { id: "asc" },
    });
    expect(audit.map((a) => a.action)).toEqual(["substitution.grant", "substitution.revoke"]);
  });

  it("moves between days: tomorrow and back", async () => {
    const tomorrow = addDays(s.today, 1);
    await deputy.tap("« Уроки дня");
    await deputy.tap("Завтра");
    expect(deputy.lastText()).toContain(`${Number(tomorrow.slice(8))} `);
    if (isoWeekday(tomorrow) <= 5) expect(deputy.lastText()).toContain("7Б Алг — Математиков Пётр");
    await deputy.tap("Сегодня");
    expect(deputy.lastText()).toContain(`${Number(s.today.slice(8))} `);
    expect(tg.failedCalls()).toEqual([]);
  });

  it("refuses a plain teacher, by command and by a forged button, and grants nothing", async () => {
    const teacher = await tg.as(s.people.otherTeacher);
    await teacher.send("/substitute");
    expect(teacher.lastText()).toBe(ru("errors:FORBIDDEN"));
    await teacher.send("/lessons");
    expect(teacher.lastText()).toBe(ru("errors:FORBIDDEN"));
    const before = await db.prisma.substitution.count();
    const lessonId = await lessonOf(db.prisma, s.assignments.russian7b, s.today);
    // a client forging a button on the bot's last message
    await teacher.press(`ca_sg:${dateInt(s.today)}:${lessonId}:${s.people.otherTeacher}`, teacher.lastMessage());
    expect(teacher.lastText()).toBe(ru("errors:FORBIDDEN"));
    await teacher.press(`ca_sd:${dateInt(s.today)}:0`, teacher.lastMessage());
    expect(teacher.lastText()).toBe(ru("errors:FORBIDDEN"));
    expect(await db.prisma.substitution.count()).toBe(before);
  });
});

describe("R-26 /lessons: unfilled lessons by teacher", () => {
  it("lists a past day's lessons without attendance or topic, grouped by teacher", async () => {
    // the last weekday before today (the fixture has lessons this week and the previous one)
    let day = addDays(s.today, -1);
    while (isoWeekday(day) > 5) day = addDays(day, -1);
    const algebra = await lessonOf(db.prisma, s.assignments.algebra7b, day);
    const math = await s.actor(s.people.mathTeacher);
    await saveAttendance(db.prisma, math, { lessonId: algebra, absent: [] });
    await setTopic(db.prisma, math, { lessonId: algebra, topic: "Линейные уравнения" });
    const russian8a = await lessonOf(db.prisma, s.assignments.russian8a, day);
    await saveAttendance(db.prisma, await s.actor(s.people.russianTeacher), { lessonId: russian8a, absent: [] });

    await deputy.send("/lessons");
    expect(deputy.lastText()).toMatch(/^🏫 Незаполненные уроки/);
    for (let d = s.today; d > day; d = addDays(d, -1)) await deputy.tap("‹");
    const text = deputy.lastText();
    expect(text).toContain(`${Number(day.slice(8))} `);
    expect(text).toContain("Незаполненные уроки");
    // one line and one button per teacher, not per lesson
    expect(text).toContain("• Математиков Пётр — 1 урок (без посещаемости: 1, без темы: 1)");
    expect(text).toContain("• Русакова Елена — 3 урока");
    expect(text).toContain("• Инглишева Анна — 1 урок");
    expect(text).not.toContain("8А Алг");
    const teacherButtons = deputy
      .buttons()
      .flat()
      .filter((b) => / · \d+$/.test(b));
    expect(teacherButtons).toContain("Математиков П. · 1");
    expect(teacherButtons).toContain("Русакова Е. · 3");
    expect(
      deputy
        .buttons()
        .flat()
        .some((b) => b.startsWith("📘")),
    ).toBe(false);

    // a teacher → their lessons → a lesson's card → «‹ Назад» → the teacher → «‹ Назад» → the school's day
    await deputy.tap("Русакова Е. · 3");
    const teacher = deputy.lastText();
    expect(teacher).toContain("🏫 Русакова Елена — незаполненные уроки");
    expect(teacher).toContain("1-й урок · 8А Рус — нет темы");
    expect(teacher).not.toContain("Математиков");
    const lessons = deputy
      .buttons()
      .flat()
      .filter((b) => b.startsWith("📘"));
    expect(lessons).toHaveLength(3);
    await deputy.tap(lessons[0]);
    expect(deputy.buttons().flat()).toContain("‹ Назад");
    expect(deputy.buttons().flat()).not.toContain("‹ Уроки школы");
    await deputy.tap("‹ Назад");
    expect(deputy.lastText()).toBe(teacher);
    await deputy.tap("‹ Назад");
    expect(deputy.lastText()).toBe(text);
    expect(tg.failedCalls()).toEqual([]);
  });

  it("R-26: a plain teacher pressing a forged teacher or lesson button of «Школа сегодня» sees nothing", async () => {
    const teacher = await tg.as(s.people.otherTeacher);
    await teacher.send("/start");
    const lessonId = await lessonOf(db.prisma, s.assignments.russian7b, s.today);
    await teacher.press(`ca_ut:${dateInt(s.today)}:${s.people.russianTeacher}`, teacher.lastMessage());
    expect(teacher.lastText()).toBe(ru("errors:FORBIDDEN"));
    await teacher.press(`ca_uo:${lessonId}:${dateInt(s.today)}:${s.people.russianTeacher}`, teacher.lastMessage());
    expect(teacher.callbackAnswers().at(-1)).toBe(ru("teacher-lesson:refused"));
    expect(teacher.lastText()).toBe(ru("errors:FORBIDDEN"));
  });

  it("answers the «🏫 Школа сегодня» button with today's list", async () => {
    await deputy.send("🏫 Школа сегодня");
    expect(deputy.lastText()).toMatch(/^🏫 Незаполненные уроки — .+/);
    expect(deputy.lastText()).toContain(`${Number(s.today.slice(8))} `);
    expect(deputy.buttons().flat()).toContain("🔁 Замены");
    await deputy.tap("🔁 Замены");
    expect(deputy.lastText()).toContain("🔁 Замены");
  });
});
