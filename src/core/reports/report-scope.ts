// What a report covers (R-26..R-28): a span of time (a week, a month, a period or the year, around a date)
// and a scope (the school, a parallel, a class, a subject or a teacher). Resolving both is the first step of
// every report function: it is where access is decided — the administration for any scope of its school, a
// class teacher for their own class only — and where the scope becomes plain id sets to filter by.
import { requireClassManage } from "../access/classes.ts";
import { can } from "../access/permissions.ts";
import type { AnyActor } from "../actor.ts";
import { addDays, fromIsoDate, type IsoDate, isIsoDate, localMoment, toIsoDate, weekStart } from "../dates.ts";
import { forbidden, invalid, notFound } from "../errors.ts";
import type { DbOrTx } from "../tx.ts";

export const REPORT_SPANS = ["week", "month", "period", "year"] as const;
export type ReportSpan = (typeof REPORT_SPANS)[number];

export type ReportScope =
  | { kind: "school" }
  | { kind: "parallel"; grade: number }
  | { kind: "class"; classId: number }
  | { kind: "subject"; subjectId: number }
  | { kind: "teacher"; teacherId: number };

export const SCOPE_KINDS = ["school", "parallel", "class", "subject", "teacher"] as const;

export interface SpanInput {
  span: ReportSpan;
  /** A date inside the span (school-local); default today. */
  at?: IsoDate;
}

export interface ResolvedSpan {
  span: ReportSpan;
  from: IsoDate;
  to: IsoDate;
  /** The period or year-period the span is, when it is one: its term marks are the performance source. */
  periodId: number | null;
  yearId: number;
  /** The span's own label parts: a period's kind and number, a year's name. */
  periodKind: string | null;
  periodNumber: number | null;
  yearName: string;
  today: IsoDate;
}

export interface ResolvedScope {
  scope: ReportScope;
  /** Classes of the span's year in the scope (all of them for a subject or a teacher). */
  classIds: number[];
  /** null: any subject. */
  subjectId: number | null;
  /** null: any teacher. */
  teacherId: number | null;
  /** Name of the class, subject, teacher or the grade, for titles. */
  label: string;
  /** The actor sees it as its class teacher, not as the administration. */
  asClassTeacher: boolean;
}

export interface ReportTarget {
  span: ResolvedSpan;
  scope: ResolvedScope;
  schoolName: string;
  timezone: string;
}

function validScope(scope: ReportScope): boolean {
  if (!scope || typeof scope !== "object") return false;
  const id = (n: unknown) => Number.isSafeInteger(n) && (n as number) > 0;
  switch (scope.kind) {
    case "school":
      return true;
    case "parallel":
      return Number.isSafeInteger(scope.grade) && scope.grade >= 1 && scope.grade <= 11;
    case "class":
      return id(scope.classId);
    case "subject":
      return id(scope.subjectId);
    case "teacher":
      return id(scope.teacherId);
    default:
      return false;
  }
}

/**
 * Access first: the administration (permission "report.school") for any scope; anyone else only for a class
 * they are the class teacher of. Then the span (by the school's local today) and the scope's id sets.
 */
export async function resolveReportTarget(
  db: DbOrTx,
  actor: AnyActor,
  input: { span: SpanInput; scope: ReportScope },
): Promise<ReportTarget> {
  const admin = can(actor, "report.school");
  if (!validScope(input.scope)) throw invalid({ scope: input.scope?.kind });
  let asClassTeacher = false;
  if (!admin) {
    if (input.scope.kind !== "class") throw forbidden({ report: input.scope.kind });
    const access = await requireClassManage(db, actor, input.scope.classId);
    if (!access.isClassTeacher) throw forbidden({ classId: input.scope.classId });
    asClassTeacher = true;
  }
  if (!(REPORT_SPANS as readonly string[]).includes(input.span?.span)) throw invalid({ span: input.span?.span });
  if (input.span.at !== undefined && !isIsoDate(input.span.at)) throw invalid({ at: input.span.at });

  const school = await db.school.findUniqueOrThrow({
    where: { id: actor.schoolId },
    select: { name: true, timezone: true },
  });
  const today = localMoment(school.timezone).date;
  const span = await resolveSpan(db, actor.schoolId, input.span.span, input.span.at ?? today, today);
  const scope = await resolveScope(db, actor.schoolId, span.yearId, input.scope, asClassTeacher);
  return { span, scope, schoolName: school.name, timezone: school.timezone };
}

async function resolveSpan(
  db: DbOrTx,
  schoolId: number,
  span: ReportSpan,
  at: IsoDate,
  today: IsoDate,
): Promise<ResolvedSpan> {
  const atDate = fromIsoDate(at);
  const year =
    (await db.academicYear.findFirst({
      where: { schoolId, startsOn: { lte: atDate }, endsOn: { gte: atDate } },
    })) ??
    (await db.academicYear.findFirst({
      where: { schoolId, startsOn: { lte: atDate } },
      orderBy: { startsOn: "desc" },
    }));
  if (!year) throw notFound({ year: at });
  const base = { span, yearId: year.id, yearName: year.name, today, periodKind: null, periodNumber: null };
  if (span === "week") {
    const from = weekStart(at);
    return { ...base, from, to: addDays(from, 6), periodId: null };
  }
  if (span === "month") {
    const from = `${at.slice(0, 7)}-01`;
    const next = new Date(Date.UTC(Number(at.slice(0, 4)), Number(at.slice(5, 7)), 1));
    return { ...base, from, to: addDays(toIsoDate(next), -1), periodId: null };
  }
  if (span === "year") {
    const yearPeriod = await db.period.findFirst({ where: { schoolId, yearId: year.id, kind: "YEAR" } });
    return {
      ...base,
      from: toIsoDate(year.startsOn),
      to: toIsoDate(year.endsOn),
      periodId: yearPeriod?.id ?? null,
      periodKind: "YEAR",
    };
  }
  const period =
    (await db.period.findFirst({
      where: { schoolId, yearId: year.id, kind: { not: "YEAR" }, startsOn: { lte: atDate }, endsOn: { gte: atDate } },
    })) ??
    (await db.period.findFirst({
      where: { schoolId, yearId: year.id, kind: { not: "YEAR" }, startsOn: { lte: atDate } },
      orderBy: { startsOn: "desc" },
    })) ??
    (await db.period.findFirst({
      where: { schoolId, yearId: year.id, kind: { not: "YEAR" } },
      orderBy: { startsOn: "asc" },
    }));
  if (!period) throw notFound({ period: at });
  return {
    ...base,
    from: toIsoDate(period.startsOn),
    to: toIsoDate(period.endsOn),
    periodId: period.id,
    periodKind: period.kind,
    periodNumber: period.number,
  };
}

/** A period of the school by id, as a span (the bot's period list and the printed journal use it). */
export async function periodSpan(db: DbOrTx, schoolId: number, periodId: number): Promise<ResolvedSpan> {
  if (!Number.isSafeInteger(periodId)) throw invalid({ periodId });
  const period = await db.period.findFirst({ where: { id: periodId, schoolId }, include: { year: true } });
  if (!period) throw notFound({ periodId });
  const school = await db.school.findUniqueOrThrow({ where: { id: schoolId }, select: { timezone: true } });
  return {
    span: period.kind === "YEAR" ? "year" : "period",
    from: toIsoDate(period.startsOn),
    to: toIsoDate(period.endsOn),
    periodId: period.id,
    yearId: period.yearId,
    periodKind: period.kind,
    periodNumber: period.number,
    yearName: period.year.name,
    today: localMoment(school.timezone).date,
  };
}

async function resolveScope(
  db: DbOrTx,
  schoolId: number,
  yearId: number,
  scope: ReportScope,
  asClassTeacher: boolean,
): Promise<ResolvedScope> {
  const base = { scope, subjectId: null, teacherId: null, asClassTeacher };
  switch (scope.kind) {
    case "school":
    case "parallel": {
      const classes = await db.classGroup.findMany({
        where: { schoolId, yearId, ...(scope.kind === "parallel" ? { grade: scope.grade } : {}) },
        select: { id: true },
      });
      return {
        ...base,
        classIds: classes.map((c) => c.id),
        label: scope.kind === "parallel" ? String(scope.grade) : "",
      };
    }
    case "class": {
      const c = await db.classGroup.findFirst({
        where: { id: scope.classId, schoolId },
        select: { id: true, name: true },
      });
      if (!c) throw forbidden({ classId: scope.classId });
      return { ...base, classIds: [c.id], label: c.name };
    }
    case "subject": {
      const s = await db.subject.findFirst({
        where: { id: scope.subjectId, schoolId },
        select: { id: true, name: true },
      });
      if (!s) throw forbidden({ subjectId: scope.subjectId });
      const classes = await db.classGroup.findMany({ where: { schoolId, yearId }, select: { id: true } });
      return { ...base, classIds: classes.map((c) => c.id), subjectId: s.id, label: s.name };
    }
    case "teacher": {
      const t = await db.person.findFirst({
        where: { id: scope.teacherId, schoolId, assignments: { some: { yearId } } },
        select: { id: true, lastName: true, firstName: true, middleName: true },
      });
      if (!t) throw forbidden({ teacherId: scope.teacherId });
      const classes = await db.classGroup.findMany({ where: { schoolId, yearId }, select: { id: true } });
      const initials = [t.firstName, t.middleName]
        .filter(Boolean)
        .map((s) => `${s![0]}.`)
        .join(" ");
      return {
        ...base,
        classIds: classes.map((c) => c.id),
        teacherId: t.id,
        label: `${t.lastName} ${initials}`.trim(),
      };
    }
  }
}

/** Whether a lesson of an assignment belongs to the scope (a lesson's teacher: its substitute, else its own). */
export function inScope(
  scope: ResolvedScope,
  a: { classId: number; subjectId: number; teacherId: number },
  substituteId?: number | null,
): boolean {
  if (!scope.classIds.includes(a.classId)) return false;
  if (scope.subjectId !== null && a.subjectId !== scope.subjectId) return false;
  if (scope.teacherId !== null && (substituteId ?? a.teacherId) !== scope.teacherId) return false;
  return true;
}

/** The end of the span that has happened: lessons after today are not yet to be filled. */
export function elapsedTo(span: ResolvedSpan): IsoDate {
  return [span.to, span.today].sort()[0];
}
