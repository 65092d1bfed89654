// Student movement during the year: admission, leaving, transfer to another class, a change of subgroup,
// each by the administration's order, in one transaction with its StudentMovement row and audit event.
// Enrollments are closed and opened, never rewritten: every mark keeps its lesson and therefore its class, so
// the old class's journal keeps what was done there and the new class shows the student from the date on.
import { z } from "zod";
import { requirePermission } from "../access/index.ts";
import type { AnyActor } from "../actor.ts";
import { appendAudit } from "../audit.ts";
import { fromIsoDate, type IsoDate, toIsoDate } from "../dates.ts";
import { AppError, invalid, notFound } from "../errors.ts";
import { idSchema, isoDateSchema, parseInput } from "../journal/common.ts";
import { enqueueOutbox } from "../outbox.ts";
import type { Db, Tx } from "../tx.ts";
import { type OrderInput, orderSchema } from "./order.ts";

export interface MovementResult {
  movementId: number;
  studentId: number;
  kind: "ADMISSION" | "LEAVING" | "TRANSFER" | "SUBGROUP";
  date: IsoDate;
  fromClass: string | null;
  toClass: string | null;
}

const nameSchema = z.string().trim().min(1).max(60);
const admitSchema = z.object({
  lastName: nameSchema,
  firstName: nameSchema,
  middleName: nameSchema.optional(),
  classId: idSchema,
  date: isoDateSchema,
  order: orderSchema,
});
const transferSchema = z.object({ studentId: idSchema, classId: idSchema, date: isoDateSchema, order: orderSchema });
const subgroupSchema = z.object({ studentId: idSchema, subgroupId: idSchema, date: isoDateSchema, order: orderSchema });
const leaveSchema = z.object({ studentId: idSchema, date: isoDateSchema, order: orderSchema });

/** The enrollment a student is in on `date` (the one still open when several overlap), with its class. */
async function enrollmentOn(tx: Tx, schoolId: number, studentId: number, date: IsoDate) {
  const at = fromIsoDate(date);
  return tx.enrollment.findFirst({
    where: { schoolId, studentId, fromDate: { lte: at }, OR: [{ toDate: null }, { toDate: { gt: at } }] },
    orderBy: { fromDate: "desc" },
    select: { id: true, classId: true, fromDate: true, class: { select: { name: true, yearId: true } } },
  });
}

/**
 * A move dated in the past must not strand journal entries: marks or absences of the student in lessons of
 * the class they leave, on or after the date, would end up in a class they no longer belong to.
 */
async function requireNothingAfter(tx: Tx, studentId: number, classId: number, date: IsoDate) {
  const where = { studentId, date: { gte: fromIsoDate(date) }, lesson: { assignment: { classId } } };
  const [marks, absences] = await Promise.all([
    tx.mark.count({ where: { ...where, status: "ACTIVE" } }),
    tx.attendance.count({ where }),
  ]);
  if (marks + absences > 0) throw new AppError("CONFLICT", { reason: "journal-after-date", marks, absences });
}

/** Ends the student's open subgroup memberships (of one class, or all) on `date`. */
async function endSubgroups(tx: Tx, schoolId: number, studentId: number, date: IsoDate, classId?: number) {
  const at = fromIsoDate(date);
  const open = await tx.subgroupMember.findMany({
    where: {
      schoolId,
      studentId,
      OR: [{ toDate: null }, { toDate: { gt: at } }],
      ...(classId ? { subgroup: { classId } } : {}),
    },
    select: { id: true, fromDate: true },
  });
  for (const m of open) {
    // a membership that had not started yet is closed on its first day: it never held a lesson
    const end = toIsoDate(m.fromDate) > date ? m.fromDate : at;
    await tx.subgroupMember.update({ where: { id: m.id }, data: { toDate: end } });
  }
}

async function record(
  tx: Tx,
  actor: AnyActor,
  m: {
    studentId: number;
    kind: MovementResult["kind"];
    date: IsoDate;
    order: OrderInput;
    fromClassId?: number | null;
    toClassId?: number | null;
    subjectId?: number;
    fromSubgroup?: number | null;
    toSubgroup?: number | null;
  },
) {
  const row = await tx.studentMovement.create({
    data: {
      schoolId: actor.schoolId,
      studentId: m.studentId,
      kind: m.kind,
      fromClassId: m.fromClassId ?? null,
      toClassId: m.toClassId ?? null,
      subjectId: m.subjectId ?? null,
      fromSubgroup: m.fromSubgroup ?? null,
      toSubgroup: m.toSubgroup ?? null,
      date: fromIsoDate(m.date),
      orderNo: m.order.number,
      orderDate: fromIsoDate(m.order.date),
      createdById: actor.personId,
    },
    select: { id: true },
  });
  await appendAudit(tx, actor, {
    action: `student.${m.kind.toLowerCase()}`,
    entity: "Student",
    entityId: m.studentId,
    data: {
      movementId: row.id,
      date: m.date,
      order: m.order,
      fromClassId: m.fromClassId ?? null,
      toClassId: m.toClassId ?? null,
      ...(m.subjectId ? { subjectId: m.subjectId, fromSubgroup: m.fromSubgroup, toSubgroup: m.toSubgroup } : {}),
    },
  });
  return row.id;
}

async function requireStudent(tx: Tx, schoolId: number, studentId: number) {
  const s = await tx.student.findFirst({ where: { id: studentId, schoolId }, select: { id: true, leftAt: true } });
  if (!s) throw notFound({ entity: "Student", id: studentId });
  return s;
}

async function requireClass(tx: Tx, schoolId: number, classId: number) {
  const c = await tx.classGroup.findFirst({
    where: { id: classId, schoolId },
    select: { id: true, name: true, yearId: true, year: { select: { closedAt: true } } },
  });
  if (!c) throw notFound({ entity: "ClassGroup", id: classId });
  if (c.year.closedAt) throw new AppError("LOCKED_PERIOD", { yearId: c.yearId });
  return c;
}

/** Admission: a new student (a new person) enrolled in a class from `date`. */
export async function admitStudent(db: Db, actor: AnyActor, input: z.input<typeof admitSchema>) {
  requirePermission(actor, "student.move");
  const data = parseInput(admitSchema, input);
  return db.$transaction(async (tx): Promise<MovementResult> => {
    const cls = await requireClass(tx, actor.schoolId, data.classId);
    const person = await tx.person.create({
      data: {
        schoolId: actor.schoolId,
        lastName: data.lastName,
        firstName: data.firstName,
        middleName: data.middleName ?? null,
      },
    });
    const student = await tx.student.create({ data: { schoolId: actor.schoolId, personId: person.id } });
    await tx.enrollment.create({
      data: { schoolId: actor.schoolId, studentId: student.id, classId: cls.id, fromDate: fromIsoDate(data.date) },
    });
    const movementId = await record(tx, actor, {
      studentId: student.id,
      kind: "ADMISSION",
      date: data.date,
      order: data.order,
      toClassId: cls.id,
    });
    return {
      movementId,
      studentId: student.id,
      kind: "ADMISSION",
      date: data.date,
      fromClass: null,
      toClass: cls.name,
    };
  });
}

/** Transfer to another class of the same year from `date` (the first day in the new class). */
export async function transferStudent(db: Db, actor: AnyActor, input: z.input<typeof transferSchema>) {
  requirePermission(actor, "student.move");
  const data = parseInput(transferSchema, input);
  return db.$transaction(async (tx): Promise<MovementResult> => {
    await requireStudent(tx, actor.schoolId, data.studentId);
    const to = await requireClass(tx, actor.schoolId, data.classId);
    const current = await enrollmentOn(tx, actor.schoolId, data.studentId, data.date);
    if (!current) throw invalid({ field: "date", reason: "not-enrolled" });
    if (current.classId === to.id) throw invalid({ field: "classId", reason: "same-class" });
    if (current.class.yearId !== to.yearId) throw invalid({ field: "classId", reason: "other-year" });
    if (toIsoDate(current.fromDate) >= data.date) throw invalid({ field: "date", reason: "before-enrollment" });
    await requireNothingAfter(tx, data.studentId, current.classId, data.date);
    const at = fromIsoDate(data.date);
    await tx.enrollment.update({ where: { id: current.id }, data: { toDate: at } });
    await endSubgroups(tx, actor.schoolId, data.studentId, data.date, current.classId);
    await tx.enrollment.create({
      data: { schoolId: actor.schoolId, studentId: data.studentId, classId: to.id, fromDate: at },
    });
    const movementId = await record(tx, actor, {
      studentId: data.studentId,
      kind: "TRANSFER",
      date: data.date,
      order: data.order,
      fromClassId: current.classId,
      toClassId: to.id,
    });
    return {
      movementId,
      studentId: data.studentId,
      kind: "TRANSFER",
      date: data.date,
      fromClass: current.class.name,
      toClass: to.name,
    };
  });
}

/** Moves the student into another subgroup of the same subject in their class from `date`. */
export async function changeSubgroup(db: Db, actor: AnyActor, input: z.input<typeof subgroupSchema>) {
  requirePermission(actor, "student.move");
  const data = parseInput(subgroupSchema, input);
  return db.$transaction(async (tx): Promise<MovementResult> => {
    await requireStudent(tx, actor.schoolId, data.studentId);
    const target = await tx.subgroup.findFirst({
      where: { id: data.subgroupId, schoolId: actor.schoolId },
      select: { id: true, classId: true, subjectId: true, number: true, class: { select: { name: true } } },
    });
    if (!target) throw notFound({ entity: "Subgroup", id: data.subgroupId });
    const current = await enrollmentOn(tx, actor.schoolId, data.studentId, data.date);
    if (!current || current.classId !== target.classId) throw invalid({ field: "subgroupId", reason: "other-class" });
    const at = fromIsoDate(data.date);
    const open = await tx.subgroupMember.findMany({
      where: {
        schoolId: actor.schoolId,
        studentId: data.studentId,
        subgroup: { classId: target.classId, subjectId: target.subjectId },
        fromDate: { lte: at },
        OR: [{ toDate: null }, { toDate: { gt: at } }],
      },
      select: { id: true, subgroupId: true, subgroup: { select: { number: true } } },
    });
    if (open.some((m) => m.subgroupId === target.id)) throw invalid({ field: "subgroupId", reason: "same-subgroup" });
    for (const m of open) await tx.subgroupMember.update({ where: { id: m.id }, data: { toDate: at } });
    await tx.subgroupMember.create({
      data: { schoolId: actor.schoolId, subgroupId: target.id, studentId: data.studentId, fromDate: at },
    });
    const movementId = await record(tx, actor, {
      studentId: data.studentId,
      kind: "SUBGROUP",
      date: data.date,
      order: data.order,
      fromClassId: target.classId,
      toClassId: target.classId,
      subjectId: target.subjectId,
      fromSubgroup: open[0]?.subgroup.number ?? null,
      toSubgroup: target.number,
    });
    return {
      movementId,
      studentId: data.studentId,
      kind: "SUBGROUP",
      date: data.date,
      fromClass: target.class.name,
      toClass: target.class.name,
    };
  });
}

/**
 * Leaving the school from `date` (the first day no longer a student): enrollment and subgroups end, the student
 * is marked as left; marks, attendance and term grades stay. The families are told that the school hands them
 * an extract of the marks (000 §7.7).
 */
export async function leaveStudent(db: Db, actor: AnyActor, input: z.input<typeof leaveSchema>) {
  requirePermission(actor, "student.move");
  const data = parseInput(leaveSchema, input);
  return db.$transaction(async (tx): Promise<MovementResult> => {
    const student = await requireStudent(tx, actor.schoolId, data.studentId);
    if (student.leftAt) throw new AppError("CONFLICT", { reason: "already-left" });
    const last = await enrollmentOn(tx, actor.schoolId, data.studentId, data.date);
    if (last) {
      if (toIsoDate(last.fromDate) >= data.date) throw invalid({ field: "date", reason: "before-enrollment" });
      await requireNothingAfter(tx, data.studentId, last.classId, data.date);
    }
    const at = fromIsoDate(data.date);
    await tx.enrollment.updateMany({
      where: { schoolId: actor.schoolId, studentId: data.studentId, OR: [{ toDate: null }, { toDate: { gt: at } }] },
      data: { toDate: at },
    });
    await endSubgroups(tx, actor.schoolId, data.studentId, data.date);
    await tx.student.update({ where: { id: data.studentId }, data: { leftAt: at } });
    const movementId = await record(tx, actor, {
      studentId: data.studentId,
      kind: "LEAVING",
      date: data.date,
      order: data.order,
      fromClassId: last?.classId ?? null,
    });
    await enqueueOutbox(tx, actor.schoolId, { kind: "student.left", payload: { movementId } });
    return {
      movementId,
      studentId: data.studentId,
      kind: "LEAVING",
      date: data.date,
      fromClass: last?.class.name ?? null,
      toClass: null,
    };
  });
}
