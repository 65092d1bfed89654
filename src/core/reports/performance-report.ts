// успеваемость, качество, СОУ of a period by class, subject or teacher, from TermGrade rows.
// Who counts: students enrolled in a class of the period's year on the period's last day (and not left by
// then). Each counts once per subject taught in the class (any assignment of the year) plus any subject they
// hold a term mark in; a subject without a term mark shows in `nMissing`, not in N.
// Counting is by marks (one term mark = one unit), which is what the RULES.md formulas are written in.
import { type AnyActor, isAdministration } from "../actor.ts";
import { type IsoDate, toIsoDate } from "../dates.ts";
import { forbidden, invalid, notFound } from "../errors.ts";
import { type PerformanceFigures, performanceFigures } from "../grading/performance.ts";
import type { DbOrTx } from "../tx.ts";
import { staffLabel } from "./labels.ts";

export type PerformanceGrouping = "class" | "subject" | "teacher";

export interface PerformanceReportInput {
  periodId: number;
  by: PerformanceGrouping;
}

export interface PerformanceRow extends PerformanceFigures {
  /** classId, subjectId or teacher personId; null for marks whose teacher cannot be told (teacher grouping). */
  id: number | null;
  label: string;
}

export interface PerformanceReport {
  periodId: number;
  by: PerformanceGrouping;
  /** The date enrollment is taken at: the period's last day. */
  asOf: IsoDate;
  rows: PerformanceRow[];
  total: PerformanceFigures;
}

interface Unit {
  classId: number;
  subjectId: number;
  teacherId: number | null;
  value: string | null;
}

export async function performanceReport(
  db: DbOrTx,
  actor: AnyActor,
  input: PerformanceReportInput,
): Promise<PerformanceReport> {
  if (!isAdministration(actor)) throw forbidden({ report: "performance" });
  if (!Number.isSafeInteger(input.periodId) || !["class", "subject", "teacher"].includes(input.by)) {
    throw invalid({ periodId: input.periodId, by: input.by });
  }
  const period = await db.period.findFirst({ where: { id: input.periodId, schoolId: actor.schoolId } });
  if (!period) throw notFound({ periodId: input.periodId });
  const end = period.endsOn;

  const enrollments = await db.enrollment.findMany({
    where: {
      schoolId: actor.schoolId,
      class: { yearId: period.yearId },
      fromDate: { lte: end },
      OR: [{ toDate: null }, { toDate: { gt: end } }],
      student: { OR: [{ leftAt: null }, { leftAt: { gt: end } }] },
    },
    select: { studentId: true, classId: true },
  });
  const classOf = new Map(enrollments.map((e) => [e.studentId, e.classId]));
  const studentIds = [...classOf.keys()];
  const classIds = [...new Set(classOf.values())];

  const [classes, subjects, assignments, members, grades] = await Promise.all([
    db.classGroup.findMany({ where: { id: { in: classIds } }, select: { id: true, name: true, grade: true } }),
    db.subject.findMany({ where: { schoolId: actor.schoolId }, select: { id: true, name: true } }),
    db.teachingAssignment.findMany({
      where: { schoolId: actor.schoolId, yearId: period.yearId, classId: { in: classIds } },
      select: {
        classId: true,
        subjectId: true,
        subgroupId: true,
        teacherId: true,
        endedAt: true,
        teacher: { select: { lastName: true, firstName: true, middleName: true } },
      },
    }),
    db.subgroupMember.findMany({
      where: {
        schoolId: actor.schoolId,
        studentId: { in: studentIds },
        fromDate: { lte: end },
        OR: [{ toDate: null }, { toDate: { gt: end } }],
      },
      select: { studentId: true, subgroupId: true },
    }),
    db.termGrade.findMany({
      where: { schoolId: actor.schoolId, periodId: period.id, studentId: { in: studentIds } },
      select: { studentId: true, subjectId: true, value: true },
    }),
  ]);

  const gradeOf = new Map(grades.map((g) => [`${g.studentId}:${g.subjectId}`, g.value]));
  const gradedSubjectsOf = new Map<number, number[]>();
  for (const g of grades)
    gradedSubjectsOf.set(g.studentId, [...(gradedSubjectsOf.get(g.studentId) ?? []), g.subjectId]);
  const subgroupsOf = new Map<number, Set<number>>();
  for (const m of members) {
    const set = subgroupsOf.get(m.studentId) ?? new Set<number>();
    set.add(m.subgroupId);
    subgroupsOf.set(m.studentId, set);
  }
  const teacherOf = (studentId: number, classId: number, subjectId: number): number | null => {
    const own = assignments.filter((a) => a.classId === classId && a.subjectId === subjectId);
    const inGroup = own.filter((a) => a.subgroupId !== null && subgroupsOf.get(studentId)?.has(a.subgroupId));
    const candidates = inGroup.length > 0 ? inGroup : own.filter((a) => a.subgroupId === null);
    // the current teacher if any, else the one who taught last
    candidates.sort((a, b) => (b.endedAt?.getTime() ?? Infinity) - (a.endedAt?.getTime() ?? Infinity));
    return candidates[0]?.teacherId ?? null;
  };

  const subjectsOfClass = new Map<number, Set<number>>();
  for (const a of assignments) {
    const set = subjectsOfClass.get(a.classId) ?? new Set<number>();
    set.add(a.subjectId);
    subjectsOfClass.set(a.classId, set);
  }
  const units: Unit[] = [];
  for (const [studentId, classId] of classOf) {
    const subjectIds = new Set([...(subjectsOfClass.get(classId) ?? []), ...(gradedSubjectsOf.get(studentId) ?? [])]);
    for (const subjectId of subjectIds) {
      units.push({
        classId,
        subjectId,
        teacherId: input.by === "teacher" ? teacherOf(studentId, classId, subjectId) : null,
        value: gradeOf.get(`${studentId}:${subjectId}`) ?? null,
      });
    }
  }

  const keyOf = (u: Unit) => (input.by === "class" ? u.classId : input.by === "subject" ? u.subjectId : u.teacherId);
  const groups = new Map<number | null, (string | null)[]>();
  for (const u of units) {
    const k = keyOf(u);
    const list = groups.get(k) ?? [];
    list.push(u.value);
    groups.set(k, list);
  }

  const classById = new Map(classes.map((c) => [c.id, c]));
  const subjectName = new Map(subjects.map((s) => [s.id, s.name]));
  const teacherName = new Map(assignments.map((a) => [a.teacherId, staffLabel(a.teacher)]));
  const labelOf = (id: number | null): string =>
    id === null
      ? ""
      : ((input.by === "class"
          ? classById.get(id)?.name
          : input.by === "subject"
            ? subjectName.get(id)
            : teacherName.get(id)) ?? String(id));
  const rows = [...groups].map(([id, values]) => ({ id, label: labelOf(id), ...performanceFigures(values) }));
  const gradeOfClass = (id: number | null) => (id === null ? 0 : (classById.get(id)?.grade ?? 0));
  rows.sort((a, b) =>
    a.id === null
      ? 1
      : b.id === null
        ? -1
        : (input.by === "class" ? gradeOfClass(a.id) - gradeOfClass(b.id) : 0) || a.label.localeCompare(b.label, "ru"),
  );

  return {
    periodId: period.id,
    by: input.by,
    asOf: toIsoDate(end),
    rows,
    total: performanceFigures(units.map((u) => u.value)),
  };
}
