// A teacher's lessons of a day or a week (own and substituted, R-04) with what is filled and what is late
// reported, never blocking), and the administration's list of lessons left unfilled.
import { z } from "zod";
import type { Prisma } from "../../db/generated/client.ts";
import { requirePermission } from "../access/index.ts";
import type { AnyActor } from "../actor.ts";
import { addDays, fromIsoDate, type IsoDate, type LocalMoment, timeToMinutes, toIsoDate, weekStart } from "../dates.ts";
import type { DbOrTx, Tx } from "../tx.ts";
import {
  type ClockOptions,
  fullName,
  initialsName,
  isoDateSchema,
  parseInput,
  requirePerson,
  schoolNow,
} from "./common.ts";

export interface LessonState {
  attendanceTaken: boolean;
  marksCount: number;
  topic: string | null;
  homework: boolean;
}

export interface LessonItem {
  lessonId: number;
  date: IsoDate;
  slot: number;
  startsAt: string | null;
  endsAt: string | null;
  classId: number;
  className: string;
  subgroupNo: number | null;
  subjectName: string;
  subjectShort: string;
  room: string | null;
  status: "SCHEDULED" | "HELD" | "CANCELLED";
  /** The actor teaches this lesson as a granted substitute. */
  substitute: boolean;
  /** The lesson is granted to another teacher (active substitution); `name` is "Фамилия И. О.". */
  substitutedBy: { personId: number; name: string } | null;
  state: LessonState;
  /** Now is within the lesson's bell slot. */
  current: boolean;
  /** the lesson's day has passed and attendance or the topic is still missing. */
  late: boolean;
}

/** What the list queries select for each lesson: one query, relations joined, counts aggregated. */
export const lessonListSelect = {
  id: true,
  date: true,
  slot: true,
  room: true,
  status: true,
  topic: true,
  attendanceTakenAt: true,
  assignment: {
    select: {
      teacherId: true,
      classId: true,
      class: { select: { name: true } },
      subgroup: { select: { number: true } },
      subject: { select: { name: true, short: true } },
      teacher: { select: { lastName: true, firstName: true } },
    },
  },
  substitutions: {
    where: { revokedAt: null },
    select: {
      id: true,
      substituteId: true,
      substitute: { select: { lastName: true, firstName: true, middleName: true } },
    },
    orderBy: { id: "desc" },
    take: 1,
  },
  _count: { select: { marks: { where: { status: "ACTIVE" } }, homework: true } },
} satisfies Prisma.LessonSelect;

export type LessonListRow = Prisma.LessonGetPayload<{ select: typeof lessonListSelect }>;

export type Bells = Map<number, { startsAt: string; endsAt: string }>;

export async function bellsOf(db: DbOrTx, schoolId: number): Promise<Bells> {
  const rows = await db.bellSlot.findMany({
    where: { schoolId },
    select: { number: true, startsAt: true, endsAt: true },
  });
  return new Map(rows.map((b) => [b.number, { startsAt: b.startsAt, endsAt: b.endsAt }]));
}

const bySlot = (a: LessonListRow, b: LessonListRow) =>
  a.date.getTime() - b.date.getTime() || a.slot - b.slot || a.id - b.id;

export function lessonItem(l: LessonListRow, bells: Bells, local: LocalMoment, personId: number): LessonItem {
  const date = toIsoDate(l.date);
  const bell = bells.get(l.slot);
  const a = l.assignment;
  const attendanceTaken = l.attendanceTakenAt !== null;
  const sub = l.substitutions[0];
  const current =
    !!bell &&
    date === local.date &&
    timeToMinutes(bell.startsAt) <= local.minutes &&
    local.minutes < timeToMinutes(bell.endsAt);
  return {
    lessonId: l.id,
    date,
    slot: l.slot,
    startsAt: bell?.startsAt ?? null,
    endsAt: bell?.endsAt ?? null,
    classId: a.classId,
    className: a.class.name,
    subgroupNo: a.subgroup?.number ?? null,
    subjectName: a.subject.name,
    subjectShort: a.subject.short,
    room: l.room,
    status: l.status,
    substitute: a.teacherId !== personId && l.substitutions.some((s) => s.substituteId === personId),
    substitutedBy:
      sub && sub.substituteId !== personId ? { personId: sub.substituteId, name: initialsName(sub.substitute) } : null,
    state: { attendanceTaken, marksCount: l._count.marks, topic: l.topic, homework: l._count.homework > 0 },
    current,
    late: l.status !== "CANCELLED" && date < local.date && (!attendanceTaken || !l.topic),
  };
}

/** Lessons the person teaches (as the teacher, or as an active substitute) in a date range. */
function myLessonsWhere(actor: AnyActor, personId: number, from: IsoDate, to: IsoDate): Prisma.LessonWhereInput {
  const mine: Prisma.LessonWhereInput[] = [{ substitutions: { some: { substituteId: personId, revokedAt: null } } }];
  // own lessons are a teacher's, as in core/access/lessons.ts
  if (!actor.system && actor.roles.includes("TEACHER")) mine.push({ assignment: { teacherId: personId } });
  return { schoolId: actor.schoolId, date: { gte: fromIsoDate(from), lte: fromIsoDate(to) }, OR: mine };
}

const dayInput = z.object({ date: isoDateSchema.optional() }).strict();

/** The actor's lessons of a day (default: today in the school's time zone), ordered by bell. */
export async function teacherDay(
  db: DbOrTx,
  actor: AnyActor,
  input: { date?: IsoDate } = {},
  opts: ClockOptions = {},
): Promise<{ date: IsoDate; today: IsoDate; lessons: LessonItem[] }> {
  const personId = requirePerson(actor);
  const { date: asked } = parseInput(dayInput, input);
  const { local } = await schoolNow(db, actor.schoolId, opts);
  const date = asked ?? local.date;
  const [rows, bells] = await Promise.all([
    db.lesson.findMany({ where: myLessonsWhere(actor, personId, date, date), select: lessonListSelect }),
    bellsOf(db, actor.schoolId),
  ]);
  return { date, today: local.date, lessons: rows.sort(bySlot).map((l) => lessonItem(l, bells, local, personId)) };
}

const weekInput = z.object({ weekOf: isoDateSchema.optional() }).strict();

export interface WeekDay {
  date: IsoDate;
  lessons: LessonItem[];
}

/** The actor's lessons of the week (Monday..Sunday) containing `weekOf` (default: today), grouped by date. */
export async function teacherWeek(
  db: DbOrTx,
  actor: AnyActor,
  input: { weekOf?: IsoDate } = {},
  opts: ClockOptions = {},
): Promise<{ weekStart: IsoDate; today: IsoDate; days: WeekDay[] }> {
  const personId = requirePerson(actor);
  const { weekOf } = parseInput(weekInput, input);
  const { local } = await schoolNow(db, actor.schoolId, opts);
  const monday = weekStart(weekOf ?? local.date);
  const sunday = addDays(monday, 6);
  const [rows, bells] = await Promise.all([
    db.lesson.findMany({ where: myLessonsWhere(actor, personId, monday, sunday), select: lessonListSelect }),
    bellsOf(db, actor.schoolId),
  ]);
  const days: WeekDay[] = Array.from({ length: 7 }, (_, i) => ({ date: addDays(monday, i), lessons: [] }));
  for (const l of rows.sort(bySlot)) {
    const item = lessonItem(l, bells, local, personId);
    days.find((d) => d.date === item.date)?.lessons.push(item);
  }
  return { weekStart: monday, today: local.date, days };
}

export interface UnfilledLesson extends LessonItem {
  teacherId: number;
  teacherName: string;
  substituteId: number | null;
  substituteName: string | null;
  missing: { attendance: boolean; topic: boolean };
}

/** For the administration: lessons of a day that have started and lack attendance or a topic. */
export async function unfilledLessons(
  db: DbOrTx,
  actor: AnyActor,
  input: { date?: IsoDate } = {},
  opts: ClockOptions = {},
): Promise<{ date: IsoDate; lessons: UnfilledLesson[] }> {
  requirePermission(actor, "journal.read.all");
  const { date: asked } = parseInput(dayInput, input);
  const { local } = await schoolNow(db, actor.schoolId, opts);
  const date = asked ?? local.date;
  if (date > local.date) return { date, lessons: [] };
  const [rows, bells] = await Promise.all([
    db.lesson.findMany({
      where: {
        schoolId: actor.schoolId,
        date: fromIsoDate(date),
        status: { not: "CANCELLED" },
        OR: [{ attendanceTakenAt: null }, { topic: null }],
      },
      select: lessonListSelect,
    }),
    bellsOf(db, actor.schoolId),
  ]);
  const lessons: UnfilledLesson[] = [];
  for (const l of rows.sort(bySlot)) {
    const bell = bells.get(l.slot);
    const started = date < local.date || (bell ? timeToMinutes(bell.startsAt) <= local.minutes : true);
    if (!started) continue;
    const sub = l.substitutions[0];
    lessons.push({
      ...lessonItem(l, bells, local, -1),
      teacherId: l.assignment.teacherId,
      teacherName: fullName(l.assignment.teacher),
      substituteId: sub?.substituteId ?? null,
      substituteName: sub ? fullName(sub.substitute) : null,
      missing: { attendance: l.attendanceTakenAt === null, topic: !l.topic },
    });
  }
  return { date, lessons };
}

/**
 * Takes the row lock of a lesson for the rest of the transaction, so that two writers of the same lesson run
 * one after the other. A no-op UPDATE through Prisma is used instead of a raw `SELECT … FOR UPDATE` because
 * raw SQL is not qualified with the client's schema (tests run one schema per file).
 */
export async function lockLesson(tx: Tx, lessonId: number): Promise<void> {
  await tx.lesson.update({ where: { id: lessonId }, data: { slot: { increment: 0 } }, select: { id: true } });
}
