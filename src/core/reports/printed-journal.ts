// R-29 the printed class journal for a period (001 §5.2, §5.3): per subject (or subgroup) the students × lesson
// dates with marks, «н» and the term mark, the lessons' topics and homework, and the summary sheet of term marks
// (сводная ведомость). The class teacher of the class or the administration only. Data only: the PDF is drawn by
// src/jobs/reports/printed-journal-pdf.ts.
import { requireClassManage } from "../access/classes.ts";
import type { AnyActor } from "../actor.ts";
import { type IsoDate, toIsoDate } from "../dates.ts";
import { invalid, notFound } from "../errors.ts";
import type { DbOrTx } from "../tx.ts";
import { compareRu, staffLabel, studentLabel } from "./labels.ts";

/** The absence mark of the paper journal. */
export const ABSENT_MARK = "н";

export interface PrintedStudent {
  /** Number in the class list (the journal number when set, else the alphabetical place). */
  no: number;
  studentId: number;
  label: string;
}

export interface PrintedLesson {
  date: IsoDate;
  topic: string;
  homework: string;
}

export interface PrintedSubject {
  subjectName: string;
  /** Subgroup number, null for the whole class. */
  subgroup: number | null;
  teacher: string;
  students: PrintedStudent[];
  lessons: PrintedLesson[];
  /** [student][lesson]: "5", "4/5", "н", "н 3" or "". */
  cells: string[][];
  /** Per student, the period's term mark or "". */
  termMarks: string[];
}

export interface PrintedJournal {
  schoolName: string;
  className: string;
  yearName: string;
  period: { kind: string; number: number; from: IsoDate; to: IsoDate };
  classTeacher: string | null;
  director: string | null;
  students: PrintedStudent[];
  subjects: PrintedSubject[];
  /** The summary sheet: subjects (names) × students' term marks ("" when none). */
  summary: { subjects: string[]; marks: string[][] };
}

export async function printedJournal(
  db: DbOrTx,
  actor: AnyActor,
  input: { classId: number; periodId: number },
): Promise<PrintedJournal> {
  await requireClassManage(db, actor, input.classId);
  if (!Number.isSafeInteger(input.periodId)) throw invalid({ periodId: input.periodId });
  const schoolId = actor.schoolId;
  const [cls, period, school, director] = await Promise.all([
    db.classGroup.findFirstOrThrow({
      where: { id: input.classId, schoolId },
      select: {
        id: true,
        name: true,
        yearId: true,
        classTeacher: { select: { lastName: true, firstName: true, middleName: true } },
      },
    }),
    db.period.findFirst({ where: { id: input.periodId, schoolId }, include: { year: true } }),
    db.school.findUniqueOrThrow({ where: { id: schoolId }, select: { name: true } }),
    db.staffRole.findFirst({
      where: { schoolId, role: "DIRECTOR" },
      orderBy: { id: "asc" },
      select: { person: { select: { lastName: true, firstName: true, middleName: true } } },
    }),
  ]);
  if (!period || period.yearId !== cls.yearId) throw notFound({ periodId: input.periodId });
  const from = period.startsOn;
  const to = period.endsOn;
  const overlapping = { fromDate: { lte: to }, OR: [{ toDate: null }, { toDate: { gt: from } }] };

  const [enrollments, assignments] = await Promise.all([
    db.enrollment.findMany({
      where: { schoolId, classId: cls.id, ...overlapping },
      select: {
        studentId: true,
        journalNo: true,
        toDate: true,
        student: { select: { person: { select: { lastName: true, firstName: true, middleName: true } } } },
      },
    }),
    db.teachingAssignment.findMany({
      where: { schoolId, classId: cls.id, yearId: cls.yearId },
      select: {
        id: true,
        subjectId: true,
        subgroupId: true,
        subject: { select: { name: true } },
        subgroup: { select: { number: true } },
        teacher: { select: { lastName: true, firstName: true, middleName: true } },
      },
    }),
  ]);
  const seen = new Map<number, { studentId: number; journalNo: number | null; label: string }>();
  for (const e of enrollments)
    seen.set(e.studentId, { studentId: e.studentId, journalNo: e.journalNo, label: studentLabel(e.student.person) });
  const sorted = [...seen.values()].sort(
    (a, b) => (a.journalNo ?? 1e9) - (b.journalNo ?? 1e9) || compareRu(a.label, b.label),
  );
  const students: PrintedStudent[] = sorted.map((s, i) => ({
    no: s.journalNo ?? i + 1,
    studentId: s.studentId,
    label: s.label,
  }));
  const studentIds = students.map((s) => s.studentId);

  const [lessons, members, grades] = await Promise.all([
    db.lesson.findMany({
      where: {
        schoolId,
        assignmentId: { in: assignments.map((a) => a.id) },
        status: { not: "CANCELLED" },
        date: { gte: from, lte: to },
      },
      orderBy: [{ date: "asc" }, { slot: "asc" }],
      select: {
        id: true,
        assignmentId: true,
        date: true,
        topic: true,
        homework: { select: { text: true, studentIds: true }, orderBy: { id: "asc" } },
        marks: { where: { status: "ACTIVE" }, select: { studentId: true, value: true }, orderBy: { id: "asc" } },
        attendance: { where: { status: "ABSENT" }, select: { studentId: true } },
      },
    }),
    db.subgroupMember.findMany({
      where: {
        schoolId,
        subgroupId: { in: assignments.map((a) => a.subgroupId).filter((x): x is number => x !== null) },
        ...overlapping,
      },
      select: { subgroupId: true, studentId: true },
    }),
    db.termGrade.findMany({
      where: { schoolId, periodId: period.id, studentId: { in: studentIds } },
      select: { studentId: true, subjectId: true, value: true },
    }),
  ]);
  // A student who left the class before the period's end gets their term mark in their new class, not here.
  const atEnd = new Set(enrollments.filter((e) => e.toDate === null || e.toDate > to).map((e) => e.studentId));
  const gradeOf = new Map(
    grades.filter((g) => atEnd.has(g.studentId)).map((g) => [`${g.studentId}:${g.subjectId}`, g.value]),
  );
  const lessonsOf = new Map<number, typeof lessons>();
  for (const l of lessons) lessonsOf.set(l.assignmentId, [...(lessonsOf.get(l.assignmentId) ?? []), l]);
  const groupMembers = new Map<number, Set<number>>();
  for (const m of members)
    groupMembers.set(m.subgroupId, (groupMembers.get(m.subgroupId) ?? new Set()).add(m.studentId));

  const subjects: PrintedSubject[] = assignments
    .sort((a, b) => compareRu(a.subject.name, b.subject.name) || (a.subgroup?.number ?? 0) - (b.subgroup?.number ?? 0))
    .map((a) => {
      const rows =
        a.subgroupId === null ? students : students.filter((s) => groupMembers.get(a.subgroupId!)?.has(s.studentId));
      const own = lessonsOf.get(a.id) ?? [];
      const cells = rows.map((s) =>
        own.map((l) => {
          const absent = l.attendance.some((x) => x.studentId === s.studentId) ? ABSENT_MARK : "";
          const marks = l.marks
            .filter((m) => m.studentId === s.studentId)
            .map((m) => m.value)
            .join("/");
          return [absent, marks].filter(Boolean).join(" ");
        }),
      );
      return {
        subjectName: a.subject.name,
        subgroup: a.subgroup?.number ?? null,
        teacher: staffLabel(a.teacher),
        students: rows,
        lessons: own.map((l) => ({
          date: toIsoDate(l.date),
          topic: l.topic?.trim() ?? "",
          // individual homework stays out of the class journal
          homework: l.homework
            .filter((h) => (h.studentIds ?? []).length === 0)
            .map((h) => h.text.trim())
            .join("; "),
        })),
        cells,
        termMarks: rows.map((s) => gradeOf.get(`${s.studentId}:${a.subjectId}`) ?? ""),
      };
    });

  const summarySubjects = [...new Map(assignments.map((a) => [a.subjectId, a.subject.name])).entries()].sort((a, b) =>
    compareRu(a[1], b[1]),
  );
  return {
    schoolName: school.name,
    className: cls.name,
    yearName: period.year.name,
    period: { kind: period.kind, number: period.number, from: toIsoDate(from), to: toIsoDate(to) },
    classTeacher: cls.classTeacher ? staffLabel(cls.classTeacher) : null,
    director: director ? staffLabel(director.person) : null,
    students,
    subjects,
    summary: {
      subjects: summarySubjects.map(([, name]) => name),
      marks: students.map((s) => summarySubjects.map(([id]) => gradeOf.get(`${s.studentId}:${id}`) ?? "")),
    },
  };
}
