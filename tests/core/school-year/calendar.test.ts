// calendar changes by the administration's order: a quarantine cancels the lessons of its class (and only
// those that hold nothing), families of that class are told, the teacher's day and the family's timetable show it,
// later materialisation skips it; a moved school day follows another weekday's timetable; a day off for all.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, fromIsoDate, localMoment } from "../../../src/core/dates.ts";
import { type ErrorCode, isAppError } from "../../../src/core/errors.ts";
import { studentTimetable } from "../../../src/core/family/student-timetable.ts";
import { teacherDay } from "../../../src/core/journal/lessons.ts";
import { addMarks } from "../../../src/core/journal/marks.ts";
import { materializeLessons } from "../../../src/core/lessons/materialize.ts";
import { changeCalendar } from "../../../src/core/school-year/calendar.ts";
import { parseDateRange } from "../../../src/core/school-year/date-range.ts";
import { translator } from "../../../src/i18n.ts";
import { calendarChangedHandler } from "../../../src/jobs/school-year/calendar-changed.ts";
import { createLogger } from "../../../src/logger.ts";
import { createTestDb, type TestDb } from "../../helpers/db.ts";
import { buildSchool, lessonOf, type TestSchool } from "../../helpers/factories.ts";

const code = (c: ErrorCode) => (e: unknown) => isAppError(e, c);
const order = { number: "50", date: "2026-11-12" };
const ru = translator("ru");

describe("R-34 calendar changes", () => {
  let db: TestDb;
  let s: TestSchool;
  const statuses = (assignmentId: number, from: string, to: string) =>
    db.prisma.lesson
      .findMany({
        where: { assignmentId, date: { gte: fromIsoDate(from), lte: fromIsoDate(to) } },
        orderBy: { date: "asc" },
      })
      .then((ls) => ls.map((l) => l.status));

  beforeAll(async () => {
    db = await createTestDb();
    s = await buildSchool(db.prisma, { today: localMoment("Europe/Moscow").date });
  });
  afterAll(() => db.drop());

  it("R-34: dates typed as a range or one day", () => {
    expect(parseDateRange("16.11.2026–22.11.2026")).toEqual({ from: "2026-11-16", to: "2026-11-22" });
    expect(parseDateRange("16.11.2026 - 18.11.26")).toEqual({ from: "2026-11-16", to: "2026-11-18" });
    expect(parseDateRange("21.11.2026")).toEqual({ from: "2026-11-21", to: "2026-11-21" });
    expect(parseDateRange("22.11.2026–16.11.2026")).toBeNull();
    expect(parseDateRange("завтра")).toBeNull();
  });

  it("R-34: a teacher may not change the calendar, and nothing changes", async () => {
    await expect(
      changeCalendar(db.prisma, await s.actor(s.people.mathTeacher), {
        kind: "HOLIDAY",
        from: s.monday,
        to: s.monday,
        order,
      }),
    ).rejects.toSatisfy(code("FORBIDDEN"));
    expect(await db.prisma.calendarOrder.count()).toBe(0);
    expect(await db.prisma.lesson.count({ where: { status: "CANCELLED" } })).toBe(0);
  });

  it("R-34: a quarantine of 7Б cancels its lessons, keeps one with marks, and the families of 7Б are told", async () => {
    const deputy = await s.actor(s.people.deputy);
    const friday = addDays(s.monday, 4);
    const marked = await lessonOf(db.prisma, s.assignments.algebra7b, s.monday);
    await addMarks(db.prisma, await s.actor(s.people.mathTeacher), {
      lessonId: marked,
      workType: "oral",
      entries: [{ studentId: s.students.c7b[0], value: "5" }],
    });
    // two families of 7Б and one of 8А use the bot
    const bot = await db.prisma.bot.create({ data: { schoolId: s.schoolId, username: "calendar_test_bot" } });
    const linked = [s.students.c7b[0], s.students.c7b[1], s.students.c8a[0]].map((st) => s.guardians.get(st)![0]);
    for (const [i, personId] of linked.entries()) {
      await db.prisma.messengerAccount.create({
        data: { schoolId: s.schoolId, personId, botId: bot.id, telegramUserId: 9000 + i, chatId: 9000 + i },
      });
    }

    const res = await changeCalendar(db.prisma, deputy, {
      kind: "QUARANTINE",
      from: s.monday,
      to: addDays(s.monday, 18),
      classId: s.classes.c7b,
      note: "ОРВИ",
      order,
    });
    // 7Б has 4 lessons a day (algebra, russian, two English groups); Mon–Fri of this week and the next exist
    expect(res).toMatchObject({ className: "7Б", cancelled: 4 * 10 - 1, kept: 1, scheduled: 0 });
    expect(await statuses(s.assignments.algebra7b, s.monday, friday)).toEqual([
      "SCHEDULED",
      "CANCELLED",
      "CANCELLED",
      "CANCELLED",
      "CANCELLED",
    ]);
    expect(await statuses(s.assignments.algebra8a, s.monday, friday)).toEqual(Array(5).fill("SCHEDULED"));
    expect(await statuses(s.assignments.algebra7b, addDays(s.monday, 7), addDays(s.monday, 11))).toEqual(
      Array(5).fill("CANCELLED"),
    );
    // later materialisation of the week after leaves 7Б out
    await materializeLessons(db.prisma, s.schoolId, addDays(s.monday, 14), addDays(s.monday, 18));
    expect(await statuses(s.assignments.algebra7b, addDays(s.monday, 14), addDays(s.monday, 18))).toEqual([]);
    expect(await statuses(s.assignments.algebra8a, addDays(s.monday, 14), addDays(s.monday, 18))).toHaveLength(5);

    // the teacher's day and the family's week show it
    const day = await teacherDay(db.prisma, await s.actor(s.people.mathTeacher), { date: addDays(s.monday, 1) });
    expect(day.lessons.map((l) => [l.className, l.status])).toEqual([
      ["7Б", "CANCELLED"],
      ["8А", "SCHEDULED"],
    ]);
    const family = { personId: linked[0], schoolId: s.schoolId, roles: [] };
    const week = await studentTimetable(db.prisma, family, { studentId: s.students.c7b[0], weekOf: s.monday });
    expect(week.days.slice(0, 5).map((d) => d.dayOff)).toEqual(Array(5).fill("QUARANTINE"));
    expect(week.days[0].note).toBe("ОРВИ");
    const other = { personId: linked[2], schoolId: s.schoolId, roles: [] };
    const week8a = await studentTimetable(db.prisma, other, { studentId: s.students.c8a[0], weekOf: s.monday });
    expect(week8a.days.map((d) => d.dayOff)).toEqual(Array(7).fill(null));

    // one outbox row in the same transaction, and the families of 7Б only are told
    const row = await db.prisma.outbox.findFirstOrThrow({ where: { kind: "calendar.changed" } });
    expect(row.payload).toEqual({ orderId: res.orderId });
    const messages = await calendarChangedHandler.handle(row, {
      db: db.prisma,
      now: new Date(),
      logger: createLogger("silent"),
    });
    expect(messages.map((m) => m.personId)).toEqual([linked[0], linked[1]]);
    const render = messages[0].render as { key: string; params: Record<string, unknown> };
    expect(ru(render.key, render.params)).toMatch(
      /^😷 Карантин в 7Б с \d\d\.\d\d\.\d{4} по \d\d\.\d\d\.\d{4}: уроки класса отменены \(ОРВИ\)\. Приказ № 50 от 12\.11\.2026\.$/,
    );
    const audit = await db.prisma.auditEvent.findFirstOrThrow({ where: { action: "calendar.change" } });
    expect(audit.data).toMatchObject({ kind: "QUARANTINE", classId: s.classes.c7b, cancelled: 39, kept: 1 });
  });

  it("R-34: a Saturday works on Monday's timetable", async () => {
    const saturday = addDays(s.monday, 5);
    const res = await changeCalendar(db.prisma, await s.actor(s.people.director), {
      kind: "WORKDAY",
      from: saturday,
      to: saturday,
      weekdayAs: 1,
      order,
    });
    // Monday's timetable has 7 entries; the 4 of 7Б, under quarantine, stay without lessons
    expect(res.scheduled).toBe(3);
    const day = await db.prisma.calendarDay.findUniqueOrThrow({
      where: { schoolId_date: { schoolId: s.schoolId, date: fromIsoDate(saturday) } },
    });
    expect(day).toMatchObject({ kind: "WORKDAY", weekdayAs: 1 });
    const russian = await teacherDay(db.prisma, await s.actor(s.people.russianTeacher), { date: saturday });
    expect(russian.lessons.map((l) => `${l.slot} ${l.className}`)).toEqual(["1 8А", "3 2А"]);
  });

  it("R-34: a weekday off for the whole school cancels every empty lesson of the day", async () => {
    const thursday = addDays(s.monday, 3);
    const res = await changeCalendar(db.prisma, await s.actor(s.people.deputy), {
      kind: "HOLIDAY",
      from: thursday,
      to: thursday,
      order,
    });
    expect(res.className).toBeNull();
    expect(
      await db.prisma.lesson.count({
        where: { schoolId: s.schoolId, date: fromIsoDate(thursday), status: "SCHEDULED" },
      }),
    ).toBe(0);
    await expect(
      changeCalendar(db.prisma, await s.actor(s.people.deputy), {
        kind: "HOLIDAY",
        from: thursday,
        to: addDays(thursday, 40),
        order,
      }),
    ).rejects.toSatisfy(code("VALIDATION"));
  });
});
