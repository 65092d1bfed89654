// The extract of a student's marks handed to the family when the student leaves (R-33, 000 §7.7): the classes
// the student was in, every current mark by subject with its date, the weighted average and the term grades
// of the year. For the administration and the student's own family.
import { z } from "zod";
import { can, resolveStudents } from "../access/index.ts";
import type { AnyActor } from "../actor.ts";
import { fromIsoDate, type IsoDate, toIsoDate } from "../dates.ts";
import { forbidden, notFound } from "../errors.ts";
import { roundAverage, weightedAverage } from "../grading/average.ts";
import { idSchema, parseInput, schoolNow } from "../journal/common.ts";
import type { DbOrTx } from "../tx.ts";
import { yearOn } from "./students-read.ts";

export interface MarksExtract {
  school: string;
  studentId: number;
  studentName: string;
  yearName: string | null;
  classes: { name: string; from: IsoDate; to: IsoDate | null }[];
  leaving: { date: IsoDate; orderNo: string; orderDate: IsoDate } | null;
  periods: { periodId: number; kind: string; number: number }[];
  subjects: {
    subject: string;
    marks: { date: IsoDate; value: string }[];
    average: number | null;
    termGrades: Record<number, string>;
  }[];
  madeOn: IsoDate;
}

export async function marksExtract(db: DbOrTx, actor: AnyActor, input: { studentId: number }): Promise<MarksExtract> {
  const studentId = Number(input?.studentId);
  if (!can(actor, "student.move")) {
    const reason = (await resolveStudents(db, actor, [studentId])).get(studentId);
    if (reason !== "guardian" && reason !== "self") throw forbidden({ studentId });
  }
  parseInput(z.object({ studentId: idSchema }), input);
  const { school, local } = await schoolNow(db, actor.schoolId);
  const student = await db.student.findFirst({
    where: { id: studentId, schoolId: actor.schoolId },
    select: {
      leftAt: true,
      person: { select: { lastName: true, firstName: true, middleName: true } },
      enrollments: { select: { fromDate: true, toDate: true, class: { select: { name: true, yearId: true } } } },
    },
  });
  if (!student) throw notFound({ entity: "Student", id: studentId });
  // the year of the last day at school
  const lastDay = student.leftAt ? toIsoDate(new Date(student.leftAt.getTime() - 86_400_000)) : local.date;
  const year = await yearOn(db, actor.schoolId, lastDay);
  const yearWhere = year ? { gte: year.startsOn, lte: year.endsOn } : { lte: fromIsoDate(lastDay) };
  const [marks, periods, termGrades, leaving] = await Promise.all([
    db.mark.findMany({
      where: { schoolId: actor.schoolId, studentId, status: "ACTIVE", date: yearWhere },
      select: { date: true, value: true, weight: true, subject: { select: { name: true } } },
      orderBy: [{ date: "asc" }, { id: "asc" }],
    }),
    year
      ? db.period.findMany({
          where: { yearId: year.id, kind: { not: "YEAR" } },
          orderBy: [{ kind: "asc" }, { number: "asc" }],
        })
      : Promise.resolve([]),
    year
      ? db.termGrade.findMany({
          where: { studentId, period: { yearId: year.id } },
          select: { periodId: true, value: true, subject: { select: { name: true } } },
        })
      : Promise.resolve([]),
    db.studentMovement.findFirst({
      where: { schoolId: actor.schoolId, studentId, kind: "LEAVING" },
      orderBy: { id: "desc" },
    }),
  ]);
  const bySubject = new Map<
    string,
    MarksExtract["subjects"][number] & { weights: { value: string; weight: number }[] }
  >();
  const subjectOf = (name: string) => {
    let s = bySubject.get(name);
    if (!s) {
      s = { subject: name, marks: [], average: null, termGrades: {}, weights: [] };
      bySubject.set(name, s);
    }
    return s;
  };
  for (const m of marks) {
    const s = subjectOf(m.subject.name);
    s.marks.push({ date: toIsoDate(m.date), value: m.value });
    s.weights.push({ value: m.value, weight: Number(m.weight) });
  }
  for (const g of termGrades) subjectOf(g.subject.name).termGrades[g.periodId] = g.value;
  const subjects = [...bySubject.values()]
    .map(({ weights, ...s }) => {
      const avg = weightedAverage(weights);
      return { ...s, average: avg === null ? null : roundAverage(avg) };
    })
    .sort((a, b) => a.subject.localeCompare(b.subject, "ru"));
  const p = student.person;
  return {
    school: school.name,
    studentId,
    studentName: [p.lastName, p.firstName, p.middleName].filter(Boolean).join(" "),
    yearName: year?.name ?? null,
    classes: student.enrollments
      .filter((e) => !year || e.class.yearId === year.id)
      .sort((a, b) => a.fromDate.getTime() - b.fromDate.getTime())
      .map((e) => ({ name: e.class.name, from: toIsoDate(e.fromDate), to: e.toDate ? toIsoDate(e.toDate) : null })),
    leaving: leaving
      ? { date: toIsoDate(leaving.date), orderNo: leaving.orderNo, orderDate: toIsoDate(leaving.orderDate) }
      : null,
    periods: periods.map((x) => ({ periodId: x.id, kind: x.kind, number: x.number })),
    subjects,
    madeOn: local.date,
  };
}
