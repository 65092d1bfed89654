// Period close by the administration in the bot: the deputy opens /periods, checks the current
// quarter (lessons without topic, students without term marks, marks entered late), closes it; teachers are told.
// Then the period is locked: the teacher's correction is refused (LOCKED_PERIOD) and their term sheet is read-only,
// while the deputy corrects a mark with a reason. Forged buttons change nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { periodCheckCallback, periodCloseCallback } from "../../../src/bot/features/period-close/callbacks.ts";
import { termValueCallback } from "../../../src/bot/features/term-grades/callbacks.ts";
import { addDays, daysBetween, fromIsoDate, type IsoDate } from "../../../src/core/dates.ts";
import { addMarks } from "../../../src/core/journal/marks.ts";
import { setTermGrade } from "../../../src/core/journal/term-grades.ts";
import { renderText } from "../../../src/jobs/notify/render.ts";
import { periodClosedHandler } from "../../../src/jobs/term-close/period-closed.ts";
import { createLogger } from "../../../src/logger.ts";
import { createTestDb, type TestDb } from "../../helpers/db.ts";
import { lessonOf, type TestSchool } from "../../helpers/factories.ts";
import { createFakeTelegram, type FakeTelegram, type FakeUser } from "../../helpers/telegram.ts";
import { schoolWithLessonsToday } from "../class-admin/school-setup.ts";
import { openRoster } from "../teacher-marks/helpers.ts";

let db: TestDb;
let s: TestSchool & { today: IsoDate };
let tg: FakeTelegram;
let deputy: FakeUser;
let math: FakeUser;
let lessonId: number;
let lessonSlot: number;
let lastMonday: IsoDate;
let markIds: number[];

const period = () => db.prisma.period.findUniqueOrThrow({ where: { id: s.periodId } });

beforeAll(async () => {
  db = await createTestDb();
  s = await schoolWithLessonsToday(db.prisma);
  lastMonday = addDays(s.monday, -7);
  lessonId = await lessonOf(db.prisma, s.assignments.algebra7b, lastMonday);
  lessonSlot = (await db.prisma.lesson.findUniqueOrThrow({ where: { id: lessonId } })).slot;
  const teacher = await s.actor(s.people.mathTeacher);
  // entered today for a lesson of last week: late
  const saved = await addMarks(db.prisma, teacher, {
    lessonId,
    workType: "oral",
    entries: [
      { studentId: s.students.c7b[0], value: "3" },
      { studentId: s.students.c7b[1], value: "4" },
    ],
  });
  markIds = saved.marks.map((m) => m.markId);
  await setTermGrade(db.prisma, teacher, {
    assignmentId: s.assignments.algebra7b,
    periodId: s.periodId,
    studentId: s.students.c7b[0],
    value: "3",
  });
  tg = await createFakeTelegram({ prisma: db.prisma, schoolId: s.schoolId });
  deputy = await tg.as(s.people.deputy);
  math = await tg.as(s.people.mathTeacher);
  await tg.as(s.people.russianTeacher);
}, 120_000);
afterAll(async () => {
  await db?.drop();
});

describe("R-16: the deputy checks and closes a period", () => {
  it("a teacher cannot reach /periods nor close a period with a forged button", async () => {
    await math.send("/periods");
    expect(math.lastText()).toContain("Закрывать периоды может только администрация школы");
    await math.send("/terms");
    await math.press(periodCloseCallback.encode({ periodId: s.periodId }));
    expect(math.callbackAnswers().at(-1)).toContain("только администрация");
    await math.press(periodCheckCallback.encode({ periodId: s.periodId }));
    expect(math.callbackAnswers().at(-1)).toContain("только администрация");
    expect((await period()).closedAt).toBeNull();
  });

  it("«🏫 Школа сегодня» → «🗓 Периоды» → the check: counts and the first items", async () => {
    await deputy.send("/lessons");
    await deputy.tap("🗓 Периоды");
    expect(deputy.lastText()).toContain("🗓 Периоды учебного года");
    expect(deputy.lastText()).toMatch(/2-я четверть \(\d\d\.\d\d–\d\d\.\d\d\) — идёт сейчас/);
    await deputy.tap("2 четв.");
    const text = deputy.lastText();
    const noTopic = await db.prisma.lesson.count({
      where: {
        schoolId: s.schoolId,
        topic: null,
        status: { not: "CANCELLED" },
        date: { gte: fromIsoDate(addDays(s.monday, -30)), lte: fromIsoDate(s.today) },
      },
    });
    expect(noTopic).toBeGreaterThan(5);
    expect(text).toContain("🔎 Проверка перед закрытием: 2-я четверть");
    expect(text).toContain(`Уроков без темы: ${noTopic}`);
    expect(text.match(/^ {2}• \d\d\.\d\d .+ — .+$/gm)?.length).toBeGreaterThanOrEqual(5);
    // 7Б: 6 students in algebra, one term mark given → 5 missing there; every other assignment misses all
    expect(text).toMatch(/🎓 Нет итоговых отметок: \d+ \(классов и предметов: \d+\)/);
    expect(text).toContain("7Б Алгебра — Математиков Пётр: нет у 5 из 6");
    expect(text).toContain("⏰ Отметок выставлено с опозданием: 2");
    expect(text).toContain(`урок ${lastMonday.slice(8)}.${lastMonday.slice(5, 7)}, выставлена`);
    expect(deputy.buttons().flat()).toEqual(["🔒 Закрыть период", "‹ Периоды"]);
  });

  it("«🔒 Закрыть период» closes it, audited, and teachers are told (period.closed)", async () => {
    await deputy.tap("🔒 Закрыть период");
    expect(deputy.lastText()).toContain("🔒 Период закрыт: 2-я четверть");
    const p = await period();
    expect(p.closedAt).not.toBeNull();
    expect(p.closedById).toBe(s.people.deputy);
    expect(await db.prisma.auditEvent.count({ where: { schoolId: s.schoolId, action: "period.close" } })).toBe(1);
    const row = await db.prisma.outbox.findFirstOrThrow({ where: { schoolId: s.schoolId, kind: "period.closed" } });
    const messages = await periodClosedHandler.handle(row, {
      db: db.prisma,
      now: new Date(),
      logger: createLogger("silent"),
    });
    expect(messages.map((m) => m.personId).sort()).toEqual([s.people.mathTeacher, s.people.russianTeacher].sort());
    const text = renderText(messages[0].render, "ru");
    expect(text).toContain("Администрация закрыла 2-ю четверть");
    expect(renderText(messages[0].render, "en")).toContain("closed quarter 2");
    await deputy.send("/periods");
    expect(deputy.lastText()).toMatch(/2-я четверть .+ — 🔒 закрыт/);
  });

  it("R-15: the teacher's correction in the closed period is refused (LOCKED_PERIOD); nothing changes", async () => {
    await openRoster(math, lessonId, "Ответ на уроке");
    await math.tap(/^1\. .+ · 3$/);
    await math.tap("3 · Ответ на уроке");
    await math.tap("✏️ Исправить");
    await math.tap("5");
    expect(math.callbackAnswers().at(-1)).toContain("Период закрыт");
    const mark = await db.prisma.mark.findUniqueOrThrow({ where: { id: markIds[0] } });
    expect(mark).toMatchObject({ status: "ACTIVE", value: "3" });
  });

  it("R-16: the teacher's term sheet is read-only; a forged term mark is refused", async () => {
    await math.send("/terms");
    await math.tap("7Б · Алгебра");
    expect(math.lastText()).toContain("🔒 Период закрыт");
    expect(
      math
        .buttons()
        .flat()
        .some((b) => /^\d+\. /.test(b)),
    ).toBe(false);
    await math.press(
      termValueCallback.encode({
        assignmentId: s.assignments.algebra7b,
        periodId: s.periodId,
        studentId: s.students.c7b[2],
        page: 0,
        value: "5",
      }),
    );
    expect(math.callbackAnswers().at(-1)).toContain("Период закрыт");
    expect(await db.prisma.termGrade.count({ where: { periodId: s.periodId } })).toBe(1);
  });

  it("R-15: the deputy corrects the closed period's mark with a reason", async () => {
    await deputy.send("/substitute");
    for (let i = daysBetween(lastMonday, s.today); i > 0; i--) await deputy.tap("‹");
    await deputy.tap(new RegExp(`^${lessonSlot} · 7Б Алг`));
    await deputy.tap("📘 Открыть урок");
    await deputy.tap("✏️ Оценки");
    await deputy.tap(/^1\. .+ · 3$/);
    await deputy.tap("3 · Ответ на уроке");
    await deputy.tap("✏️ Исправить");
    await deputy.tap("4");
    expect(deputy.lastText()).toContain("Напишите причину исправления");
    await deputy.send("ошибка при вводе, служебная записка");
    expect(deputy.lastText()).toContain("✅ Отметка исправлена");
    expect(await db.prisma.mark.findUniqueOrThrow({ where: { id: markIds[0] } })).toMatchObject({
      status: "SUPERSEDED",
    });
    const current = await db.prisma.mark.findFirstOrThrow({ where: { supersedesId: markIds[0] } });
    expect(current).toMatchObject({
      value: "4",
      status: "ACTIVE",
      authorId: s.people.deputy,
      correctionReason: "ошибка при вводе, служебная записка",
    });
    const audit = await db.prisma.auditEvent.findFirstOrThrow({
      where: { schoolId: s.schoolId, action: "mark.correct", entityId: String(current.id) },
    });
    expect(audit.data).toMatchObject({ late: true, reason: "ошибка при вводе, служебная записка" });
    expect(tg.failedCalls()).toEqual([]);
  });
});
