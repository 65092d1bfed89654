// The journal of a closed period or year as plain data, for the frozen archive: every lesson with its
// topic and homework, every mark including the superseded and voided ones (corrections are part of the record),
// attendance, and the term marks of the periods covered. Ordered by id, so the same journal gives the same bytes.
import { requirePermission } from "../access/index.ts";
import { fullNameOf } from "../accounts/index.ts";
import type { AnyActor } from "../actor.ts";
import { fromIsoDate, type IsoDate, toIsoDate } from "../dates.ts";
import { AppError, notFound } from "../errors.ts";
import type { DbOrTx } from "../tx.ts";

export type ArchiveScopeKind = "period" | "year";

export interface ArchiveScope {
  schoolId: number;
  scope: ArchiveScopeKind;
  yearId: number;
  yearName: string;
  periodId: number | null;
  periodKind: "QUARTER" | "TRIMESTER" | "HALF" | "YEAR" | null;
  periodNumber: number | null;
  from: IsoDate;
  to: IsoDate;
  closedAt: string;
  /** The end of the academic year: retention counts from here. */
  yearEndsOn: IsoDate;
}

export interface JournalExport {
  school: { id: number; name: string };
  scope: ArchiveScope;
  classes: { id: number; name: string; grade: number; classTeacher: string | null }[];
  students: { id: number; name: string; classes: string[] }[];
  lessons: {
    id: number;
    date: IsoDate;
    slot: number;
    class: string;
    subject: string;
    subgroup: number | null;
    teacher: string;
    status: string;
    topic: string | null;
  }[];
  homework: {
    id: number;
    lessonId: number;
    text: string;
    dueDate: IsoDate;
    studentIds: number[];
    createdAt: string;
    updatedAt: string;
  }[];
  marks: {
    id: number;
    lessonId: number;
    date: IsoDate;
    studentId: number;
    subject: string;
    workType: string;
    weight: string;
    value: string;
    comment: string | null;
    status: string;
    supersedesId: number | null;
    correctionReason: string | null;
    authorId: number;
    createdAt: string;
  }[];
  attendance: {
    id: number;
    lessonId: number;
    date: IsoDate;
    studentId: number;
    status: string;
    reason: string | null;
    updatedAt: string;
  }[];
  termMarks: {
    id: number;
    studentId: number;
    subject: string;
    periodKind: string;
    periodNumber: number;
    value: string;
    authorId: number;
    updatedAt: string;
  }[];
}

/** A closed period, or a closed year (its whole span); NOT_FOUND or CONFLICT when there is none to archive. */
export async function archiveScope(
  db: DbOrTx,
  actor: AnyActor,
  ref: { scope: ArchiveScopeKind; id: number },
): Promise<ArchiveScope> {
  requirePermission(actor, "journal.read.all");
  if (ref.scope === "period") {
    const p = await db.period.findFirst({ where: { id: ref.id, schoolId: actor.schoolId }, include: { year: true } });
    if (!p) throw notFound({ periodId: ref.id });
    if (!p.closedAt) throw new AppError("CONFLICT", { periodId: p.id, reason: "not-closed" });
    return {
      schoolId: p.schoolId,
      scope: "period",
      yearId: p.yearId,
      yearName: p.year.name,
      periodId: p.id,
      periodKind: p.kind,
      periodNumber: p.number,
      from: toIsoDate(p.startsOn),
      to: toIsoDate(p.endsOn),
      closedAt: p.closedAt.toISOString(),
      yearEndsOn: toIsoDate(p.year.endsOn),
    };
  }
  const y = await db.academicYear.findFirst({ where: { id: ref.id, schoolId: actor.schoolId } });
  if (!y) throw notFound({ yearId: ref.id });
  if (!y.closedAt) throw new AppError("CONFLICT", { yearId: y.id, reason: "not-closed" });
  return {
    schoolId: y.schoolId,
    scope: "year",
    yearId: y.id,
    yearName: y.name,
    periodId: null,
    periodKind: null,
    periodNumber: null,
    from: toIsoDate(y.startsOn),
    to: toIsoDate(y.endsOn),
    closedAt: y.closedAt.toISOString(),
    yearEndsOn: toIsoDate(y.endsOn),
  };
}

/** Closed periods and years of the school that have no archive yet (the archive job's work list). */
export async function scopesWithoutArchive(
  db: DbOrTx,
  actor: AnyActor,
): Promise<{ scope: ArchiveScopeKind; id: number }[]> {
  requirePermission(actor, "journal.read.all");
  const schoolId = actor.schoolId;
  const [periods, years, archives] = await Promise.all([
    db.period.findMany({ where: { schoolId, closedAt: { not: null } }, select: { id: true }, orderBy: { id: "asc" } }),
    db.academicYear.findMany({
      where: { schoolId, closedAt: { not: null } },
      select: { id: true },
      orderBy: { id: "asc" },
    }),
    db.archive.findMany({ where: { schoolId }, select: { scope: true, periodId: true, yearId: true } }),
  ]);
  const done = new Set(archives.map((a) => (a.scope === "period" ? `period-${a.periodId}` : `year-${a.yearId}`)));
  return [
    ...periods.filter((p) => !done.has(`period-${p.id}`)).map((p) => ({ scope: "period" as const, id: p.id })),
    ...years.filter((y) => !done.has(`year-${y.id}`)).map((y) => ({ scope: "year" as const, id: y.id })),
  ];
}

const iso = (d: Date) => d.toISOString();

export async function journalExport(db: DbOrTx, actor: AnyActor, scope: ArchiveScope): Promise<JournalExport> {
  requirePermission(actor, "journal.read.all");
  const schoolId = actor.schoolId;
  if (scope.schoolId !== schoolId) throw notFound({ schoolId: scope.schoolId });
  const range = { gte: fromIsoDate(scope.from), lte: fromIsoDate(scope.to) };
  const school = await db.school.findUniqueOrThrow({ where: { id: schoolId }, select: { id: true, name: true } });
  const classes = await db.classGroup.findMany({
    where: { schoolId, yearId: scope.yearId },
    orderBy: { id: "asc" },
    select: {
      id: true,
      name: true,
      grade: true,
      classTeacher: { select: { lastName: true, firstName: true, middleName: true } },
    },
  });
  const lessons = await db.lesson.findMany({
    where: { schoolId, date: range },
    orderBy: { id: "asc" },
    select: {
      id: true,
      date: true,
      slot: true,
      status: true,
      topic: true,
      assignment: {
        select: {
          class: { select: { name: true } },
          subject: { select: { name: true } },
          subgroup: { select: { number: true } },
          teacher: { select: { lastName: true, firstName: true, middleName: true } },
        },
      },
    },
  });
  const homework = await db.homework.findMany({
    where: { schoolId, lesson: { date: range } },
    orderBy: { id: "asc" },
  });
  const marks = await db.mark.findMany({
    where: { schoolId, date: range },
    orderBy: { id: "asc" },
    include: { subject: { select: { name: true } } },
  });
  const attendance = await db.attendance.findMany({ where: { schoolId, date: range }, orderBy: { id: "asc" } });
  const termGrades = await db.termGrade.findMany({
    where: {
      schoolId,
      period: scope.periodId ? { id: scope.periodId } : { yearId: scope.yearId },
    },
    orderBy: { id: "asc" },
    include: { subject: { select: { name: true } }, period: { select: { kind: true, number: true } } },
  });
  const enrollments = await db.enrollment.findMany({
    where: { schoolId, class: { yearId: scope.yearId } },
    orderBy: { id: "asc" },
    select: {
      studentId: true,
      class: { select: { name: true } },
      student: { select: { person: { select: { lastName: true, firstName: true, middleName: true } } } },
    },
  });
  const students = new Map<number, { id: number; name: string; classes: string[] }>();
  for (const e of enrollments) {
    const s = students.get(e.studentId) ?? { id: e.studentId, name: fullNameOf(e.student.person), classes: [] };
    if (!s.classes.includes(e.class.name)) s.classes.push(e.class.name);
    students.set(e.studentId, s);
  }
  return {
    school,
    scope,
    classes: classes.map((c) => ({
      id: c.id,
      name: c.name,
      grade: c.grade,
      classTeacher: c.classTeacher ? fullNameOf(c.classTeacher) : null,
    })),
    students: [...students.values()].sort((a, b) => a.id - b.id),
    lessons: lessons.map((l) => ({
      id: l.id,
      date: toIsoDate(l.date),
      slot: l.slot,
      class: l.assignment.class.name,
      subject: l.assignment.subject.name,
      subgroup: l.assignment.subgroup?.number ?? null,
      teacher: fullNameOf(l.assignment.teacher),
      status: l.status,
      topic: l.topic,
    })),
    homework: homework.map((h) => ({
      id: h.id,
      lessonId: h.lessonId,
      text: h.text,
      dueDate: toIsoDate(h.dueDate),
      studentIds: h.studentIds,
      createdAt: iso(h.createdAt),
      updatedAt: iso(h.updatedAt),
    })),
    marks: marks.map((m) => ({
      id: m.id,
      lessonId: m.lessonId,
      date: toIsoDate(m.date),
      studentId: m.studentId,
      subject: m.subject.name,
      workType: m.workType,
      weight: m.weight.toString(),
      value: m.value,
      comment: m.comment,
      status: m.status,
      supersedesId: m.supersedesId,
      correctionReason: m.correctionReason,
      authorId: m.authorId,
      createdAt: iso(m.createdAt),
    })),
    attendance: attendance.map((a) => ({
      id: a.id,
      lessonId: a.lessonId,
      date: toIsoDate(a.date),
      studentId: a.studentId,
      status: a.status,
      reason: a.reason,
      updatedAt: iso(a.updatedAt),
    })),
    termMarks: termGrades.map((g) => ({
      id: g.id,
      studentId: g.studentId,
      subject: g.subject.name,
      periodKind: g.period.kind,
      periodNumber: g.period.number,
      value: g.value,
      authorId: g.authorId,
      updatedAt: iso(g.updatedAt),
    })),
  };
}
