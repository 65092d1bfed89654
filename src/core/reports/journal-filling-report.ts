// R-26 journal-filling control for a date range (inclusive): lessons without topic, homework or attendance,
// students without marks or with a single mark per subject, and the share of teachers working in the journal.
// Lessons counted: not cancelled, dated in the range; pass a `to` no later than today, or future lessons
// show up as unfilled. A lesson is the responsibility of its granted substitute if any, else its teacher.
import { type AnyActor, isAdministration } from "../actor.ts";
import { fromIsoDate, type IsoDate, isIsoDate } from "../dates.ts";
import { forbidden, invalid } from "../errors.ts";
import { roundAverage } from "../grading/average.ts";
import type { DbOrTx } from "../tx.ts";
import { staffLabel, studentLabel } from "./labels.ts";

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
  if (!isAdministration(actor)) throw forbidden({ report: "journal-filling" });
  if (!isIsoDate(input.from) || !isIsoDate(input.to) || input.from > input.to) {
    throw invalid({ from: input.from, to: input.to });
  }
  const from = fromIsoDate(input.from);
  const to = fromIsoDate(input.to);
  const schoolId = actor.schoolId;

  const lessons = await db.lesson.findMany({
    where: { schoolId, date: { gte: from, lte: to }, status: { not: "CANCELLED" } },
    select: {
      topic: true,
      attendanceTakenAt: true,
      assignment: { select: { teacherId: true, classId: true, subjectId: true, subgroupId: true } },
      substitutions: { where: { revokedAt: null }, select: { substituteId: true }, orderBy: { id: "desc" }, take: 1 },
      _count: { select: { homework: true, marks: { where: { status: "ACTIVE" } } } },
    },
  });

  const classIds = [...new Set(lessons.map((l) => l.assignment.classId))];
  const subgroupIds = [...new Set(lessons.map((l) => l.assignment.subgroupId).filter((x): x is number => x !== null))];
  const overlapping = { fromDate: { lte: to }, OR: [{ toDate: null }, { toDate: { gt: from } }] };
  const [enrollments, members, markCounts, classes, subjects] = await Promise.all([
    db.enrollment.findMany({
      where: { schoolId, classId: { in: classIds }, ...overlapping },
      select: { studentId: true, classId: true },
    }),
    db.subgroupMember.findMany({
      where: { schoolId, subgroupId: { in: subgroupIds }, ...overlapping },
      select: { studentId: true, subgroupId: true },
    }),
    db.mark.groupBy({
      by: ["studentId", "subjectId"],
      where: { schoolId, status: "ACTIVE", date: { gte: from, lte: to } },
      _count: { _all: true },
    }),
    db.classGroup.findMany({ where: { id: { in: classIds } }, select: { id: true, name: true, grade: true } }),
    db.subject.findMany({ where: { schoolId }, select: { id: true, name: true } }),
  ]);

  // Lessons and teachers
  const perTeacher = new Map<number, Omit<TeacherFilling, "label">>();
  for (const l of lessons) {
    const teacherId = l.substitutions[0]?.substituteId ?? l.assignment.teacherId;
    const t = perTeacher.get(teacherId) ?? {
      teacherId,
      lessons: 0,
      withoutTopic: 0,
      withoutHomework: 0,
      withoutAttendance: 0,
      hasEntries: false,
    };
    const noTopic = !l.topic?.trim();
    const noHomework = l._count.homework === 0;
    const noAttendance = l.attendanceTakenAt === null;
    t.lessons++;
    t.withoutTopic += Number(noTopic);
    t.withoutHomework += Number(noHomework);
    t.withoutAttendance += Number(noAttendance);
    if (!noTopic || !noHomework || !noAttendance || l._count.marks > 0) t.hasEntries = true;
    perTeacher.set(teacherId, t);
  }
  const people = await db.person.findMany({
    where: { schoolId, id: { in: [...perTeacher.keys()] } },
    select: { id: true, lastName: true, firstName: true, middleName: true },
  });
  const teacherName = new Map(people.map((p) => [p.id, staffLabel(p)]));
  const byTeacher = [...perTeacher.values()]
    .map((t) => ({ ...t, label: teacherName.get(t.teacherId) ?? String(t.teacherId) }))
    .sort((a, b) => a.label.localeCompare(b.label, "ru"));
  const withEntries = byTeacher.filter((t) => t.hasEntries).length;
  const sum = (pick: (t: TeacherFilling) => number) => byTeacher.reduce((n, t) => n + pick(t), 0);
  const totals = {
    total: lessons.length,
    withoutTopic: sum((t) => t.withoutTopic),
    withoutHomework: sum((t) => t.withoutHomework),
    withoutAttendance: sum((t) => t.withoutAttendance),
  };

  // Students × subjects that had lessons in the range
  const classStudents = new Map<number, Set<number>>();
  for (const e of enrollments)
    classStudents.set(e.classId, (classStudents.get(e.classId) ?? new Set()).add(e.studentId));
  const groupStudents = new Map<number, Set<number>>();
  for (const m of members) {
    groupStudents.set(m.subgroupId, (groupStudents.get(m.subgroupId) ?? new Set()).add(m.studentId));
  }
  const expected = new Map<string, { studentId: number; classId: number; subjectId: number }>();
  for (const l of lessons) {
    const { classId, subjectId, subgroupId } = l.assignment;
    const students = subgroupId === null ? classStudents.get(classId) : groupStudents.get(subgroupId);
    for (const studentId of students ?? []) {
      // a subgroup member is counted in the class the subgroup belongs to
      expected.set(`${studentId}:${subjectId}`, { studentId, classId, subjectId });
    }
  }
  const counted = new Map(markCounts.map((m) => [`${m.studentId}:${m.subjectId}`, m._count._all]));
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
        a.className.localeCompare(b.className, "ru") ||
        a.label.localeCompare(b.label, "ru") ||
        a.subjectName.localeCompare(b.subjectName, "ru"),
    );

  return {
    from: input.from,
    to: input.to,
    lessons: totals,
    teachers: {
      total: byTeacher.length,
      withEntries,
      withEntriesPct: byTeacher.length === 0 ? null : roundAverage((withEntries / byTeacher.length) * 100, 1),
    },
    byTeacher,
    studentsWithoutMarks: rows.filter((r) => r.marks === 0),
    studentsWithOneMark: rows.filter((r) => r.marks === 1),
  };
}
