// A student's week for the family: the lessons of each day with bells, rooms, cancellations, substitutions
// and changes against the regular timetable, and days off from the school calendar.
import { z } from "zod";
import type { AnyActor } from "../actor.ts";
import { addDays, fromIsoDate, type IsoDate, isoWeekday, toIsoDate, weekStart } from "../dates.ts";
import { idSchema, isoDateSchema, parseInput } from "../journal/common.ts";
import type { Db } from "../tx.ts";
import { familyAccess, logFamilyView } from "./family-read.ts";
import { type StudentLesson, studentLessons } from "./student-lessons.ts";
import { loadStudentScope } from "./student-scope.ts";

export interface TimetableDay {
  date: IsoDate;
  weekday: number;
  /** HOLIDAY or QUARANTINE from the school calendar; null on an ordinary day. */
  dayOff: "HOLIDAY" | "QUARANTINE" | null;
  note: string | null;
  lessons: StudentLesson[];
}

export interface StudentTimetableResult {
  studentId: number;
  weekStart: IsoDate;
  days: TimetableDay[];
}

export async function studentTimetable(
  db: Db,
  actor: AnyActor,
  input: { studentId: number; weekOf: IsoDate },
): Promise<StudentTimetableResult> {
  const reader = await familyAccess(db, actor, Number(input?.studentId), "timetable");
  const { studentId, weekOf } = parseInput(z.object({ studentId: idSchema, weekOf: isoDateSchema }), input);
  await logFamilyView(db, actor, reader);
  const monday = weekStart(weekOf);
  const sunday = addDays(monday, 6);
  const scope = await loadStudentScope(db, actor.schoolId, studentId, monday, sunday);
  const [lessons, calendar, quarantines] = await Promise.all([
    studentLessons(db, actor.schoolId, scope, monday, sunday),
    db.calendarDay.findMany({
      where: { schoolId: actor.schoolId, date: { gte: fromIsoDate(monday), lte: fromIsoDate(sunday) } },
      select: { date: true, kind: true, note: true },
    }),
    // a quarantine of the student's own class
    db.calendarOrder.findMany({
      where: {
        schoolId: actor.schoolId,
        kind: "QUARANTINE",
        classId: { in: scope.classIds },
        fromDate: { lte: fromIsoDate(sunday) },
        toDate: { gte: fromIsoDate(monday) },
      },
      select: { classId: true, fromDate: true, toDate: true, note: true },
    }),
  ]);
  const quarantineOn = (date: IsoDate) =>
    quarantines.find(
      (q) =>
        toIsoDate(q.fromDate) <= date &&
        toIsoDate(q.toDate) >= date &&
        scope.classes.some((c) => c.classId === q.classId && c.from <= date && (c.to === null || c.to > date)),
    );
  const special = new Map(calendar.map((c) => [toIsoDate(c.date), c]));
  const days: TimetableDay[] = [];
  for (let i = 0; i < 7; i++) {
    const date = addDays(monday, i);
    const c = special.get(date);
    const q = quarantineOn(date);
    days.push({
      date,
      weekday: isoWeekday(date),
      dayOff: c && c.kind !== "WORKDAY" ? c.kind : q ? "QUARANTINE" : null,
      note: c?.note ?? q?.note ?? null,
      lessons: lessons.filter((l) => l.date === date),
    });
  }
  return { studentId, weekStart: monday, days };
}
