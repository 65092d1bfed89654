import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, localMoment } from "../../../src/core/dates.ts";
import { isAppError } from "../../../src/core/errors.ts";
import { reportAbsence } from "../../../src/core/journal/absence-notices.ts";
import { saveAttendance } from "../../../src/core/journal/attendance.ts";
import { classRoster, classToday, myClasses } from "../../../src/core/journal/class-overview.ts";
import { createTestDb, type TestDb } from "../../helpers/db.ts";
import { buildSchool, lessonOf, type TestSchool } from "../../helpers/factories.ts";

const code = (c: string) => (e: unknown) => isAppError(e, c as never);

describe("class teacher's overview", () => {
  let db: TestDb;
  let s: TestSchool;
  let lastWeek: string;
  beforeAll(async () => {
    db = await createTestDb();
    s = await buildSchool(db.prisma, { today: localMoment("Europe/Moscow").date });
    lastWeek = addDays(s.monday, -7);
  });
  afterAll(() => db.drop());

  it("lists the classes the actor leads", async () => {
    expect(await myClasses(db.prisma, await s.actor(s.people.mathTeacher))).toEqual([
      { classId: s.classes.c7b, name: "7Б", grade: 7, students: 6 },
    ]);
    expect((await myClasses(db.prisma, await s.actor(s.people.russianTeacher))).map((c) => c.name)).toEqual([
      "2А",
      "8А",
    ]);
    expect(await myClasses(db.prisma, await s.actor(s.people.otherTeacher))).toEqual([]);
  });

  it("R-03 shows who is missing from which lessons of the day, to the class teacher only", async () => {
    const [a, b, c] = s.students.c7b;
    await saveAttendance(db.prisma, await s.actor(s.people.mathTeacher), {
      lessonId: await lessonOf(db.prisma, s.assignments.algebra7b, lastWeek),
      absent: [a],
      late: [b],
    });
    await saveAttendance(db.prisma, await s.actor(s.people.russianTeacher), {
      lessonId: await lessonOf(db.prisma, s.assignments.russian7b, lastWeek),
      absent: [a],
      late: [],
    });
    await db.prisma.guardianship.updateMany({ where: { studentId: c }, data: { consentGivenAt: new Date() } });
    await reportAbsence(db.prisma, await s.actor(s.guardians.get(c)![0]), {
      studentId: c,
      from: lastWeek,
      to: lastWeek,
      reason: "EXCUSED",
    });
    const math = await s.actor(s.people.mathTeacher);
    const day = await classToday(db.prisma, math, { classId: s.classes.c7b, date: lastWeek });
    expect(day.rosterSize).toBe(6);
    expect(day.lessons.map((l) => [l.slot, l.subjectShort, l.attendanceTaken])).toEqual([
      [1, "Алг", true],
      [2, "Рус", true],
      [3, "Англ", false],
      [3, "Англ", false],
    ]);
    expect(
      day.students.map((x) => [x.studentId, x.entries.map((e) => `${e.slot}${e.status}`), x.notice?.confirmed]),
    ).toEqual([
      [a, ["1ABSENT", "2ABSENT"], undefined],
      [b, ["1LATE"], undefined],
      [c, [], false],
    ]);
    for (const person of [
      s.people.russianTeacher,
      s.people.otherTeacher,
      s.studentPerson.get(a)!,
      s.guardians.get(a)![0],
    ]) {
      await expect(classToday(db.prisma, await s.actor(person), { classId: s.classes.c7b })).rejects.toSatisfy(
        code("FORBIDDEN"),
      );
    }
    expect(
      (await classToday(db.prisma, await s.actor(s.people.deputy), { classId: s.classes.c7b, date: lastWeek }))
        .students,
    ).toHaveLength(3);
  });

  it("lists the roster with each guardian's consent and messenger link", async () => {
    const st = s.students.c7b[1];
    const [mother] = s.guardians.get(st)!;
    const bot = await db.prisma.bot.create({ data: { schoolId: s.schoolId, username: `test_${s.schoolId}_bot` } });
    await db.prisma.messengerAccount.create({
      data: { schoolId: s.schoolId, personId: mother, botId: bot.id, telegramUserId: 1001n, chatId: 1001n },
    });
    const roster = await classRoster(db.prisma, await s.actor(s.people.mathTeacher), { classId: s.classes.c7b });
    expect(roster.students.map((x) => x.studentId)).toEqual(s.students.c7b);
    const row = roster.students[1];
    expect(row.guardians.map((g) => [g.relation, g.consent, g.linked])).toEqual([
      ["мать", true, true],
      ["отец", false, false],
    ]);
    expect(JSON.parse(JSON.stringify(roster))).toEqual(roster);
    await expect(
      classRoster(db.prisma, await s.actor(s.people.russianTeacher), { classId: s.classes.c7b }),
    ).rejects.toSatisfy(code("FORBIDDEN"));
    await expect(classRoster(db.prisma, await s.actor(s.people.mathTeacher), { classId: -1 })).rejects.toSatisfy(
      code("VALIDATION"),
    );
  });
});
