// Creates the concrete Lesson rows of a date range from the timetable. Idempotent: an existing lesson
// (same assignment, date and bell) is left as it is, so marks and attendance are never touched.
import { addDays, fromIsoDate, type IsoDate, isoWeekday, toIsoDate } from "../dates.ts";
import type { Db } from "../tx.ts";

export interface MaterializeResult {
  created: number;
}

export async function materializeLessons(
  db: Db,
  schoolId: number,
  from: IsoDate,
  to: IsoDate,
): Promise<MaterializeResult> {
  const [entries, calendar, quarantines] = await Promise.all([
    db.timetableEntry.findMany({
      where: {
        schoolId,
        validFrom: { lte: fromIsoDate(to) },
        OR: [{ validTo: null }, { validTo: { gt: fromIsoDate(from) } }],
        assignment: { endedAt: null },
      },
      select: {
        assignmentId: true,
        weekday: true,
        slot: true,
        room: true,
        validFrom: true,
        validTo: true,
        assignment: { select: { classId: true } },
      },
    }),
    db.calendarDay.findMany({ where: { schoolId, date: { gte: fromIsoDate(from), lte: fromIsoDate(to) } } }),
    // a quarantine of one class lives in its order only, not in the school's calendar
    db.calendarOrder.findMany({
      where: {
        schoolId,
        kind: "QUARANTINE",
        classId: { not: null },
        fromDate: { lte: fromIsoDate(to) },
        toDate: { gte: fromIsoDate(from) },
      },
      select: { classId: true, fromDate: true, toDate: true },
    }),
  ]);
  const closed = (classId: number, date: IsoDate) =>
    quarantines.some((q) => q.classId === classId && toIsoDate(q.fromDate) <= date && toIsoDate(q.toDate) >= date);
  const special = new Map(calendar.map((d) => [toIsoDate(d.date), d]));
  const rows: { schoolId: number; assignmentId: number; date: Date; slot: number; room: string | null }[] = [];
  for (let date = from; date <= to; date = addDays(date, 1)) {
    const day = special.get(date);
    if (day && day.kind !== "WORKDAY") continue; // holiday or quarantine
    const weekday = day?.weekdayAs ?? isoWeekday(date);
    for (const e of entries) {
      if (e.weekday !== weekday) continue;
      if (toIsoDate(e.validFrom) > date || (e.validTo && toIsoDate(e.validTo) <= date)) continue;
      if (closed(e.assignment.classId, date)) continue;
      rows.push({ schoolId, assignmentId: e.assignmentId, date: fromIsoDate(date), slot: e.slot, room: e.room });
    }
  }
  if (rows.length === 0) return { created: 0 };
  const res = await db.lesson.createMany({ data: rows, skipDuplicates: true });
  return { created: res.count };
}
