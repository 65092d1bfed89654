// «👤 Ученики» as a psychologist uses it: the menu button, a class, a student, the diary views with the way
// back; every look in the audit trail, none in the families' view log. Who may not browse is refused, and a school
// that takes the right from the role takes the button too.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../src/core/actor.ts";
import { addDays, isoWeekday, localMoment, zonedInstant } from "../../src/core/dates.ts";
import { addMarks } from "../../src/core/journal/marks.ts";
import { setTopic } from "../../src/core/journal/topic.ts";
import { updateSchoolSettings } from "../../src/core/school-settings/update-school-settings.ts";
import { pressStale } from "../helpers/callback-sweep.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { buildSchool, lessonOf, type TestSchool } from "../helpers/factories.ts";
import { createFakeTelegram, type FakeTelegram } from "../helpers/telegram.ts";

const TZ = "Europe/Moscow";
const FORBIDDEN = "Нет доступа. Если это ошибка, обратитесь к администратору журнала.";
let db: TestDb;
let s: TestSchool;
let tg: FakeTelegram;
let child: number;

beforeAll(async () => {
  db = await createTestDb();
  const today = localMoment(TZ).date;
  s = await buildSchool(db.prisma, { today });
  tg = await createFakeTelegram({ prisma: db.prisma, schoolId: s.schoolId });
  child = s.students.c7b[0];
  let day = addDays(today, -1);
  while (isoWeekday(day) > 5) day = addDays(day, -1);
  const math: Actor = await s.actor(s.people.mathTeacher);
  const algebra = await lessonOf(db.prisma, s.assignments.algebra7b, day);
  await setTopic(db.prisma, math, { lessonId: algebra, topic: "Линейные уравнения" });
  await addMarks(
    db.prisma,
    math,
    { lessonId: algebra, workType: "oral", entries: [{ studentId: child, value: "4" }] },
    { now: zonedInstant(TZ, day, "09:00") },
  );
});
afterAll(async () => {
  await db.drop();
});

const accessOf = (personId: number) =>
  db.prisma.auditEvent.findMany({
    where: { actorId: personId, action: "student.view" },
    orderBy: { id: "asc" },
  });

describe("the student directory", () => {
  it("a psychologist finds a student by class and reads their marks and day, each look recorded", async () => {
    const psychologist = await tg.as(s.people.psychologist);
    await psychologist.send("/start");
    expect(psychologist.lastText()).toContain("Здравствуйте, Юлия Тестович!");
    expect(psychologist.replyKeyboard()).toEqual([["👤 Ученики"], ["⚙️ Настройки"]]);

    await psychologist.tap("👤 Ученики");
    expect(psychologist.lastText()).toContain("Выберите класс");
    expect(psychologist.buttons().flat()).toEqual(
      expect.arrayContaining([`7Б · ${s.students.c7b.length}`, `8А · ${s.students.c8a.length}`]),
    );
    await psychologist.tap(`7Б · ${s.students.c7b.length}`);
    expect(psychologist.lastText()).toContain(`👥 7Б: ${s.students.c7b.length}`);
    await psychologist.tap("Алексеев Артём");
    const page = psychologist.lastText();
    expect(page).toContain("👤 Алексеев Артём Тестович");
    expect(page).toContain("Класс: 7Б");
    expect(psychologist.buttons()).toEqual([
      ["📅 Сегодня", "📊 Оценки"],
      ["📚 Домашнее задание", "🗓 Расписание"],
      ["‹ 7Б"],
    ]);

    await psychologist.tap("📊 Оценки");
    expect(psychologist.lastText()).toContain("👤 Алексеев Артём Тестович, 7Б");
    expect(psychologist.lastText()).toContain("Алгебра: 4");
    await psychologist.tap(/^Алгебра · /);
    expect(psychologist.lastText()).toContain("Тема: Линейные уравнения");
    expect(psychologist.buttons().flat()).toContain("‹ К ученику");
    await psychologist.tap("‹ К ученику");
    expect(psychologist.lastText()).toContain("Класс: 7Б");
    await psychologist.tap("📅 Сегодня");
    expect(psychologist.lastText()).toContain("👤 Алексеев Артём Тестович, 7Б");
    await psychologist.tap("‹ К ученику");
    await psychologist.tap("🗓 Расписание");
    expect(psychologist.lastText()).toContain("🗓 Расписание на неделю");
    await psychologist.tap("‹ К ученику");
    await psychologist.tap("‹ 7Б");
    expect(psychologist.lastText()).toContain(`👥 7Б: ${s.students.c7b.length}`);
    expect(tg.failedCalls()).toEqual([]);

    // the page and every view are in the audit trail; a staff look is not a family's view.
    const seen = (await accessOf(s.people.psychologist)).map((e) => [e.entityId, (e.data as { what: string }).what]);
    expect(seen).toEqual([
      [String(child), "page"],
      [String(child), "family.marks"],
      [String(child), "family.subject-marks"],
      [String(child), "page"],
      [String(child), "family.day"],
      [String(child), "page"],
      [String(child), "family.timetable"],
      [String(child), "page"],
    ]);
    expect(await db.prisma.viewLog.count({ where: { viewerId: s.people.psychologist } })).toBe(0);
  });

  it("the director also gets the student's movement card from the page", async () => {
    const director = await tg.as(s.people.director);
    await director.send("/start");
    await director.tap("👤 Ученики");
    await director.tap(`7Б · ${s.students.c7b.length}`);
    await director.tap("Алексеев Артём");
    expect(director.buttons().flat()).toContain("🔀 Движение ученика");
    await director.tap("🔀 Движение ученика");
    expect(director.buttons().flat()).toEqual(expect.arrayContaining(["🚪 Выбытие", "📄 Выписка оценок (PDF)"]));
    expect(tg.failedCalls()).toEqual([]);
  });

  it("a parent and a teacher have no such button and are refused; a class that does not exist is not found", async () => {
    const parent = await tg.as(s.guardians.get(child)![0]);
    await parent.send("/start");
    expect(parent.replyKeyboard()?.flat()).not.toContain("👤 Ученики");
    await parent.send("👤 Ученики");
    expect(parent.lastText()).toBe(FORBIDDEN);

    const teacher = await tg.as(s.people.otherTeacher);
    expect(await pressStale(tg, teacher, "sdc")).toBe(1);
    expect(teacher.callbackAnswers().at(-1)).toBe(FORBIDDEN);
    // not this teacher's student: the page is refused as well
    expect(await pressStale(tg, teacher, `sdst:${child}`)).toBe(1);
    expect(teacher.callbackAnswers().at(-1)).toBe(FORBIDDEN);

    const psychologist = await tg.as(s.people.psychologist);
    expect(await pressStale(tg, psychologist, "sdcl:999999")).toBe(1);
    expect(psychologist.callbackAnswers().at(-1)).toMatch(/не найден/i);
    expect(tg.failedCalls()).toEqual([]);
  });

  it("a school that takes the right from the psychologist takes the button too (R-07)", async () => {
    const director = await s.actor(s.people.director);
    await updateSchoolSettings(db.prisma, director, { rolePermissions: { PSYCHOLOGIST: [] } });
    const psychologist = await tg.as(s.people.psychologist);
    await psychologist.send("/start");
    // the keyboard of the role it had is taken away
    expect(psychologist.replyKeyboard()).toBeNull();
    await psychologist.send("👤 Ученики");
    expect(psychologist.lastText()).toBe(FORBIDDEN);
    const before = (await accessOf(s.people.psychologist)).length;
    expect(await pressStale(tg, psychologist, `sdst:${child}`)).toBe(1);
    expect(psychologist.callbackAnswers().at(-1)).toBe(FORBIDDEN);
    expect((await accessOf(s.people.psychologist)).length).toBe(before);
  });
});
