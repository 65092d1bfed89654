// Small things of the marks screens: two students with the same surname and initial are told apart on the
// marks and attendance rosters alike («Иванов Ал.» / «Иванов Ан.»); the typed-list preview warns about a mark
// for a student marked absent; the work types offered depend on the subject (no «Диктант» in Geography).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cardCallback } from "../../../src/bot/features/teacher-lesson/callbacks.ts";
import { shortNames } from "../../../src/bot/render-person.ts";
import { fitsSubject } from "../../../src/core/grading/subject-work-types.ts";
import { saveAttendance } from "../../../src/core/journal/attendance.ts";
import { lessonCard } from "../../../src/core/journal/lesson-card.ts";
import { createTestDb, type TestDb } from "../../helpers/db.ts";
import { buildSchool, lessonOf, type TestSchool } from "../../helpers/factories.ts";
import { createFakeTelegram, type FakeTelegram } from "../../helpers/telegram.ts";
import { activeMarks, openMarks, openRoster } from "./helpers.ts";

let db: TestDb;
let s: TestSchool;
let tg: FakeTelegram;

beforeAll(async () => {
  db = await createTestDb();
  s = await buildSchool(db.prisma, { studentsPerClass: 4 });
  tg = await createFakeTelegram({ prisma: db.prisma, schoolId: s.schoolId });
  const [a, b] = s.students.c7b;
  for (const [studentId, firstName] of [
    [a, "Алексей"],
    [b, "Антон"],
  ] as const) {
    const st = await db.prisma.student.findUniqueOrThrow({ where: { id: studentId } });
    await db.prisma.person.update({ where: { id: st.personId }, data: { lastName: "Иванов", firstName } });
  }
}, 120_000);
afterAll(async () => {
  await db?.drop();
});

describe("same surname and initial", () => {
  it("shortNames: the shortest form that tells names apart, else the patronymic, else the full name", () => {
    expect(shortNames(["Иванов Алексей", "Иванов Антон", "Петров Пётр"])).toEqual([
      "Иванов Ал.",
      "Иванов Ан.",
      "Петров П.",
    ]);
    expect(shortNames(["Иванов Александр", "Иванов Алексей"])).toEqual(["Иванов Алекса.", "Иванов Алексе."]);
    expect(shortNames(["Ким Ян", "Ким Яна"])).toEqual(["Ким Ян", "Ким Яна"]);
    expect(shortNames(["Иванов Иван Петрович", "Иванов Иван Сергеевич"])).toEqual(["Иванов Иван П.", "Иванов Иван С."]);
    expect(shortNames(["Иванов Иван", "Иванов Иван"])).toEqual(["Иванов Иван", "Иванов Иван"]);
    expect(shortNames(["Иванов Иван", "Иванова Инна"])).toEqual(["Иванов И.", "Иванова И."]);
  });

  it("the marks roster and the attendance roster show «Иванов Ал.» and «Иванов Ан.»", async () => {
    const teacher = await tg.as(s.people.mathTeacher);
    const lessonId = await lessonOf(db.prisma, s.assignments.algebra7b, s.monday);
    await openRoster(teacher, lessonId, "Ответ на уроке");
    const marks = teacher.buttons().flat();
    expect(marks.some((b) => b.endsWith("Иванов Ал."))).toBe(true);
    expect(marks.some((b) => b.endsWith("Иванов Ан."))).toBe(true);

    await teacher.press(cardCallback.encode({ lessonId }));
    await teacher.tap("👥 Посещаемость");
    const attendance = teacher.buttons().flat();
    expect(attendance.some((b) => b.includes("Иванов Ал."))).toBe(true);
    expect(attendance.some((b) => b.includes("Иванов Ан."))).toBe(true);
    expect(tg.failedCalls()).toEqual([]);
  });
});

describe("the typed-list preview", () => {
  it("warns about a mark for a student marked absent at the lesson, and still saves on «Сохранить»", async () => {
    const teacher = await tg.as(s.people.mathTeacher);
    const lessonId = await lessonOf(db.prisma, s.assignments.algebra7b, s.monday);
    const actor = await s.actor(s.people.mathTeacher);
    const card = await lessonCard(db.prisma, actor, { lessonId });
    const absent = card.students[2];
    await saveAttendance(db.prisma, actor, { lessonId, absent: [absent.studentId] });
    await openRoster(teacher, lessonId, "Самостоятельная работа");
    await teacher.tap("⌨️ Ввести списком");
    await teacher.send("5 4 3 5");
    const preview = teacher.lastText();
    expect(preview).toContain(`3. ${absent.name} — 3 ⚠️ на уроке отмечен(а) «н»`);
    expect(preview).toContain("⚠️ Оценка у 1 ученика, отмеченного на этом уроке как отсутствующий");
    expect(preview).not.toContain(`1. ${card.students[0].name} — 5 ⚠️`);
    await teacher.tap("✅ Сохранить");
    expect(teacher.lastText()).toContain("✅ Сохранены 4 отметки");
    expect(await activeMarks(db.prisma, lessonId)).toHaveLength(4);
  });

  it("says nothing when nobody marked absent gets a mark", async () => {
    const teacher = await tg.as(s.people.russianTeacher);
    const lessonId = await lessonOf(db.prisma, s.assignments.russian7b, s.monday);
    await openRoster(teacher, lessonId, "Ответ на уроке");
    await teacher.tap("⌨️ Ввести списком");
    await teacher.send("5 4 - 5");
    expect(teacher.lastText()).toContain("Проверьте перед сохранением");
    expect(teacher.lastText()).not.toContain("⚠️");
  });
});

describe("work types by subject", () => {
  it("core: a dictation in languages and mathematics, a lab in the sciences, the rest everywhere", () => {
    expect(fitsSubject("dictation", "Русский язык")).toBe(true);
    expect(fitsSubject("dictation", "Математика")).toBe(true);
    expect(fitsSubject("dictation", "География")).toBe(false);
    expect(fitsSubject("essay", "Литература")).toBe(true);
    expect(fitsSubject("essay", "Физика")).toBe(false);
    expect(fitsSubject("lab", "Физика")).toBe(true);
    expect(fitsSubject("lab", "Алгебра")).toBe(false);
    for (const code of ["oral", "classwork", "homework", "independent", "test", "practical", "control", "own_code"]) {
      expect(fitsSubject(code, "География")).toBe(true);
    }
  });

  it("Geography offers no «Диктант», «Сочинение» or «Лабораторная работа»; Russian offers the dictation", async () => {
    const algebra = await db.prisma.teachingAssignment.findUniqueOrThrow({ where: { id: s.assignments.algebra7b } });
    await db.prisma.subject.update({ where: { id: algebra.subjectId }, data: { name: "География", short: "Гео" } });
    const teacher = await tg.as(s.people.mathTeacher);
    await openMarks(teacher, await lessonOf(db.prisma, s.assignments.algebra7b, s.monday));
    const geography = teacher.buttons().flat();
    expect(geography).toContain("Контрольная работа");
    expect(geography).toContain("Практическая работа");
    for (const name of ["Диктант", "Сочинение", "Лабораторная работа"]) {
      expect(geography.some((b) => b.includes(name))).toBe(false);
    }
    const russian = await tg.as(s.people.russianTeacher);
    await openMarks(russian, await lessonOf(db.prisma, s.assignments.russian7b, s.monday));
    expect(
      russian
        .buttons()
        .flat()
        .some((b) => b.includes("Диктант")),
    ).toBe(true);
  });
});
