// The diary as a parent and a student use it (issue 5 item 2): Today, Marks with a subject's corrections shown
// as corrections, Homework with files, the Timetable with a substitution, two children, a tampered
// child id refused, the student read-only, every view in the view log.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../../src/core/actor.ts";
import { addDays, daysBetween, fromIsoDate, isoWeekday, localMoment, zonedInstant } from "../../../src/core/dates.ts";
import { correctMark } from "../../../src/core/journal/corrections.ts";
import { setHomework } from "../../../src/core/journal/homework.ts";
import { addMarks } from "../../../src/core/journal/marks.ts";
import { grantSubstitution } from "../../../src/core/journal/substitutions.ts";
import { setTopic } from "../../../src/core/journal/topic.ts";
import { translator } from "../../../src/i18n.ts";
import { createTestDb, type TestDb } from "../../helpers/db.ts";
import { buildSchool, lessonOf, type TestSchool } from "../../helpers/factories.ts";
import { createFakeTelegram, type FakeTelegram, type FakeUser } from "../../helpers/telegram.ts";

const TZ = "Europe/Moscow";
const ru = translator("ru");
let db: TestDb;
let s: TestSchool;
let tg: FakeTelegram;
let today: string;
/** The last weekday before today: its lessons carry the marks, the absence and the homework. */
let day: string;
let childA: number; // 7Б, Алексеев Артём
let childB: number; // 8А, Жуков Егор
let mother: number;
let fileId: string;
const ddmm = (iso: string) => `${iso.slice(8, 10)}.${iso.slice(5, 7)}`;

beforeAll(async () => {
  db = await createTestDb();
  today = localMoment(TZ).date;
  s = await buildSchool(db.prisma, { today });
  tg = await createFakeTelegram({ prisma: db.prisma, schoolId: s.schoolId });
  day = addDays(today, -1);
  while (isoWeekday(day) > 5) day = addDays(day, -1);
  childA = s.students.c7b[0];
  childB = s.students.c8a[0];
  mother = s.guardians.get(childA)![0];
  await db.prisma.guardianship.create({
    data: { schoolId: s.schoolId, guardianId: mother, studentId: childB, relation: "мать", consentGivenAt: new Date() },
  });

  const math: Actor = await s.actor(s.people.mathTeacher);
  const at = (hhmm: string) => ({ now: zonedInstant(TZ, day, hhmm) });
  const algebra = await lessonOf(db.prisma, s.assignments.algebra7b, day);
  await setTopic(db.prisma, math, { lessonId: algebra, topic: "Линейные уравнения" });
  const control = await addMarks(
    db.prisma,
    math,
    { lessonId: algebra, workType: "control", entries: [{ studentId: childA, value: "3", comment: "ошибки в №3" }] },
    at("09:00"),
  );
  await addMarks(
    db.prisma,
    math,
    { lessonId: algebra, workType: "oral", entries: [{ studentId: childA, value: "4" }] },
    at("09:05"),
  );
  // past the grace period: a correction, shown to the family as a correction
  await correctMark(
    db.prisma,
    math,
    { markId: control.marks[0].markId, value: "5", reason: "пересчёт баллов" },
    at("12:00"),
  );
  const algebra8a = await lessonOf(db.prisma, s.assignments.algebra8a, day);
  await addMarks(
    db.prisma,
    math,
    { lessonId: algebra8a, workType: "oral", entries: [{ studentId: childB, value: "2" }] },
    at("10:00"),
  );
  await db.prisma.attendance.create({
    data: {
      schoolId: s.schoolId,
      studentId: childA,
      lessonId: await lessonOf(db.prisma, s.assignments.russian7b, day),
      classId: s.classes.c7b,
      date: fromIsoDate(day),
      status: "ABSENT",
      reason: "ILLNESS",
      updatedById: s.people.mathTeacher,
    },
  });
  // The teacher's file, uploaded to the bot as Telegram would store it.
  const teacher = await tg.as(s.people.mathTeacher);
  await teacher.sendDocument({ bytes: "%PDF-1.4 task", filename: "task.pdf", contentType: "application/pdf" });
  fileId = teacher.chat.messages.find((m) => m.document)!.document!.file_id;
  await setHomework(db.prisma, math, {
    lessonId: algebra,
    text: "№ 12, 14",
    dueDate: addDays(today, 1),
    files: [{ kind: "document", fileId, name: "task.pdf" }],
  });
  // A substitution this week.
  const director = await s.actor(s.people.director);
  const wednesday = addDays(s.monday, 2);
  await grantSubstitution(db.prisma, director, {
    lessonId: await lessonOf(db.prisma, s.assignments.russian7b, wednesday),
    substituteId: s.people.otherTeacher,
  });
});
afterAll(async () => {
  await db.drop();
});

async function backToDay(user: FakeUser) {
  for (let i = daysBetween(day, today); i > 0; i--) await user.tap(/^‹ \d\d\.\d\d$/);
}

describe("a parent's diary", () => {
  it("Today, Marks with a subject's corrections, Homework with its file, the Timetable with a substitution", async () => {
    const parent = await tg.as(mother);
    await parent.send("/start");
    expect(parent.replyKeyboard()?.flat()).toEqual(
      expect.arrayContaining(["📅 Сегодня", "📊 Оценки", "📚 Домашнее задание", "🗓 Расписание", "⚙️ Настройки"]),
    );

    await parent.tap("📅 Сегодня");
    expect(parent.lastText()).toContain("👤 Алексеев Артём, 7Б");
    expect(parent.lastText()).toContain("📅 Сегодня,");
    expect(parent.buttons()[0]).toEqual(["✓ Артём", "Егор"]);
    await backToDay(parent);
    const dayText = parent.lastText();
    expect(dayText).toContain("1. 08:30 Алгебра");
    expect(dayText).toContain("Тема: Линейные уравнения");
    expect(dayText).toContain("Оценка: 5 (контрольная работа) — «ошибки в №3» — 3 → 5, исправлено: пересчёт баллов");
    expect(dayText).toContain("Оценка: 4 (ответ на уроке)");
    expect(dayText).toContain("н — отсутствовал(а) (по болезни)");
    expect(dayText).toContain(`Задано: № 12, 14 (к ${ddmm(addDays(today, 1))}) 📎1`);
    // the walk edited one message, it did not flood the chat
    expect(parent.texts().filter((t) => t.includes("👤 Алексеев Артём")).length).toBe(1);

    await parent.tap("📊 Оценки");
    expect(parent.lastText()).toContain("📊 Оценки — 2-я четверть");
    expect(parent.lastText()).toContain("Алгебра: 5* 4 · средний балл 4,67");
    expect(parent.lastText()).toContain("Русский язык: оценок пока нет");
    await parent.tap("Алгебра · 4,67");
    const subject = parent.lastText();
    expect(subject).toContain("Алгебра — 2-я четверть");
    expect(subject).toContain("Средний балл (с учётом веса работ): 4,67");
    expect(subject).toContain(
      `${ddmm(day)} · 5 (контрольная работа) — «ошибки в №3» — 3 → 5, исправлено: пересчёт баллов · вес 2`,
    );
    expect(subject).toContain(`${ddmm(day)} · 4 (ответ на уроке) · вес 1`);
    expect(subject).toContain("Тема: Линейные уравнения");
    await parent.tap("‹ Все предметы");
    expect(parent.lastText()).toContain("Алгебра: 5* 4");

    await parent.tap("📚 Домашнее задание");
    expect(parent.lastText()).toContain("На завтра");
    expect(parent.lastText()).toContain("• Алгебра: № 12, 14 (📎1)");
    await parent.tap("📎 файлы (1)");
    const sent = parent.lastMessage()!;
    expect(sent.document?.file_id).toBe(fileId);
    expect(sent.caption).toBe(`Алгебра, задание к ${ddmm(addDays(today, 1))}`);

    await parent.tap("🗓 Расписание");
    const week = parent.lastText();
    expect(week).toContain("🗓 Расписание на неделю");
    expect(week).toContain("— сегодня");
    expect(week).toContain("2. 09:25 Русский язык, каб. 101 — замена: Посторонний Игорь Тестович");
    await parent.tap("неделя ›");
    expect(parent.lastText()).not.toContain("замена");
    await parent.tap("Эта неделя");
    expect(parent.lastText()).toContain("замена: Посторонний Игорь Тестович");
    // a room given by name is shown as it is, not as «каб. спортзал»
    const wednesdayRussian = await lessonOf(db.prisma, s.assignments.russian7b, addDays(s.monday, 2));
    await db.prisma.lesson.update({ where: { id: wednesdayRussian }, data: { room: "спортзал" } });
    await parent.tap("🗓 Расписание");
    expect(parent.lastText()).toContain("2. 09:25 Русский язык, спортзал — замена");
    expect(parent.lastText()).not.toContain("каб. спортзал");
    await db.prisma.lesson.update({ where: { id: wednesdayRussian }, data: { room: "101" } });
    expect(tg.failedCalls()).toEqual([]);

    const views = await db.prisma.viewLog.findMany({ where: { viewerId: mother } });
    expect(new Set(views.map((v) => v.what))).toEqual(
      new Set(["day", "marks", "subject-marks", "homework", "timetable"]),
    );
    expect(views.every((v) => v.studentId === childA)).toBe(true);
  });

  it("two children: the switcher shows the other child, and the choice is remembered", async () => {
    const parent = await tg.as(mother);
    await parent.tap("📊 Оценки");
    expect(parent.lastText()).toContain("👤 Алексеев Артём");
    await parent.tap("Егор");
    expect(parent.lastText()).toContain("👤 Жуков Егор, 8А");
    expect(parent.lastText()).toContain("Алгебра: 2");
    expect(parent.lastText()).not.toContain("Алексеев");
    expect(parent.buttons()[0]).toEqual(["Артём", "✓ Егор"]);
    // The choice is kept per account in BotState, not in process memory: the next menu press shows Егор.
    const state = await db.prisma.botState.findFirstOrThrow({ where: { key: { contains: "family:child" } } });
    expect(state.value).toEqual({ studentId: childB });
    await parent.tap("📅 Сегодня");
    expect(parent.lastText()).toContain("👤 Жуков Егор, 8А");
    expect(await db.prisma.viewLog.count({ where: { viewerId: mother, studentId: childB } })).toBeGreaterThan(0);
    await parent.tap("Артём");
    expect(parent.lastText()).toContain("👤 Алексеев Артём");
  });

  it("R-05: a parent pressing a button with another child's id is refused and sees nothing", async () => {
    const stranger = s.students.c7b[1];
    const name = await db.prisma.person.findFirstOrThrow({ where: { student: { id: stranger } } });
    const parent = await tg.as(mother);
    await parent.tap("📊 Оценки");
    const before = parent.texts().length;
    for (const data of [
      `fymk:${stranger}`,
      `fysub:${stranger}:${s.subjects.algebra}`,
      `fyday:${stranger}:${day}`,
      `fyhw:${stranger}`,
      `fytt:${stranger}:${today}`,
      `fysw:${stranger}:marks`,
      `fyfile:${stranger}:${today}:${addDays(today, 6)}`,
    ]) {
      await parent.press(data);
      expect(parent.lastText()).toBe(ru("errors:FORBIDDEN"));
    }
    const after = parent.texts().slice(before);
    expect(after.every((t) => t === ru("errors:FORBIDDEN"))).toBe(true);
    expect(parent.texts().some((t) => t.includes(name.lastName))).toBe(false);
    expect(await db.prisma.viewLog.count({ where: { studentId: stranger } })).toBe(0);
    const chosen = await db.prisma.botState.findFirst({ where: { key: { contains: `family:child` } } });
    expect(chosen?.value).not.toEqual({ studentId: stranger });
  });
});

describe("R-06 a student's own diary, read-only", () => {
  it("shows the student's own marks, no child header, and only reading buttons", async () => {
    const student = await tg.as(s.studentPerson.get(childA)!);
    await student.send("/start");
    const keys = student.replyKeyboard()!.flat();
    expect(keys).toEqual(expect.arrayContaining(["📅 Сегодня", "📊 Оценки", "📚 Домашнее задание", "🗓 Расписание"]));
    expect(keys).not.toContain("✉️ Написать");

    await student.tap("📊 Оценки");
    expect(student.lastText()).not.toContain("👤");
    expect(student.lastText()).toContain("Алгебра: 5* 4 · средний балл 4,67");
    await student.tap("Алгебра · 4,67");
    expect(student.lastText()).toContain("3 → 5, исправлено: пересчёт баллов");
    await student.send("/today");
    expect(student.lastText()).toContain("📅 Сегодня,");
    if (isoWeekday(today) <= 5) expect(student.lastText()).toContain("1. 08:30 Алгебра");
    await student.tap("🗓 Расписание");
    await student.tap("📚 Домашнее задание");
    const data = student.messages.flatMap((m) => m.reply_markup?.inline_keyboard.flat() ?? []);
    expect(data.length).toBeGreaterThan(0);
    for (const b of data) expect(b.callback_data).toMatch(/^fy(day|mk|sub|hw|file|tt):/);
    const views = await db.prisma.viewLog.findMany({ where: { viewerId: s.studentPerson.get(childA)! } });
    expect(new Set(views.map((v) => v.what))).toEqual(
      new Set(["day", "marks", "subject-marks", "homework", "timetable"]),
    );
    // Another student's diary through a rewritten button: refused.
    await student.press(`fymk:${childB}`);
    expect(student.lastText()).toBe(ru("errors:FORBIDDEN"));
  });
});
