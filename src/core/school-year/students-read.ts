// What the administration browses to record a movement: the classes of the current year, a class's
// students today, one student's card (class, subgroups, past movements) and where the student may be moved.
import { z } from "zod";
import { requirePermission } from "../access/index.ts";
import type { AnyActor } from "../actor.ts";
import { fromIsoDate, type IsoDate, toIsoDate } from "../dates.ts";
import { notFound } from "../errors.ts";
import { fullName, idSchema, parseInput, schoolNow } from "../journal/common.ts";
import type { DbOrTx } from "../tx.ts";

export interface ClassRef {
  classId: number;
  name: string;
  grade: number;
  students: number;
}

/** The academic year that holds `date`, else the latest one that has not been closed. */
export async function yearOn(db: DbOrTx, schoolId: number, date: IsoDate) {
  const at = fromIsoDate(date);
  return (
    (await db.academicYear.findFirst({
      where: { schoolId, startsOn: { lte: at }, endsOn: { gte: at } },
      orderBy: { startsOn: "desc" },
    })) ?? (await db.academicYear.findFirst({ where: { schoolId, closedAt: null }, orderBy: { startsOn: "desc" } }))
  );
}

const openOn = (at: Date) => ({ fromDate: { lte: at }, OR: [{ toDate: null }, { toDate: { gt: at } }] });

/** The classes of the current year with their number of students today, in grade and letter order. */
export async function movementClasses(db: DbOrTx, actor: AnyActor): Promise<{ today: IsoDate; classes: ClassRef[] }> {
  requirePermission(actor, "student.move");
  return currentClasses(db, actor.schoolId);
}

/** The same list without an access check: for callers that made their own. */
export async function currentClasses(db: DbOrTx, schoolId: number): Promise<{ today: IsoDate; classes: ClassRef[] }> {
  const { local } = await schoolNow(db, schoolId);
  const year = await yearOn(db, schoolId, local.date);
  if (!year) return { today: local.date, classes: [] };
  const at = fromIsoDate(local.date);
  const rows = await db.classGroup.findMany({
    where: { schoolId, yearId: year.id },
    select: {
      id: true,
      name: true,
      grade: true,
      letter: true,
      _count: { select: { enrollments: { where: openOn(at) } } },
    },
    orderBy: [{ grade: "asc" }, { letter: "asc" }],
  });
  return {
    today: local.date,
    classes: rows.map((c) => ({ classId: c.id, name: c.name, grade: c.grade, students: c._count.enrollments })),
  };
}

export interface StudentRef {
  studentId: number;
  name: string;
}

/** A class's students today, in journal order. */
export async function classStudentsToday(
  db: DbOrTx,
  actor: AnyActor,
  input: { classId: number },
): Promise<{ classId: number; name: string; students: StudentRef[] }> {
  requirePermission(actor, "student.move");
  return classStudentsOn(db, actor.schoolId, input);
}

/** The same list without an access check: for callers that made their own. */
export async function classStudentsOn(
  db: DbOrTx,
  schoolId: number,
  input: { classId: number },
): Promise<{ classId: number; name: string; students: StudentRef[] }> {
  const { classId } = parseInput(z.object({ classId: idSchema }), input);
  const cls = await db.classGroup.findFirst({ where: { id: classId, schoolId } });
  if (!cls) throw notFound({ entity: "ClassGroup", id: classId });
  const { local } = await schoolNow(db, schoolId);
  const rows = await db.student.findMany({
    where: { schoolId, enrollments: { some: { classId, ...openOn(fromIsoDate(local.date)) } } },
    select: { id: true, person: { select: { lastName: true, firstName: true } } },
  });
  const students = rows
    .map((s) => ({ studentId: s.id, name: fullName(s.person) }))
    .sort((a, b) => a.name.localeCompare(b.name, "ru"));
  return { classId, name: cls.name, students };
}

export interface MovementLine {
  kind: string;
  date: IsoDate;
  orderNo: string;
  orderDate: IsoDate;
  fromClass: string | null;
  toClass: string | null;
  fromSubgroup: number | null;
  toSubgroup: number | null;
}

export interface StudentCard {
  studentId: number;
  name: string;
  today: IsoDate;
  classId: number | null;
  className: string | null;
  leftAt: IsoDate | null;
  subgroups: { subgroupId: number; subjectName: string; number: number }[];
  /** Other classes of the same year, for a transfer. */
  classes: { classId: number; name: string }[];
  /** Other subgroups of the class (same subjects), for a change of subgroup. */
  otherSubgroups: { subgroupId: number; subjectName: string; number: number }[];
  movements: MovementLine[];
}

export async function studentCard(db: DbOrTx, actor: AnyActor, input: { studentId: number }): Promise<StudentCard> {
  requirePermission(actor, "student.move");
  const { studentId } = parseInput(z.object({ studentId: idSchema }), input);
  const { local } = await schoolNow(db, actor.schoolId);
  const at = fromIsoDate(local.date);
  const s = await db.student.findFirst({
    where: { id: studentId, schoolId: actor.schoolId },
    select: {
      id: true,
      leftAt: true,
      person: { select: { lastName: true, firstName: true, middleName: true } },
      enrollments: {
        where: openOn(at),
        select: { classId: true, class: { select: { name: true, yearId: true } } },
        take: 1,
      },
      subgroups: {
        where: openOn(at),
        select: {
          subgroupId: true,
          subgroup: { select: { number: true, subjectId: true, subject: { select: { name: true } } } },
        },
      },
    },
  });
  if (!s) throw notFound({ entity: "Student", id: studentId });
  const current = s.enrollments[0];
  const [classes, subgroups, movements] = await Promise.all([
    current
      ? db.classGroup.findMany({
          where: { schoolId: actor.schoolId, yearId: current.class.yearId, id: { not: current.classId } },
          select: { id: true, name: true },
          orderBy: [{ grade: "asc" }, { letter: "asc" }],
        })
      : Promise.resolve([]),
    current
      ? db.subgroup.findMany({
          where: { classId: current.classId },
          select: { id: true, number: true, subjectId: true, subject: { select: { name: true } } },
          orderBy: [{ subjectId: "asc" }, { number: "asc" }],
        })
      : Promise.resolve([]),
    db.studentMovement.findMany({ where: { schoolId: actor.schoolId, studentId }, orderBy: { id: "asc" } }),
  ]);
  const classIds = [...new Set(movements.flatMap((m) => [m.fromClassId, m.toClassId]).filter((x) => x !== null))];
  const names = new Map(
    (await db.classGroup.findMany({ where: { id: { in: classIds } }, select: { id: true, name: true } })).map((c) => [
      c.id,
      c.name,
    ]),
  );
  const mySubjects = new Set(s.subgroups.map((g) => g.subgroup.subjectId));
  const mine = new Set(s.subgroups.map((g) => g.subgroupId));
  const p = s.person;
  return {
    studentId,
    name: [p.lastName, p.firstName, p.middleName].filter(Boolean).join(" "),
    today: local.date,
    classId: current?.classId ?? null,
    className: current?.class.name ?? null,
    leftAt: s.leftAt ? toIsoDate(s.leftAt) : null,
    subgroups: s.subgroups.map((g) => ({
      subgroupId: g.subgroupId,
      subjectName: g.subgroup.subject.name,
      number: g.subgroup.number,
    })),
    classes: classes.map((c) => ({ classId: c.id, name: c.name })),
    otherSubgroups: subgroups
      .filter((g) => !mine.has(g.id) && mySubjects.has(g.subjectId))
      .map((g) => ({ subgroupId: g.id, subjectName: g.subject.name, number: g.number })),
    movements: movements.map((m) => ({
      kind: m.kind,
      date: toIsoDate(m.date),
      orderNo: m.orderNo,
      orderDate: toIsoDate(m.orderDate),
      fromClass: m.fromClassId ? (names.get(m.fromClassId) ?? null) : null,
      toClass: m.toClassId ? (names.get(m.toClassId) ?? null) : null,
      fromSubgroup: m.fromSubgroup,
      toSubgroup: m.toSubgroup,
    })),
  };
}
