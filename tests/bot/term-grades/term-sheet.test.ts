// Term marks in the bot: the teacher opens «🎓 Итоговые» from a lesson card or /terms, sees each student's
// weighted average, marks, absences and the suggestion, accepts all suggestions in one tap, changes one, and
// enters marks for a period whose deadline has passed (taken, flagged late). Forged buttons change nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cardCallback } from "../../../src/bot/features/teacher-lesson/callbacks.ts";
import { termValueCallback } from "../../../src/bot/features/term-grades/callbacks.ts";
import { addDays, type IsoDate } from "../../../src/core/dates.ts";
import { addMarks } from "../../../src/core/journal/marks.ts";
import { createTestDb, type TestDb } from "../../helpers/db.ts";
import { lessonOf, type TestSchool } from "../../helpers/factories.ts";
import { createFakeTelegram, type FakeTelegram, type FakeUser } from "../../helpers/telegram.ts";
import { schoolWithLessonsToday } from "../class-admin/school-setup.ts";

let db: TestDb;
let s: TestSchool & { today: IsoDate };
let tg: FakeTelegram;
let math: FakeUser;
let q1: number;
let lastMonday: IsoDate;

const termGrades = (periodId: number) =>
  db.prisma.termGrade.findMany({
    where: { periodId, subjectId: s.subjects.algebra },
    orderBy: { studentId: "asc" },
  });

beforeAll(async () => {
  db = await createTestDb();
  s = await schoolWithLessonsToday(db.prisma);
  q1 = (await db.prisma.period.findFirstOrThrow({ where: { schoolId: s.schoolId, number: 1 } })).id;
  lastMonday = addDays(s.monday, -7);
  const teacher = await s.actor(s.people.mathTeacher);
  const l1 = await lessonOf(db.prisma, s.assignments.algebra7b, lastMonday);
  const l2 = await lessonOf(db.prisma, s.assignments.algebra7b, addDays(lastMonday, 1));
  const [a, b, c] = s.students.c7b;
  // a: 5 (control, ×2) + 3 (oral) → 4.33 → 4; b: 5 + 5 → 5; c: 3 + 2 → 2.67 → 3; the rest have no marks
  await addMarks(db.prisma, teacher, {
    lessonId: l1,
    workType: "control",
    entries: [
      { studentId: a, value: "5" },
      { studentId: b, value: "5" },
      { studentId: c, value: "3" },
    ],
  });
  await addMarks(db.prisma, teacher, {
    lessonId: l2,
    workType: "oral",
    entries: [
      { studentId: a, value: "3" },
      { studentId: b, value: "5" },
      { studentId: c, value: "2" },
    ],
  });
  await db.prisma.attendance.create({
    data: {
      schoolId: s.schoolId,
      studentId: a,
      lessonId: l2,
      classId: s.classes.c7b,
      date: new Date(`${addDays(lastMonday, 1)}T00:00:00Z`),
      status: "ABSENT",
      updatedById: s.people.mathTeacher,
    },
  });
  tg = await createFakeTelegram({ prisma: db.prisma, schoolId: s.schoolId });
  math = await tg.as(s.people.mathTeacher);
}, 120_000);
afterAll(async () => {
  await db?.drop();
});

describe("R-16: term marks from the teacher's class and subject", () => {
  it("the lesson card's «🎓 Итоговые» shows averages, marks, absences and suggestions", async () => {
    const lessonId = await lessonOf(db.prisma, s.assignments.algebra7b, lastMonday);
    await math.send("/today");
    await math.press(cardCallback.encode({ lessonId }));
    await math.tap("🎓 Итоговые");
    const text = math.lastText();
    expect(text).toContain("🎓 Итоговые · Алгебра · 7Б");
    expect(text).toContain("2-я четверть");
    expect(text).toMatch(/1\. \S+ \S+ — ср\. 4,33 · 2 отметки · 1 пропуск; предложено: 4; итог: —/);
    expect(text).toMatch(/2\. \S+ \S+ — ср\. 5,00 · 2 отметки; предложено: 5; итог: —/);
    expect(text).toMatch(/3\. \S+ \S+ — ср\. 2,67 · 2 отметки; предложено: 3; итог: —/);
    expect(text).toMatch(/4\. \S+ \S+ — 0 отметок; предложено: —; итог: —/);
    expect(text).toContain("Выставлено: 0 из 6.");
    expect(math.buttons().flat()).toContain("✅ Принять все предложенные (3)");
    expect(math.buttons().flat()).toContain("1 четв.");
  });

  it("one tap accepts all suggestions; audited, one outbox row per mark", async () => {
    await math.tap("✅ Принять все предложенные (3)");
    expect(math.lastText()).toContain("✅ Приняты 3 предложенные отметки.");
    expect(math.lastText()).toContain("Выставлено: 3 из 6.");
    const [a, b, c] = s.students.c7b;
    const rows = await termGrades(s.periodId);
    expect(rows.map((r) => [r.studentId, r.value, r.late])).toEqual([
      [a, "4", false],
      [b, "5", false],
      [c, "3", false],
    ]);
    const audits = await db.prisma.auditEvent.count({ where: { schoolId: s.schoolId, action: "term-grade.set" } });
    expect(audits).toBe(3);
    const outbox = await db.prisma.outbox.count({ where: { schoolId: s.schoolId, kind: "term-grade.set" } });
    expect(outbox).toBe(3);
    expect(
      math
        .buttons()
        .flat()
        .some((b) => b.startsWith("✅ Принять")),
    ).toBe(false);
  });

  it("a tap on a student changes one mark («н/а» and «осв» offered too)", async () => {
    await math.tap(/^1\. .+ · 4$/);
    expect(math.lastText()).toContain("Предложено: 4");
    expect(math.buttons()).toEqual(
      [["5", "4", "3", "2"], ["н/а", "осв"], ["‹ К списку"]].map((r, i) =>
        i === 0 ? r.map((v) => (v === "4" ? "✓ 4" : v)) : r,
      ),
    );
    await math.tap("5");
    expect(math.lastText()).toMatch(/✅ \S+ \S+: 5/);
    const row = (await termGrades(s.periodId)).find((r) => r.studentId === s.students.c7b[0]);
    expect(row).toMatchObject({ value: "5", late: false });
    const audit = await db.prisma.auditEvent.findFirstOrThrow({
      where: { schoolId: s.schoolId, action: "term-grade.set", entityId: String(row?.id) },
      orderBy: { id: "desc" },
    });
    expect(audit.data).toMatchObject({ old: "4", new: "5" });
  });

  it("after the deadline (the 1st quarter ended a month ago) the mark is taken and shown as late", async () => {
    await math.tap("1 четв.");
    expect(math.lastText()).toContain("1-я четверть");
    expect(math.lastText()).toContain("⏰ Срок выставления прошёл");
    await math.tap(/^2\. .+ · —$/);
    await math.tap("4");
    expect(math.lastText()).toMatch(/✅ \S+ \S+: 4 \(выставлено после срока\)/);
    expect(math.lastText()).toContain("4 (после срока)");
    expect(
      math
        .buttons()
        .flat()
        .some((b) => /^2\. .+ · 4 ⏰$/.test(b)),
    ).toBe(true);
    const [row] = await termGrades(q1);
    expect(row).toMatchObject({ studentId: s.students.c7b[1], value: "4", late: true });
    const audit = await db.prisma.auditEvent.findFirstOrThrow({
      where: { schoolId: s.schoolId, action: "term-grade.set", entityId: String(row.id) },
    });
    expect(audit.data).toMatchObject({ late: true });
  });

  it("/terms lists the teacher's classes and subjects", async () => {
    await math.send("/terms");
    expect(math.lastText()).toContain("Выберите класс и предмет");
    expect(math.buttons().flat()).toEqual(expect.arrayContaining(["7Б · Алгебра", "8А · Алгебра"]));
    await math.tap("8А · Алгебра");
    expect(math.lastText()).toContain("🎓 Итоговые · Алгебра · 8А");
  });

  it("forged buttons: another teacher's assignment, a foreign student, a bad value → refused, nothing changes", async () => {
    const before = await db.prisma.termGrade.count();
    const forged = (assignmentId: number, studentId: number, value = "5") =>
      termValueCallback.encode({ assignmentId, periodId: s.periodId, studentId, page: 0, value });
    await math.press(forged(s.assignments.russian7b, s.students.c7b[3]));
    expect(math.callbackAnswers().at(-1)).toContain("недоступны");
    const other = await tg.as(s.people.englishTeacher1);
    await other.send("/terms");
    await other.press(forged(s.assignments.algebra7b, s.students.c7b[3]));
    expect(other.callbackAnswers().at(-1)).toContain("недоступны");
    await math.press(forged(s.assignments.algebra7b, s.students.c7b[3], "7"));
    await math.press(forged(s.assignments.algebra7b, s.students.c8a[0]));
    expect(await db.prisma.termGrade.count()).toBe(before);
    expect(tg.failedCalls()).toEqual([]);
  });
});
