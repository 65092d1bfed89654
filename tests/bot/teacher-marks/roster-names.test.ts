// Two students with the same surname and initial: the marks roster and the attendance roster tell them apart
// the same way, by the shortest form that differs («Иванов Ал.» / «Иванов Ан.»).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cardCallback } from "../../../src/bot/features/teacher-lesson/callbacks.ts";
import { shortNames } from "../../../src/bot/render-person.ts";
import { createTestDb, type TestDb } from "../../helpers/db.ts";
import { buildSchool, lessonOf, type TestSchool } from "../../helpers/factories.ts";
import { createFakeTelegram, type FakeTelegram } from "../../helpers/telegram.ts";
import { openRoster } from "./helpers.ts";

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
