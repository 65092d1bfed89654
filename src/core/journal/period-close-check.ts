// what the administration checks before closing a period: lessons held without a topic,
// students without a term mark, marks entered late (R-11 on the lesson's day, R-12 written work within
// `writtenWorkDays`) and term marks entered after the deadline. Counts and the first few of each, for a summary.
import { z } from "zod";
import { can } from "../access/permissions.ts";
import type { AnyActor } from "../actor.ts";
import { fromIsoDate, type IsoDate, toIsoDate } from "../dates.ts";
import { forbidden } from "../errors.ts";
import type { Db } from "../tx.ts";
import { type ClockOptions, fullName, idSchema, parseInput, schoolNow } from "./common.ts";
import { listPeriods, loadPeriod, type PeriodInfo } from "./periods.ts";
import { type TermGradeGap, termGradeDeadline, termGradeDeadlines } from "./term-grades.ts";

/** How many of each list the check returns (the summary shows these; the counts are complete). */
export const CHECK_SAMPLE = 5;

export interface CheckLesson {
  lessonId: number;
  date: IsoDate;
  className: string;
  subjectName: string;
  teacherName: string;
}

export interface CheckLateMark {
  markId: number;
  date: IsoDate;
  enteredOn: IsoDate;
  className: string;
  subjectName: string;
  teacherName: string;
}

export interface PeriodCloseCheck {
  period: PeriodInfo;
  deadline: IsoDate;
  lessonsWithoutTopic: { count: number; first: CheckLesson[] };
  /** Assignments with students still missing a term mark; `count` is the number of students × subjects. */
  missingTermGrades: { count: number; assignments: number; first: TermGradeGap[] };
  lateMarks: { count: number; first: CheckLateMark[] };
  lateTermGrades: { count: number };
  /** Nothing above: the period can be closed with a clean record. */
  clean: boolean;
}

interface LateMarkRow {
  id: number;
  date: string;
  entered: string;
  total: bigint;
}

/** The check before closing (permission period.close). Lessons are counted up to today or the period's end. */
export async function periodCloseCheck(
  db: Db,
  actor: AnyActor,
  input: { periodId: number },
  opts: ClockOptions = {},
): Promise<PeriodCloseCheck> {
  if (!can(actor, "period.close")) throw forbidden({ permission: "period.close" });
  const { periodId } = parseInput(z.object({ periodId: idSchema }), input);
  const period = await loadPeriod(db, actor.schoolId, periodId);
  const { school, local } = await schoolNow(db, actor.schoolId, opts);
  // biome-ignore lint/complexity/useMathMinMax: ISO date strings, compared as text
  const to = local.date < period.endsOn ? local.date : period.endsOn;
  const range = { gte: fromIsoDate(period.startsOn), lte: fromIsoDate(to) };
  const noTopic = { schoolId: actor.schoolId, date: range, status: { not: "CANCELLED" as const }, topic: null };
  const lessonSelect = {
    id: true,
    date: true,
    assignment: {
      select: {
        class: { select: { name: true } },
        subject: { select: { name: true } },
        teacher: { select: { lastName: true, firstName: true } },
      },
    },
  } as const;
  const written = school.settings.workTypes.filter((w) => w.written).map((w) => w.code);
  const [withoutTopicCount, withoutTopic, gaps, lateRows, lateTermGrades] = await Promise.all([
    db.lesson.count({ where: noTopic }),
    db.lesson.findMany({
      where: noTopic,
      orderBy: [{ date: "asc" }, { slot: "asc" }, { id: "asc" }],
      take: CHECK_SAMPLE,
      select: lessonSelect,
    }),
    termGradeDeadlines(db, actor, { periodId }, opts),
    // A first entry (not a correction) dated in the school's zone after its lesson's day, or for written work
    // after `writtenWorkDays`.
    db.$queryRaw<LateMarkRow[]>`
      SELECT m.id, m.date::text AS date,
             ((m."createdAt" AT TIME ZONE 'UTC') AT TIME ZONE ${school.timezone})::date::text AS entered,
             COUNT(*) OVER () AS total
      FROM "Mark" m
      WHERE m."schoolId" = ${actor.schoolId} AND m."supersedesId" IS NULL AND m.status <> 'VOIDED'
        AND m.date BETWEEN ${fromIsoDate(period.startsOn)}::date AND ${fromIsoDate(period.endsOn)}::date
        AND ((m."createdAt" AT TIME ZONE 'UTC') AT TIME ZONE ${school.timezone})::date >
            m.date + CASE WHEN m."workType" = ANY(${written}::text[]) THEN ${school.settings.writtenWorkDays}::int ELSE 0 END
      ORDER BY m.date, m.id
      LIMIT ${CHECK_SAMPLE}`,
    db.termGrade.count({ where: { schoolId: actor.schoolId, periodId, late: true } }),
  ]);
  const lateMarkInfo = await db.mark.findMany({
    where: { id: { in: lateRows.map((r) => r.id) } },
    select: {
      id: true,
      lesson: { select: lessonSelect },
    },
  });
  const infoOf = new Map(lateMarkInfo.map((m) => [m.id, m.lesson.assignment]));
  const lesson = (l: (typeof withoutTopic)[number]): CheckLesson => ({
    lessonId: l.id,
    date: toIsoDate(l.date),
    className: l.assignment.class.name,
    subjectName: l.assignment.subject.name,
    teacherName: fullName(l.assignment.teacher),
  });
  const lateMarks = lateRows.map((r): CheckLateMark => {
    const a = infoOf.get(r.id);
    return {
      markId: r.id,
      date: r.date,
      enteredOn: r.entered,
      className: a?.class.name ?? "",
      subjectName: a?.subject.name ?? "",
      teacherName: a ? fullName(a.teacher) : "",
    };
  });
  const missing = gaps.assignments.reduce((n, g) => n + g.missing, 0);
  const lateCount = Number(lateRows[0]?.total ?? 0);
  return {
    period,
    deadline: termGradeDeadline(period, school.settings),
    lessonsWithoutTopic: { count: withoutTopicCount, first: withoutTopic.map(lesson) },
    missingTermGrades: {
      count: missing,
      assignments: gaps.assignments.length,
      first: gaps.assignments.slice(0, CHECK_SAMPLE),
    },
    lateMarks: { count: lateCount, first: lateMarks },
    lateTermGrades: { count: lateTermGrades },
    clean: withoutTopicCount === 0 && missing === 0 && lateCount === 0 && lateTermGrades === 0,
  };
}

export interface PeriodsOverview {
  periods: PeriodInfo[];
  current: number | null;
}

/** /periods: the periods of the open year with their state, for who may close them (period.close). */
export async function periodsOverview(db: Db, actor: AnyActor): Promise<PeriodsOverview> {
  if (!can(actor, "period.close")) throw forbidden({ permission: "period.close" });
  const year = await db.academicYear.findFirst({
    where: { schoolId: actor.schoolId, closedAt: null },
    orderBy: { startsOn: "desc" },
    select: { id: true },
  });
  if (!year) return { periods: [], current: null };
  const { periods, current } = await listPeriods(db, actor, { yearId: year.id });
  const ordered = [...periods].sort(
    (a, b) => Number(a.kind === "YEAR") - Number(b.kind === "YEAR") || a.startsOn.localeCompare(b.startsOn),
  );
  return { periods: ordered, current };
}
