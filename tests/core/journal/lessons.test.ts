import { PrismaPg } from "@prisma/adapter-pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, localMoment, zonedInstant } from "../../../src/core/dates.ts";
import { isAppError } from "../../../src/core/errors.ts";
import { saveAttendance } from "../../../src/core/journal/attendance.ts";
import { lessonCard } from "../../../src/core/journal/lesson-card.ts";
import { teacherDay, teacherWeek, unfilledLessons } from "../../../src/core/journal/lessons.ts";
import { grantSubstitution, revokeSubstitution } from "../../../src/core/journal/substitutions.ts";
import { PrismaClient } from "../../../src/db/generated/client.ts";
import { createTestDb, type TestDb } from "../../helpers/db.ts";
import { buildSchool, lessonOf, type TestSchool } from "../../helpers/factories.ts";

const TZ = "Europe/Moscow";

describe("teacher's day and week", () => {
  let db: TestDb;
  let s: TestSchool;
  let lastWeek: string;
  beforeAll(async () => {
    db = await createTestDb();
    s = await buildSchool(db.prisma, { today: localMoment(TZ).date });
    lastWeek = addDays(s.monday, -7);
  });
  afterAll(() => db.drop());

  it("lists own lessons of a day by bell, with bell times and what is filled (R-02)", async () => {
    const math = await s.actor(s.people.mathTeacher);
    const day = await teacherDay(db.prisma, math, { date: lastWeek });
    expect(day.lessons.map((l) => [l.className, l.slot, l.subjectShort])).toEqual([
      ["7Б", 1, "Алг"],
      ["8А", 2, "Алг"],
    ]);
    expect(day.lessons[0]).toMatchObject({ startsAt: "08:30", endsAt: "09:15", substitute: false, room: "101" });
    expect(day.lessons[0].state).toEqual({ attendanceTaken: false, marksCount: 0, topic: null, homework: false });
    const eng = await teacherDay(db.prisma, await s.actor(s.people.englishTeacher1), { date: lastWeek });
    expect(eng.lessons.map((l) => [l.className, l.subgroupNo])).toEqual([["7Б", 1]]);
    const none = await teacherDay(db.prisma, await s.actor(s.people.otherTeacher), { date: lastWeek });
    expect(none.lessons).toEqual([]);
    expect(JSON.parse(JSON.stringify(day))).toEqual(day);
  });

  it("R-11 flags a past lesson without attendance or topic as late, and clears it when filled", async () => {
    const math = await s.actor(s.people.mathTeacher);
    const date = addDays(lastWeek, 1);
    const before = await teacherDay(db.prisma, math, { date });
    expect(before.lessons.every((l) => l.late)).toBe(true);
    const lessonId = await lessonOf(db.prisma, s.assignments.algebra7b, date);
    await saveAttendance(db.prisma, math, { lessonId, absent: [s.students.c7b[0]], late: [] });
    const half = await teacherDay(db.prisma, math, { date });
    expect(half.lessons[0]).toMatchObject({ late: true, state: { attendanceTaken: true } });
    await db.prisma.lesson.update({ where: { id: lessonId }, data: { topic: "Линейные уравнения" } });
    const after = await teacherDay(db.prisma, math, { date });
    expect(after.lessons[0]).toMatchObject({ late: false, state: { topic: "Линейные уравнения" } });
    expect(after.lessons[1].late).toBe(true);
  });

  it("marks the lesson in progress as current and a today's lesson is never late", async () => {
    const math = await s.actor(s.people.mathTeacher);
    const date = s.monday;
    const now = zonedInstant(TZ, date, "08:40");
    const day = await teacherDay(db.prisma, math, {}, { now });
    expect(day.date).toBe(date);
    expect(day.lessons.map((l) => l.current)).toEqual([true, false]);
    expect(day.lessons.some((l) => l.late)).toBe(false);
  });

  it("groups the week by date, Monday to Sunday", async () => {
    const week = await teacherWeek(db.prisma, await s.actor(s.people.russianTeacher), { weekOf: addDays(lastWeek, 3) });
    expect(week.weekStart).toBe(lastWeek);
    expect(week.days.map((d) => d.lessons.length)).toEqual([3, 3, 3, 3, 3, 0, 0]);
    expect(week.days[2].lessons.map((l) => l.className)).toEqual(["8А", "7Б", "2А"]);
  });

  it("R-04 shows a substituted lesson in the substitute's day", async () => {
    const deputy = await s.actor(s.people.deputy);
    const date = addDays(lastWeek, 2);
    const lessonId = await lessonOf(db.prisma, s.assignments.russian8a, date);
    await grantSubstitution(db.prisma, deputy, { lessonId, substituteId: s.people.otherTeacher });
    const day = await teacherDay(db.prisma, await s.actor(s.people.otherTeacher), { date });
    expect(day.lessons).toHaveLength(1);
    expect(day.lessons[0]).toMatchObject({ lessonId, substitute: true, className: "8А", substitutedBy: null });
  });

  it("the regular teacher's day and week show a lesson handed to a substitute, with who took it", async () => {
    const deputy = await s.actor(s.people.deputy);
    const russian = await s.actor(s.people.russianTeacher);
    const date = addDays(lastWeek, 3);
    const lessonId = await lessonOf(db.prisma, s.assignments.russian7b, date);
    await grantSubstitution(db.prisma, deputy, { lessonId, substituteId: s.people.englishTeacher2 });
    const grant = await grantSubstitution(db.prisma, deputy, { lessonId, substituteId: s.people.otherTeacher });
    const day = await teacherDay(db.prisma, russian, { date });
    const handed = day.lessons.find((l) => l.lessonId === lessonId);
    // the latest active grant is the one shown
    expect(handed).toMatchObject({
      substitute: false,
      substitutedBy: { personId: s.people.otherTeacher, name: "Посторонний И. Т." },
    });
    expect(day.lessons.filter((l) => l.lessonId !== lessonId).every((l) => l.substitutedBy === null)).toBe(true);
    const week = await teacherWeek(db.prisma, russian, { weekOf: date });
    const inWeek = week.days.flatMap((d) => d.lessons).find((l) => l.lessonId === lessonId);
    expect(inWeek?.substitutedBy).toEqual({ personId: s.people.otherTeacher, name: "Посторонний И. Т." });
    const sub = await teacherDay(db.prisma, await s.actor(s.people.otherTeacher), { date });
    expect(sub.lessons.find((l) => l.lessonId === lessonId)).toMatchObject({ substitute: true, substitutedBy: null });
    await revokeSubstitution(db.prisma, deputy, { substitutionId: grant.substitutionId });
    const back = await teacherDay(db.prisma, russian, { date });
    expect(back.lessons.find((l) => l.lessonId === lessonId)?.substitutedBy).toBeNull();
  });

  it("lists unfilled lessons for the administration only, with the teacher's name", async () => {
    const deputy = await s.actor(s.people.deputy);
    const now = zonedInstant(TZ, s.monday, "09:30");
    const res = await unfilledLessons(db.prisma, deputy, { date: s.monday }, { now });
    // started by 09:30: bells 1 and 2 → 7Б алг, 7Б рус, 8А рус, 8А алг
    expect(res.lessons.map((l) => l.slot)).toEqual([1, 1, 2, 2]);
    expect(res.lessons.find((l) => l.className === "7Б" && l.slot === 1)).toMatchObject({
      teacherName: "Математиков Пётр",
      missing: { attendance: true, topic: true },
    });
    const past = await unfilledLessons(db.prisma, deputy, { date: lastWeek }, { now });
    expect(past.lessons).toHaveLength(7);
    await expect(unfilledLessons(db.prisma, await s.actor(s.people.mathTeacher), {})).rejects.toSatisfy((e) =>
      isAppError(e, "FORBIDDEN"),
    );
    await expect(teacherDay(db.prisma, await s.actor(s.people.mathTeacher), { date: "2026-13-01" })).rejects.toSatisfy(
      (e) => isAppError(e, "VALIDATION"),
    );
  });

  it("reads a teacher's day/week and a lesson card in a fixed number of SQL statements, whatever the size (no N+1)", async () => {
    const big = await buildSchool(db.prisma, { today: localMoment(TZ).date, studentsPerClass: 30 });
    const counted = new PrismaClient({
      adapter: new PrismaPg({ connectionString: db.url }, { schema: db.schema }),
      log: [{ emit: "event", level: "query" }],
    });
    let statements = 0;
    counted.$on("query", () => {
      statements++;
    });
    const measure = async (fn: () => Promise<unknown>) => {
      statements = 0;
      await fn();
      return statements;
    };
    const math = await s.actor(s.people.mathTeacher);
    const day = await measure(() => teacherDay(counted, math, { date: lastWeek }));
    const week = await measure(() => teacherWeek(counted, math, { weekOf: lastWeek }));
    expect(week).toBe(day);
    const small = await measure(async () =>
      lessonCard(counted, math, { lessonId: await lessonOf(db.prisma, s.assignments.algebra7b, lastWeek) }),
    );
    const bigMath = await big.actor(big.people.mathTeacher);
    const bigLesson = await lessonOf(db.prisma, big.assignments.algebra7b, lastWeek);
    await saveAttendance(db.prisma, bigMath, { lessonId: bigLesson, absent: big.students.c7b.slice(0, 10), late: [] });
    const large = await measure(() => lessonCard(counted, bigMath, { lessonId: bigLesson }));
    expect((await lessonCard(db.prisma, bigMath, { lessonId: bigLesson })).students).toHaveLength(30);
    expect(large).toBe(small);
    expect(small).toBeLessThan(20);
    await counted.$disconnect();
  });
});
