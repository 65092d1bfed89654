// Corrections in the bot (issue 4 item 5, R-15): a saved mark opened from the roster is fixed or withdrawn
// silently within the grace period, with a typed reason after it, and past the correction window the author is
// told who can still do it. Refusals for tampered buttons (item 9). Real bot, core and database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays } from "../../../src/core/dates.ts";
import { grantSubstitution } from "../../../src/core/journal/substitutions.ts";
import { createTestDb, type TestDb } from "../../helpers/db.ts";
import { buildSchool, lessonOf, type TestSchool } from "../../helpers/factories.ts";
import { createFakeTelegram, type FakeTelegram, type FakeUser } from "../../helpers/telegram.ts";
import { activeMarks, ageMark, openRoster, t } from "./helpers.ts";

let db: TestDb;
let s: TestSchool;
let tg: FakeTelegram;
let math: FakeUser;

beforeAll(async () => {
  db = await createTestDb();
  s = await buildSchool(db.prisma, { studentsPerClass: 30 });
  tg = await createFakeTelegram({ prisma: db.prisma, schoolId: s.schoolId });
  math = await tg.as(s.people.mathTeacher);
}, 120_000);
afterAll(async () => {
  await db?.drop();
});

const lesson = (day: number) => lessonOf(db.prisma, s.assignments.algebra7b, addDays(s.monday, day));

/** Opens the roster of a lesson, gives student №1 (Алексеев Артём) a mark by taps, returns the mark. */
async function markFirst(lessonId: number, value: string) {
  await openRoster(math, lessonId, "Ответ на уроке");
  await math.tap(/^1\. Алексеев А\./);
  if (math.lastText().includes("отметки за урок")) await math.tap(/^➕ Поставить ещё/);
  await math.tap(value);
  const marks = await activeMarks(db.prisma, lessonId);
  return marks[marks.length - 1];
}

/** From the roster: the student → the mark. */
async function openMark(value: string) {
  await math.tap(/^1\. Алексеев А\. · /);
  await math.tap(`${value} · Ответ на уроке`);
}

describe("within the grace period", () => {
  it("«Исправить» fixes the mark in place, silently; «Удалить» withdraws it silently", async () => {
    const lessonId = await lesson(0);
    const mark = await markFirst(lessonId, "5");
    await openMark("5");
    expect(math.lastText()).toContain("Отметка: 5 — Ответ на уроке (вес 1)");
    expect(math.lastText()).toContain("Поставил(а): Математиков Пётр");
    expect(math.buttons().flat()).toEqual(expect.arrayContaining(["✏️ Исправить", "🗑 Удалить (аннулировать)"]));
    await math.tap("✏️ Исправить");
    expect(math.buttons()[0]).toEqual(["2", "3", "4", "н/а"]);
    await math.tap("3");
    expect(math.lastText()).toContain("✅ Исправлено: Алексеев А., 5 → 3");
    expect(math.buttons().flat()).toContain("1. Алексеев А. · 3");
    const rows = await db.prisma.mark.findMany({ where: { lessonId } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: mark.id, value: "3", status: "ACTIVE", supersedesId: null });
    expect(await db.prisma.auditEvent.count({ where: { schoolId: s.schoolId, action: "mark.fix" } })).toBe(1);

    await openMark("3");
    await math.tap("🗑 Удалить (аннулировать)");
    expect(math.lastText()).toContain("🗑 Отметка 3 (Алексеев А.) удалена");
    expect(math.buttons().flat()).toContain("1. Алексеев А.");
    const after = await db.prisma.mark.findUniqueOrThrow({ where: { id: mark.id } });
    expect(after).toMatchObject({ status: "VOIDED", correctionReason: null });
    expect(tg.failedCalls()).toEqual([]);
  });
});

describe("after the grace period (R-15)", () => {
  it("R-15: a correction asks for the reason, then supersedes the mark; the history shows both", async () => {
    const lessonId = await lesson(1);
    const mark = await markFirst(lessonId, "5");
    await ageMark(db.prisma, mark.id, 20);
    await openMark("5");
    await math.tap("✏️ Исправить");
    await math.tap("4");
    expect(math.lastText()).toContain("Напишите причину исправления");
    expect(math.lastText()).toContain("5 → 4");
    expect((await db.prisma.mark.findUniqueOrThrow({ where: { id: mark.id } })).status).toBe("ACTIVE");

    await math.send("ошибка при вводе");
    expect(math.lastText()).toContain("✅ Отметка исправлена: Алексеев А., 5 → 4.");
    expect(math.lastText()).toContain("Причина: «ошибка при вводе»");
    const old = await db.prisma.mark.findUniqueOrThrow({ where: { id: mark.id } });
    expect(old.status).toBe("SUPERSEDED");
    const [current] = await activeMarks(db.prisma, lessonId);
    expect(current).toMatchObject({ value: "4", supersedesId: mark.id, correctionReason: "ошибка при вводе" });
    expect(await db.prisma.outbox.count({ where: { kind: "mark.corrected" } })).toBe(1);

    await math.tap("‹ К списку");
    await openMark("4");
    expect(math.lastText()).toContain("История исправлений:");
    expect(math.lastText()).toContain("(причина: «ошибка при вводе»)");
    expect(tg.failedCalls()).toEqual([]);
  });

  it("R-15: voiding asks for the reason; a command instead of the reason leaves and changes nothing", async () => {
    const lessonId = await lesson(2);
    const mark = await markFirst(lessonId, "2");
    await ageMark(db.prisma, mark.id, 20);
    await openMark("2");
    await math.tap("🗑 Удалить (аннулировать)");
    expect(math.lastText()).toContain("Напишите причину аннулирования");

    await math.send("/today");
    expect(math.lastText()).toContain("Мои уроки");
    await math.send("перепутал ученика");
    expect((await db.prisma.mark.findUniqueOrThrow({ where: { id: mark.id } })).status).toBe("ACTIVE");

    await openRoster(math, lessonId, "Ответ на уроке");
    await openMark("2");
    await math.tap("🗑 Удалить (аннулировать)");
    await math.send("перепутал ученика");
    expect(math.lastText()).toContain("🗑 Отметка 2 (Алексеев А.) аннулирована.");
    const voided = await db.prisma.mark.findUniqueOrThrow({ where: { id: mark.id } });
    expect(voided).toMatchObject({ status: "VOIDED", correctionReason: "перепутал ученика" });
    expect(await db.prisma.outbox.count({ where: { kind: "mark.voided" } })).toBe(1);
  });

  it("R-15: past the correction window the author is told who can correct it; nothing changes", async () => {
    const lessonId = await lesson(3);
    const mark = await markFirst(lessonId, "3");
    await ageMark(db.prisma, mark.id, 8 * 24 * 60);
    await openMark("3");
    await math.tap("✏️ Исправить");
    await math.tap("5");
    expect(math.lastText()).toContain("Срок исправления (7 дн. с момента выставления) истёк");
    expect(math.lastText()).toContain("директор, заместитель директора или администратор журнала");
    await math.tap("‹ К ученику");
    await math.tap("3 · Ответ на уроке");
    await math.tap("🗑 Удалить (аннулировать)");
    expect(math.lastText()).toContain("только администрация школы");
    const rows = await db.prisma.mark.findMany({ where: { lessonId } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: "ACTIVE", value: "3" });
  });
});

describe("tampered buttons", () => {
  it("another teacher cannot open, correct, void or undo the teacher's mark; nothing changes", async () => {
    const lessonId = await lesson(4);
    const mark = await markFirst(lessonId, "4");
    const english = await tg.as(s.people.englishTeacher1);
    await english.send("/today");
    for (const data of [
      `mkm:${mark.id}:oral`,
      `mkx:${mark.id}:oral`,
      `mkxv:${mark.id}:oral:2`,
      `mkd:${mark.id}:oral`,
      `mku:${lessonId}:${mark.id}:${mark.id}:oral`,
    ]) {
      await english.press(data);
      expect(english.lastText()).toBe(t("errors:FORBIDDEN"));
    }
    // A substitute writes the lesson but is not the mark's author: the core refuses the correction.
    await grantSubstitution(db.prisma, await s.actor(s.people.deputy), {
      lessonId,
      substituteId: s.people.otherTeacher,
    });
    const sub = await tg.as(s.people.otherTeacher);
    await sub.send("/today");
    await sub.press(`mkxv:${mark.id}:oral:2`);
    expect(sub.lastText()).toBe(t("errors:FORBIDDEN"));
    await sub.press(`mku:${lessonId}:${mark.id}:${mark.id}:oral`);
    expect(sub.callbackAnswers().at(-1)).toContain("уже отменены");
    // Malformed data is refused by the parser before any core call.
    await english.press("mkxv:abc:oral:2");
    expect(english.lastText()).toBe(t("errors:FORBIDDEN"));
    const row = await db.prisma.mark.findUniqueOrThrow({ where: { id: mark.id } });
    expect(row).toMatchObject({ status: "ACTIVE", value: "4" });
    expect(await db.prisma.mark.count({ where: { lessonId } })).toBe(1);
  });
});
