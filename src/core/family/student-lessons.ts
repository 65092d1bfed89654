// The lessons a student sits in over a date range, with bells, subject, teacher, a substitute if one was granted
// and whether the lesson differs from the regular timetable. A fixed number of queries for any range.
import { fromIsoDate, type IsoDate, isoWeekday, toIsoDate } from "../dates.ts";
import { fullName } from "../journal/common.ts";
import type { DbOrTx } from "../tx.ts";
import { attends, type StudentScope } from "./student-scope.ts";

export interface StudentLesson {
  lessonId: number;
  date: IsoDate;
  slot: number;
  startsAt: string | null;
  endsAt: string | null;
  subjectId: number;
  subjectName: string;
  subjectShort: string;
  teacherName: string;
  room: string | null;
  status: "SCHEDULED" | "HELD" | "CANCELLED";
  topic: string | null;
  /** A granted substitution: the substitute's name. */
  substitute: string | null;
  /** Not in the regular timetable at this date and bell (moved or added). */
  changed: boolean;
  /** In the timetable, but in another room today. */
  roomChanged: boolean;
}

export async function studentLessons(
  db: DbOrTx,
  schoolId: number,
  scope: StudentScope,
  from: IsoDate,
  to: IsoDate,
): Promise<StudentLesson[]> {
  if (scope.classIds.length === 0) return [];
  const span = { gte: fromIsoDate(from), lte: fromIsoDate(to) };
  const [lessons, bells, entries] = await Promise.all([
    db.lesson.findMany({
      where: { schoolId, date: span, assignment: { classId: { in: scope.classIds } } },
      select: {
        id: true,
        date: true,
        slot: true,
        room: true,
        status: true,
        topic: true,
        assignmentId: true,
        assignment: {
          select: {
            classId: true,
            subgroupId: true,
            subject: { select: { id: true, name: true, short: true } },
            teacher: { select: { lastName: true, firstName: true, middleName: true } },
          },
        },
        substitutions: {
          where: { revokedAt: null },
          orderBy: { createdAt: "desc" },
          take: 1,
          select: { substitute: { select: { lastName: true, firstName: true, middleName: true } } },
        },
      },
      orderBy: [{ date: "asc" }, { slot: "asc" }],
    }),
    db.bellSlot.findMany({ where: { schoolId }, select: { number: true, startsAt: true, endsAt: true } }),
    db.timetableEntry.findMany({
      where: {
        schoolId,
        assignment: { classId: { in: scope.classIds } },
        validFrom: { lte: fromIsoDate(to) },
        OR: [{ validTo: null }, { validTo: { gt: fromIsoDate(from) } }],
      },
      select: { assignmentId: true, weekday: true, slot: true, room: true, validFrom: true, validTo: true },
    }),
  ]);
  const bell = new Map(bells.map((b) => [b.number, b]));
  const teacherName = (p: { lastName: string; firstName: string; middleName: string | null }) =>
    p.middleName ? `${fullName(p)} ${p.middleName}` : fullName(p);
  const out: StudentLesson[] = [];
  for (const l of lessons) {
    const date = toIsoDate(l.date);
    const a = l.assignment;
    if (!attends(scope, { classId: a.classId, subgroupId: a.subgroupId, date })) continue;
    const entry = entries.find(
      (e) =>
        e.assignmentId === l.assignmentId &&
        e.weekday === isoWeekday(date) &&
        e.slot === l.slot &&
        toIsoDate(e.validFrom) <= date &&
        (e.validTo === null || toIsoDate(e.validTo) > date),
    );
    const sub = l.substitutions[0]?.substitute;
    out.push({
      lessonId: l.id,
      date,
      slot: l.slot,
      startsAt: bell.get(l.slot)?.startsAt ?? null,
      endsAt: bell.get(l.slot)?.endsAt ?? null,
      subjectId: a.subject.id,
      subjectName: a.subject.name,
      subjectShort: a.subject.short,
      teacherName: teacherName(a.teacher),
      room: l.room,
      status: l.status,
      topic: l.topic,
      substitute: sub ? teacherName(sub) : null,
      changed: !entry,
      roomChanged: !!entry && (entry.room ?? null) !== (l.room ?? null),
    });
  }
  return out;
}
