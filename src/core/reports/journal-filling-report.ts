// R-26 journal-filling control for a date range (inclusive): lessons without topic, homework or attendance,
// students without marks or with a single mark per subject, marks entered late, and the share of teachers
// working in the journal. Lessons counted: not cancelled, dated in the range; pass a `to` no later than today,
// or future lessons show up as unfilled. A lesson is the responsibility of its granted substitute if any, else
// its teacher.
// A student is expected in a lesson when enrolled in its class (or a member of its subgroup) on the lesson's
// date, so a student who moved class is counted in each class for the lessons they had there. A student with
// the term mark "exempt" (stored as its Russian abbreviation) in the subject for a period overlapping the range is exempt: never "without marks".
// A mark is late when entered (school-local date) after the day following the lesson, or for written work
// after `writtenWorkDays` days.

import { can } from "../access/permissions.ts";
import type { AnyActor } from "../actor.ts";
import { addDays, fromIsoDate, type IsoDate, isIsoDate, localMoment, toIsoDate } from "../dates.ts";
import { forbidden, invalid } from "../errors.ts";
import { roundAverage } from "../grading/average.ts";
import { EXEMPT } from "../grading/mark-values.ts";
import { parseSettings } from "../settings.ts";
import type { DbOrTx } from "../tx.ts";
import { compareRu, staffLabel, studentLabel } from "./labels.ts";
import type { ResolvedScope } from "./report-scope.ts";

export interface JournalFillingInput {
  from: IsoDate;
  to: IsoDate;
}

export interface TeacherFilling {
  teacherId: number;
  label: string;
  lessons: number;
  withoutTopic: number;
  withoutHomework: number;
  withoutAttendance: number;
  lateMarks: number;
  /** Any topic, attendance, homework or mark on any of the teacher's lessons in the range. */
  hasEntries: boolean;
}

export interface StudentSubjectGap {
  studentId: number;
  label: string;
  classId: number;
  className: string;
  subjectId: number;
  subjectName: string;
  marks: number;
}

export interface JournalFillingReport {
  from: IsoDate;
  to: IsoDate;
  lessons: { total: number; withoutTopic: number; withoutHomework: number; withoutAttendance: number };
  teachers: { total: number; withEntries: number; withEntriesPct: number | null };
  marks: { total: number; late: number };
  byTeacher: TeacherFilling[];
  /** Students who had lessons of the subject in the range (class or their subgroup) and no mark in it. */
  studentsWithoutMarks: StudentSubjectGap[];
  studentsWithOneMark: StudentSubjectGap[];
}

export async function journalFillingReport(
  db: DbOrTx,
  actor: AnyActor,
  input: JournalFillingInput,
): Promise<JournalFillingReport> {
  if (!can(actor, "report.school")) throw forbidden({ permission: "report.school" });
  if (!isIsoDate(input.from) || !isIsoDate(input.to) || input.from > input.to) {
    throw invalid({ from: input.from, to: input.to });
  }
  return computeJournalFilling(db, actor.schoolId, input.from, input.to, null);
}

/** After access was decided: the figures for a school, optionally limited to a scope. */
export async function computeJournalFilling(
  db: DbOrTx,
  schoolId: number,
  fromIso: IsoDate,
  toIso: IsoDate,
  scope: ResolvedScope | null,
): Promise<JournalFillingReport> {
  const from = fromIsoDate(fromIso);
  const to = fromIsoDate(toIso);
  const school = await db.school.findUniqueOrThrow({
    where: { id: schoolId },
    select: { timezone: true, settings: true },
  });
  const settings = parseSettings(school.settings);
  const written = new Set(settings.workTypes.filter((w) => w.written).map((w) => w.code));

  const assignmentWhere = scope
    ? {
        classId: { in: scope.classIds },
        ...(scope.subjectId !== null ? { subjectId: scope.subjectId } : {}),
      }
    : {};
  // Counts and substitutes are read in separate flat queries: Prisma's per-row `_count` and `take` on
  // relations grow much faster than linearly with thousands of lessons.
  const found = await db.lesson.findMany({
    where: { schoolId, date: { gte: from, lte: to }, status: { not: "CANCELLED" }, assignment: assignmentWhere },
    select: {
      id: true,
      date: true,
      topic: true,
      attendanceTakenAt: true,
      assignment: { select: { teacherId: true, classId: true, subjectId: true, subgroupId: true } },
    },
  });
  const allIds = found.map((l) => l.id);
  const [subs, homeworkCounts] = await Promise.all([
    db.substitution.findMany({
      where: { schoolId, lessonId: { in: allIds }, revokedAt: null },
      orderBy: { id: "asc" },
      select: { lessonId: true, substituteId: true },
    }),
    db.homework.groupBy({ by: ["lessonId"], where: { schoolId, lessonId: { in: allIds } }, _count: { _all: true } }),
  ]);
  const substituteOf = new Map(subs.map((x) => [x.lessonId, x.substituteId])); // the latest grant wins
  const homeworkOf = new Map(homeworkCounts.map((h) => [h.lessonId, h._count._all]));
  const teacherOfLesson = (l: (typeof found)[number]) => substituteOf.get(l.id) ?? l.assignment.teacherId;
  const lessons = scope?.teacherId != null ? found.filter((l) => teacherOfLesson(l) === scope.teacherId) : found;
  const lessonIds = lessons.map((l) => l.id);

  const classIds = [...new Set(lessons.map((l) => l.assignment.classId))];
  const subgroupIds = [...new Set(lessons.map((l) => l.assignment.subgroupId).filter((x): x is number => x !== null))];
  const overlapping = { fromDate: { lte: to }, OR: [{ toDate: null }, { toDate: { gt: from } }] };
  const [enrollments, members, marks, classes, subjects, exempt] = await Promise.all([
    db.enrollment.findMany({
      where: { schoolId, classId: { in: classIds }, ...overlapping },
      select: { studentId: true, classId: true, fromDate: true, toDate: true },
    }),
    db.subgroupMember.findMany({
      where: { schoolId, subgroupId: { in: subgroupIds }, ...overlapping },
      select: { studentId: true, subgroupId: true, fromDate: true, toDate: true },
    }),
    db.mark.findMany({
      where: { schoolId, status: "ACTIVE", lessonId: { in: lessonIds } },
      select: { studentId: true, subjectId: true, lessonId: true, date: true, workType: true, createdAt: true },
    }),
    db.classGroup.findMany({ where: { id: { in: classIds } }, select: { id: true, name: true, grade: true } }),
    db.subject.findMany({ where: { schoolId }, select: { id: true, name: true } }),
    db.termGrade.findMany({
      where: { schoolId, value: EXEMPT, period: { startsOn: { lte: to }, endsOn: { gte: from } } },
      select: { studentId: true, subjectId: true },
    }),
  ]);

  // Late marks, per lesson
  const lateByLesson = new Map<number, number>();
  const marksOf = new Map<number, number>();
  for (const m of marks) {
    marksOf.set(m.lessonId, (marksOf.get(m.lessonId) ?? 0) + 1);
    const entered = localMoment(school.timezone, m.createdAt).date;
    const due = addDays(toIsoDate(m.date), written.has(m.workType) ? settings.writtenWorkDays : 1);
    if (entered > due) lateByLesson.set(m.lessonId, (lateByLesson.get(m.lessonId) ?? 0) + 1);
  }

  // Lessons and teachers
  const perTeacher = new Map<number, Omit<TeacherFilling, "label">>();
  for (const l of lessons) {
    const teacherId = teacherOfLesson(l);
    const t = perTeacher.get(teacherId) ?? {
      teacherId,
      lessons: 0,
      withoutTopic: 0,
      withoutHomework: 0,
      withoutAttendance: 0,
      lateMarks: 0,
      hasEntries: false,
    };
    const noTopic = !l.topic?.trim();
    const noHomework = (homeworkOf.get(l.id) ?? 0) === 0;
    const noAttendance = l.attendanceTakenAt === null;
    t.lessons++;
    t.withoutTopic += Number(noTopic);
    t.withoutHomework += Number(noHomework);
    t.withoutAttendance += Number(noAttendance);
    t.lateMarks += lateByLesson.get(l.id) ?? 0;
    if (!noTopic || !noHomework || !noAttendance || (marksOf.get(l.id) ?? 0) > 0) t.hasEntries = true;
    perTeacher.set(teacherId, t);
  }
  const people = await db.person.findMany({
    where: { schoolId, id: { in: [...perTeacher.keys()] } },
    select: { id: true, lastName: true, firstName: true, middleName: true },
  });
  const teacherName = new Map(people.map((p) => [p.id, staffLabel(p)]));
  const byTeacher = [...perTeacher.values()]
    .map((t) => ({ ...t, label: teacherName.get(t.teacherId) ?? String(t.teacherId) }))
    .sort((a, b) => compareRu(a.label, b.label));
  const withEntries = byTeacher.filter((t) => t.hasEntries).length;
  const sum = (pick: (t: TeacherFilling) => number) => byTeacher.reduce((n, t) => n + pick(t), 0);
  const totals = {
    total: lessons.length,
    withoutTopic: sum((t) => t.withoutTopic),
    withoutHomework: sum((t) => t.withoutHomework),
    withoutAttendance: sum((t) => t.withoutAttendance),
  };

  // Students × subjects that had lessons in the range, on the lesson's date
  type Span = { studentId: number; from: Date; to: Date | null };
  const group = <K>(rows: (Span & { key: K })[]) => {
    const map = new Map<K, Span[]>();
    for (const r of rows) map.set(r.key, [...(map.get(r.key) ?? []), r]);
    return map;
  };
  const classStudents = group(
    enrollments.map((e) => ({ key: e.classId, studentId: e.studentId, from: e.fromDate, to: e.toDate })),
  );
  const groupStudents = group(
    members.map((m) => ({ key: m.subgroupId, studentId: m.studentId, from: m.fromDate, to: m.toDate })),
  );
  const exemptKeys = new Set(exempt.map((e) => `${e.studentId}:${e.subjectId}`));
  const expected = new Map<string, { studentId: number; classId: number; subjectId: number }>();
  for (const l of lessons) {
    const { classId, subjectId, subgroupId } = l.assignment;
    const spans = subgroupId === null ? classStudents.get(classId) : groupStudents.get(subgroupId);
    const t = l.date.getTime();
    for (const s of spans ?? []) {
      if (s.from.getTime() > t || (s.to !== null && s.to.getTime() <= t)) continue;
      const key = `${s.studentId}:${subjectId}:${classId}`;
      if (exemptKeys.has(`${s.studentId}:${subjectId}`)) continue;
      // a subgroup member is counted in the class the subgroup belongs to
      expected.set(key, { studentId: s.studentId, classId, subjectId });
    }
  }
  const classOfLesson = new Map(lessons.map((l) => [l.id, l.assignment.classId]));
  const counted = new Map<string, number>();
  for (const m of marks) {
    const key = `${m.studentId}:${m.subjectId}:${classOfLesson.get(m.lessonId)}`;
    counted.set(key, (counted.get(key) ?? 0) + 1);
  }
  const gaps = [...expected.entries()]
    .map(([key, p]) => ({ ...p, marks: counted.get(key) ?? 0 }))
    .filter((p) => p.marks <= 1);

  const students = await db.student.findMany({
    where: { schoolId, id: { in: [...new Set(gaps.map((g) => g.studentId))] } },
    select: { id: true, person: { select: { lastName: true, firstName: true, middleName: true } } },
  });
  const studentName = new Map(students.map((s) => [s.id, studentLabel(s.person)]));
  const classById = new Map(classes.map((c) => [c.id, c]));
  const subjectName = new Map(subjects.map((s) => [s.id, s.name]));
  const rows: StudentSubjectGap[] = gaps
    .map((g) => ({
      studentId: g.studentId,
      label: studentName.get(g.studentId) ?? String(g.studentId),
      classId: g.classId,
      className: classById.get(g.classId)?.name ?? String(g.classId),
      subjectId: g.subjectId,
      subjectName: subjectName.get(g.subjectId) ?? String(g.subjectId),
      marks: g.marks,
    }))
    .sort(
      (a, b) =>
        (classById.get(a.classId)?.grade ?? 0) - (classById.get(b.classId)?.grade ?? 0) ||
        compareRu(a.className, b.className) ||
        compareRu(a.label, b.label) ||
        compareRu(a.subjectName, b.subjectName),
    );

  return {
    from: fromIso,
    to: toIso,
    lessons: totals,
    teachers: {
      total: byTeacher.length,
      withEntries,
      withEntriesPct: byTeacher.length === 0 ? null : roundAverage((withEntries / byTeacher.length) * 100, 1),
    },
    marks: { total: marks.length, late: sum((t) => t.lateMarks) },
    byTeacher,
    studentsWithoutMarks: rows.filter((r) => r.marks === 0),
    studentsWithOneMark: rows.filter((r) => r.marks === 1),
  };
}
