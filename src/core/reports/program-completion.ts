// R-19 program completion, for the filling-control report: per assignment, the thematic plan's hours
// against the lessons given with a topic up to a date, and the lessons scheduled by then (so a lag shows before
// the end of the year). Topics given ÷ planned hours, as a share; null without a plan.
import { can } from "../access/permissions.ts";
import type { AnyActor } from "../actor.ts";
import { fromIsoDate, type IsoDate, isIsoDate } from "../dates.ts";
import { forbidden, invalid } from "../errors.ts";
import { fullName } from "../journal/common.ts";
import type { DbOrTx } from "../tx.ts";

export interface ProgramCompletionInput {
  /** Counted up to this date (inclusive): usually today, or a period's end. */
  to: IsoDate;
  /** From this date (default: the start of the assignments' year). */
  from?: IsoDate;
  classId?: number;
  teacherId?: number;
}

export interface ProgramCompletionRow {
  assignmentId: number;
  className: string;
  subgroupNo: number | null;
  subjectName: string;
  teacherId: number;
  teacherName: string;
  /** Plan items and their hours. */
  planItems: number;
  plannedHours: number;
  /** Lessons held (not cancelled) up to the date, and of them those with a topic. */
  lessonsScheduled: number;
  topicsGiven: number;
  /** Distinct plan items some lesson was given on. */
  planItemsCovered: number;
  /** topicsGiven ÷ plannedHours (0..1+, 4 decimals); null without a plan. */
  completion: number | null;
  /** lessonsScheduled − topicsGiven: lessons held without a topic so far. */
  behind: number;
}

/**
 * program completion by assignment. The administration (report.school) sees the school; a teacher
 * their own assignments only.
 */
export async function programCompletion(
  db: DbOrTx,
  actor: AnyActor,
  input: ProgramCompletionInput,
): Promise<ProgramCompletionRow[]> {
  const all = can(actor, "report.school");
  if (!all && (actor.system || !actor.roles.includes("TEACHER"))) throw forbidden({ report: "program-completion" });
  if (!isIsoDate(input?.to) || (input.from !== undefined && !isIsoDate(input.from))) {
    throw invalid({ to: input?.to, from: input?.from });
  }
  const to = fromIsoDate(input.to);
  const assignments = await db.teachingAssignment.findMany({
    where: {
      schoolId: actor.schoolId,
      year: { startsOn: { lte: to }, endsOn: { gte: input.from ? fromIsoDate(input.from) : to } },
      ...(input.classId ? { classId: input.classId } : {}),
      ...(all ? (input.teacherId ? { teacherId: input.teacherId } : {}) : { teacherId: actor.personId as number }),
    },
    select: {
      id: true,
      teacherId: true,
      teacher: { select: { lastName: true, firstName: true } },
      class: { select: { name: true, grade: true } },
      subgroup: { select: { number: true } },
      subject: { select: { name: true } },
      planItems: { select: { id: true, hours: true } },
    },
  });
  const ids = assignments.map((a) => a.id);
  const lessons = await db.lesson.findMany({
    where: {
      schoolId: actor.schoolId,
      assignmentId: { in: ids },
      status: { not: "CANCELLED" },
      date: { lte: to, ...(input.from ? { gte: fromIsoDate(input.from) } : {}) },
    },
    select: { assignmentId: true, topic: true, planItemId: true },
  });
  const stats = new Map<number, { scheduled: number; given: number; covered: Set<number> }>();
  for (const l of lessons) {
    const s = stats.get(l.assignmentId) ?? { scheduled: 0, given: 0, covered: new Set<number>() };
    s.scheduled++;
    if (l.topic) s.given++;
    if (l.planItemId) s.covered.add(l.planItemId);
    stats.set(l.assignmentId, s);
  }
  return assignments
    .map((a): ProgramCompletionRow & { grade: number } => {
      const s = stats.get(a.id) ?? { scheduled: 0, given: 0, covered: new Set<number>() };
      const plannedHours = a.planItems.reduce((n, p) => n + p.hours, 0);
      return {
        grade: a.class.grade,
        assignmentId: a.id,
        className: a.class.name,
        subgroupNo: a.subgroup?.number ?? null,
        subjectName: a.subject.name,
        teacherId: a.teacherId,
        teacherName: fullName(a.teacher),
        planItems: a.planItems.length,
        plannedHours,
        lessonsScheduled: s.scheduled,
        topicsGiven: s.given,
        planItemsCovered: s.covered.size,
        completion: plannedHours > 0 ? Math.round((s.given / plannedHours) * 10_000) / 10_000 : null,
        behind: s.scheduled - s.given,
      };
    })
    .sort(
      (x, y) =>
        x.grade - y.grade ||
        x.className.localeCompare(y.className, "ru") ||
        x.subjectName.localeCompare(y.subjectName, "ru") ||
        (x.subgroupNo ?? 0) - (y.subgroupNo ?? 0),
    )
    .map(({ grade: _g, ...row }) => row);
}
