// Late corrections by the administration in the bot: a mark given 10 days ago is past the teacher's
// correction window; the deputy reaches the lesson from /substitute (‹ back to that day) or /lessons, opens the
// card, and corrects or voids the mark with a reason in correction mode; a plain teacher's forged buttons are
// refused. Real bot, core and database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, daysBetween, fromIsoDate, type IsoDate, toIsoDate } from "../../../src/core/dates.ts";
import { lessonCard } from "../../../src/core/journal/lesson-card.ts";
import { addMarks } from "../../../src/core/journal/marks.ts";
import { materializeLessons } from "../../../src/core/lessons/materialize.ts";
import { createTestDb, type TestDb } from "../../helpers/db.ts";
import type { TestSchool } from "../../helpers/factories.ts";
import { createFakeTelegram, type FakeTelegram, type FakeUser } from "../../helpers/telegram.ts";
import { schoolWithLessonsToday } from "../class-admin/school-setup.ts";
import { activeMarks, openRoster, t } from "./helpers.ts";

let db: TestDb;
let s: TestSchool & { today: IsoDate };
let tg: FakeTelegram;
let deputy: FakeUser;
let math: FakeUser;
/** 7Б algebra about 10 days ago, with two marks given on its day (pinned clock). */
let lesson: { id: number; date: IsoDate; slot: number };
let marks: { id: number; studentId: number; value: string }[];

beforeAll(async () => {
  db = await createTestDb();
  s = await schoolWithLessonsToday(db.prisma);
  await materializeLessons(db.prisma, s.schoolId, addDays(s.today, -16), addDays(s.today, -1));
  const row = await db.prisma.lesson.findFirstOrThrow({
    where: {
      assignmentId: s.assignments.algebra7b,
      date: { lte: fromIsoDate(addDays(s.today, -10)) },
      status: { not: "CANCELLED" },
    },
    orderBy: { date: "desc" },
  });
  lesson = { id: row.id, date: toIsoDate(row.date), slot: row.slot };
  const teacher = await s.actor(s.people.mathTeacher);
  const card = await lessonCard(db.prisma, teacher, { lessonId: lesson.id });
  const [first, second] = card.students;
  const saved = await addMarks(
    db.prisma,
    teacher,
    {
      lessonId: lesson.id,
      workType: "oral",
      entries: [
        { studentId: first.studentId, value: "3" },
        { studentId: second.studentId, value: "2" },
      ],
    },
    { now: new Date(`${lesson.date}T10:00:00Z`) },
  );
  marks = saved.marks.map((m) => ({ id: m.markId, studentId: m.studentId, value: m.value }));
  tg = await createFakeTelegram({ prisma: db.prisma, schoolId: s.schoolId });
  deputy = await tg.as(s.people.deputy);
  math = await tg.as(s.people.mathTeacher);
}, 120_000);
afterAll(async () => {
  await db?.drop();
});

const markRow = (id: number) => db.prisma.mark.findUniqueOrThrow({ where: { id } });

describe("R-15: past the correction window", () => {
  it("the core offers correction to the administration only (canCorrect)", async () => {
    const byDeputy = await lessonCard(db.prisma, await s.actor(s.people.deputy), { lessonId: lesson.id });
    expect(byDeputy).toMatchObject({ role: "administration", canWrite: false, canCorrect: true });
    const byTeacher = await lessonCard(db.prisma, await s.actor(s.people.mathTeacher), { lessonId: lesson.id });
    expect(byTeacher).toMatchObject({ canWrite: true, canCorrect: false });
  });

  it("the lesson's teacher is told that only the administration can correct it; nothing changes", async () => {
    await openRoster(math, lesson.id, "Ответ на уроке");
    await math.tap(/^1\. .+ · 3$/);
    await math.tap("3 · Ответ на уроке");
    await math.tap("✏️ Исправить");
    await math.tap("5");
    expect(math.lastText()).toContain("Срок исправления (7 дн. с момента выставления) истёк");
    expect(math.lastText()).toContain("только администрация школы");
    expect(await markRow(marks[0].id)).toMatchObject({ status: "ACTIVE", value: "3" });
  });

  it("the deputy goes back to that day in /substitute, opens the lesson and corrects the mark with a reason", async () => {
    await deputy.send("/substitute");
    for (let i = daysBetween(lesson.date, s.today); i > 0; i--) await deputy.tap("‹");
    expect(deputy.lastText()).toContain(`${Number(lesson.date.slice(8))} `);
    await deputy.tap(new RegExp(`^${lesson.slot} · 7Б Алг`));
    expect(deputy.lastText()).toContain("Учитель: Математиков Пётр");
    await deputy.tap("📘 Открыть урок");
    expect(deputy.lastText()).toContain("📘 Алгебра");
    expect(deputy.lastText()).toContain(t("teacher-lesson:card.correctOnly"));
    expect(deputy.buttons()).toEqual([["✏️ Оценки"], ["‹ Уроки школы"]]);

    await deputy.tap("✏️ Оценки");
    expect(deputy.lastText()).toContain("Исправление отметок администрацией");
    // Only the students with marks; no entry buttons in correction mode.
    const roster = deputy.buttons().flat();
    expect(roster).toHaveLength(3);
    expect(roster.at(-1)).toBe("‹ К уроку");
    expect(roster).not.toContain("⌨️ Ввести списком");
    await deputy.tap(/^1\. .+ · 3$/);
    expect(deputy.lastText()).toContain("отметки за урок");
    expect(deputy.buttons().flat()).toEqual(["3 · Ответ на уроке", "‹ К списку"]);
    await deputy.tap("3 · Ответ на уроке");
    expect(deputy.lastText()).toContain("Поставил(а): Математиков Пётр");
    await deputy.tap("✏️ Исправить");
    await deputy.tap("4");
    expect(deputy.lastText()).toContain("Напишите причину исправления");
    expect(await markRow(marks[0].id)).toMatchObject({ status: "ACTIVE", value: "3" });
    await deputy.send("ошибка учителя, заявление родителей");
    expect(deputy.lastText()).toContain("✅ Отметка исправлена");
    expect(deputy.lastText()).toContain("3 → 4");

    expect(await markRow(marks[0].id)).toMatchObject({ status: "SUPERSEDED", value: "3" });
    const current = (await activeMarks(db.prisma, lesson.id)).find((m) => m.studentId === marks[0].studentId);
    expect(current).toMatchObject({
      value: "4",
      supersedesId: marks[0].id,
      correctionReason: "ошибка учителя, заявление родителей",
      authorId: s.people.deputy,
    });
    const audit = await db.prisma.auditEvent.findFirstOrThrow({
      where: { schoolId: s.schoolId, action: "mark.correct", entityId: String(current?.id) },
    });
    expect(audit.actorId).toBe(s.people.deputy);
    expect(audit.data).toMatchObject({ previousMarkId: marks[0].id, late: true, old: { value: "3" } });
    expect(tg.failedCalls()).toEqual([]);
  });

  it("the deputy reaches the lesson from /lessons too, and voids a mark with a reason", async () => {
    await deputy.send("/lessons");
    for (let i = daysBetween(lesson.date, s.today); i > 0; i--) await deputy.tap("‹");
    await deputy.tap(/^Математиков П\. · \d+$/);
    await deputy.tap(new RegExp(`^📘 ${lesson.slot} · 7Б Алг$`));
    await deputy.tap("✏️ Оценки");
    await deputy.tap(/^2\. .+ · 2$/);
    await deputy.tap("2 · Ответ на уроке");
    await deputy.tap("🗑 Удалить (аннулировать)");
    expect(deputy.lastText()).toContain("Напишите причину аннулирования");
    await deputy.send("работа не проводилась");
    expect(deputy.lastText()).toContain("аннулирована");
    expect(await markRow(marks[1].id)).toMatchObject({ status: "VOIDED", correctionReason: "работа не проводилась" });
    const audit = await db.prisma.auditEvent.findFirstOrThrow({
      where: { schoolId: s.schoolId, action: { startsWith: "mark.void" }, entityId: String(marks[1].id) },
    });
    expect(audit.actorId).toBe(s.people.deputy);

    await deputy.tap("‹ К списку");
    await deputy.tap("‹ К уроку");
    await deputy.tap("‹ Уроки школы");
    expect(deputy.lastText()).toContain("🔁 Замены");
    expect(tg.failedCalls()).toEqual([]);
  });

  it("a plain teacher's forged correction buttons for another teacher's lesson are refused; nothing changes", async () => {
    const before = await db.prisma.mark.findMany({ where: { lessonId: lesson.id }, orderBy: { id: "asc" } });
    const current = (await activeMarks(db.prisma, lesson.id))[0];
    const english = await tg.as(s.people.englishTeacher1);
    await english.send("/today");
    for (const data of [
      `mk:${lesson.id}`,
      `mkw:${lesson.id}:oral`,
      `mks:${lesson.id}:oral:${current.studentId}`,
      `mkm:${current.id}:oral`,
      `mkx:${current.id}:oral`,
      `mkxv:${current.id}:oral:2`,
      `mkd:${current.id}:oral`,
    ]) {
      await english.press(data);
      expect(english.lastText()).toBe(t("errors:FORBIDDEN"));
    }
    await english.press(`ca_ol:${lesson.id}`);
    expect(english.callbackAnswers().at(-1)).toBe(t("teacher-lesson:refused"));
    expect(await db.prisma.mark.findMany({ where: { lessonId: lesson.id }, orderBy: { id: "asc" } })).toEqual(before);
  });
});
