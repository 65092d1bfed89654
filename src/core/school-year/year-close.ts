// Year close and promotion by order. The next year is prepared first (its periods and classes, by
// importing the new year's workbook or creating it); the plan says who moves where — 5А → 6А, the last grade
// leaves, those held back by the order stay in their grade — and applying it does all of it in one transaction:
// new enrollments from the new year's first day, old enrollments and groups ended that day, graduates marked as
// left, missing classes of the new year created, a StudentMovement per student, the old year closed (its marks
// locked, still readable) and its teaching assignments ended. Nothing of the old year is deleted or rewritten.
import { z } from "zod";
import { requirePermission } from "../access/index.ts";
import type { AnyActor } from "../actor.ts";
import { appendAudit } from "../audit.ts";
import { addDays, fromIsoDate, type IsoDate, toIsoDate } from "../dates.ts";
import { AppError, invalid, notFound } from "../errors.ts";
import { fullName, idSchema, parseInput } from "../journal/common.ts";
import type { Db, DbOrTx, Tx } from "../tx.ts";
import { orderSchema } from "./order.ts";

const closeSchema = z
  .object({
    fromYear: z.string().trim().min(1).max(20),
    toYear: z.string().trim().min(1).max(20),
    /** Students held back (repeat the grade) by the order. */
    heldBack: z.array(idSchema).max(2000).default([]),
    /** The last grade of the school: its students graduate. */
    lastGrade: z.number().int().min(1).max(11).default(11),
    order: orderSchema,
  })
  .strict();

export type YearCloseInput = z.input<typeof closeSchema>;

export interface PlannedMove {
  studentId: number;
  name: string;
  kind: "PROMOTION" | "HELD_BACK" | "GRADUATION";
  fromClass: string;
  toClass: string | null;
}

export interface YearClosePlan {
  fromYear: { yearId: number; name: string; endsOn: IsoDate };
  toYear: { yearId: number; name: string; startsOn: IsoDate };
  order: { number: string; date: IsoDate };
  moves: PlannedMove[];
  /** "5А → 6А: 24" lines, in class order. */
  byClass: { fromClass: string; toClass: string | null; kind: PlannedMove["kind"]; count: number }[];
  /** Classes of the new year the plan creates because the new year has none of that name. */
  createClasses: string[];
  /** Students already enrolled in a class of the new year (e.g. by the new year's import): left as they are. */
  alreadyPlaced: number;
}

interface Loaded {
  plan: YearClosePlan;
  from: { id: number; endsOn: Date };
  to: { id: number; startsOn: Date };
  targets: Map<string, { grade: number; letter: string }>;
  newClassIds: Map<string, number>;
}

async function load(db: DbOrTx, actor: AnyActor, input: YearCloseInput): Promise<Loaded> {
  const data = parseInput(closeSchema, input);
  const [from, to] = await Promise.all([
    db.academicYear.findUnique({ where: { schoolId_name: { schoolId: actor.schoolId, name: data.fromYear } } }),
    db.academicYear.findUnique({ where: { schoolId_name: { schoolId: actor.schoolId, name: data.toYear } } }),
  ]);
  if (!from) throw notFound({ entity: "AcademicYear", name: data.fromYear });
  if (!to) throw notFound({ entity: "AcademicYear", name: data.toYear });
  if (from.closedAt) throw new AppError("LOCKED_PERIOD", { yearId: from.id });
  if (to.startsOn <= from.endsOn) throw invalid({ field: "toYear", reason: "not-after" });
  const lastDay = from.endsOn;
  const enrollments = await db.enrollment.findMany({
    where: {
      schoolId: actor.schoolId,
      class: { yearId: from.id },
      fromDate: { lte: lastDay },
      OR: [{ toDate: null }, { toDate: { gt: lastDay } }],
      student: { leftAt: null },
    },
    select: {
      studentId: true,
      class: { select: { name: true, grade: true, letter: true } },
      student: { select: { person: { select: { lastName: true, firstName: true } } } },
    },
  });
  const [newClasses, placed] = await Promise.all([
    db.classGroup.findMany({ where: { schoolId: actor.schoolId, yearId: to.id }, select: { id: true, name: true } }),
    db.enrollment.findMany({
      where: {
        schoolId: actor.schoolId,
        class: { yearId: to.id },
        studentId: { in: enrollments.map((e) => e.studentId) },
      },
      select: { studentId: true },
    }),
  ]);
  const newClassIds = new Map(newClasses.map((c) => [c.name, c.id]));
  const already = new Set(placed.map((p) => p.studentId));
  const heldBack = new Set(data.heldBack);
  const unknown = data.heldBack.filter((id) => !enrollments.some((e) => e.studentId === id));
  if (unknown.length) throw invalid({ field: "heldBack", studentIds: unknown });
  const targets = new Map<string, { grade: number; letter: string }>();
  const moves: PlannedMove[] = [];
  for (const e of enrollments) {
    if (already.has(e.studentId)) continue;
    const c = e.class;
    const kind: PlannedMove["kind"] = heldBack.has(e.studentId)
      ? "HELD_BACK"
      : c.grade >= data.lastGrade
        ? "GRADUATION"
        : "PROMOTION";
    const grade = kind === "HELD_BACK" ? c.grade : c.grade + 1;
    const toClass = kind === "GRADUATION" ? null : `${grade}${c.letter}`;
    if (toClass) targets.set(toClass, { grade, letter: c.letter });
    moves.push({ studentId: e.studentId, name: fullName(e.student.person), kind, fromClass: c.name, toClass });
  }
  const classOrder = (name: string) => {
    const m = /^(\d+)(.*)$/.exec(name);
    return m ? Number(m[1]) * 1000 + (m[2].codePointAt(0) ?? 0) : 0;
  };
  moves.sort((a, b) => classOrder(a.fromClass) - classOrder(b.fromClass) || a.name.localeCompare(b.name, "ru"));
  const groups = new Map<string, YearClosePlan["byClass"][number]>();
  for (const m of moves) {
    const key = `${m.fromClass}|${m.toClass}|${m.kind}`;
    const g = groups.get(key) ?? { fromClass: m.fromClass, toClass: m.toClass, kind: m.kind, count: 0 };
    g.count++;
    groups.set(key, g);
  }
  return {
    plan: {
      fromYear: { yearId: from.id, name: from.name, endsOn: toIsoDate(from.endsOn) },
      toYear: { yearId: to.id, name: to.name, startsOn: toIsoDate(to.startsOn) },
      order: data.order,
      moves,
      byClass: [...groups.values()],
      createClasses: [...targets.keys()]
        .filter((n) => !newClassIds.has(n))
        .sort((a, b) => classOrder(a) - classOrder(b)),
      alreadyPlaced: already.size,
    },
    from: { id: from.id, endsOn: from.endsOn },
    to: { id: to.id, startsOn: to.startsOn },
    targets,
    newClassIds,
  };
}

/** The dry run: who moves where; writes nothing. */
export async function planYearClose(db: DbOrTx, actor: AnyActor, input: YearCloseInput): Promise<YearClosePlan> {
  requirePermission(actor, "year.close");
  return (await load(db, actor, input)).plan;
}

/** Applies the plan in one transaction (re-planned inside it, so it is exactly what the database holds). */
export async function applyYearClose(db: Db, actor: AnyActor, input: YearCloseInput): Promise<YearClosePlan> {
  requirePermission(actor, "year.close");
  return db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(7003, ${actor.schoolId}::int)`;
      const { plan, from, to, targets, newClassIds } = await load(tx, actor, input);
      await apply(tx, actor, plan, from, to, targets, newClassIds);
      return plan;
    },
    { timeout: 5 * 60_000, maxWait: 30_000 },
  );
}

async function apply(
  tx: Tx,
  actor: AnyActor,
  plan: YearClosePlan,
  from: Loaded["from"],
  to: Loaded["to"],
  targets: Loaded["targets"],
  newClassIds: Loaded["newClassIds"],
) {
  const schoolId = actor.schoolId;
  const start = to.startsOn;
  const afterLast = fromIsoDate(addDays(toIsoDate(from.endsOn), 1));
  for (const name of plan.createClasses) {
    const t = targets.get(name)!;
    const c = await tx.classGroup.create({
      data: { schoolId, yearId: to.id, name, grade: t.grade, letter: t.letter },
      select: { id: true },
    });
    newClassIds.set(name, c.id);
  }
  const ids = plan.moves.map((m) => m.studentId);
  const oldClass = { yearId: from.id };
  // old enrollments and groups of the year end on the new year's first day (graduates: the day after the last)
  const graduates = plan.moves.filter((m) => m.kind === "GRADUATION").map((m) => m.studentId);
  const staying = ids.filter((id) => !graduates.includes(id));
  for (const [students, end] of [
    [staying, start],
    [graduates, afterLast],
  ] as const) {
    if (students.length === 0) continue;
    await tx.enrollment.updateMany({
      where: {
        schoolId,
        studentId: { in: students },
        class: oldClass,
        OR: [{ toDate: null }, { toDate: { gt: end } }],
      },
      data: { toDate: end },
    });
    await tx.subgroupMember.updateMany({
      where: {
        schoolId,
        studentId: { in: students },
        subgroup: { class: oldClass },
        OR: [{ toDate: null }, { toDate: { gt: end } }],
      },
      data: { toDate: end },
    });
  }
  const moving = plan.moves.filter((m) => m.toClass);
  if (moving.length) {
    await tx.enrollment.createMany({
      data: moving.map((m) => ({
        schoolId,
        studentId: m.studentId,
        classId: newClassIds.get(m.toClass!)!,
        fromDate: start,
      })),
    });
  }
  if (graduates.length) {
    await tx.student.updateMany({ where: { id: { in: graduates }, leftAt: null }, data: { leftAt: afterLast } });
  }
  const oldIds = new Map(
    (await tx.classGroup.findMany({ where: { schoolId, yearId: from.id }, select: { id: true, name: true } })).map(
      (c) => [c.name, c.id],
    ),
  );
  await tx.studentMovement.createMany({
    data: plan.moves.map((m) => ({
      schoolId,
      studentId: m.studentId,
      kind: m.kind,
      fromClassId: oldIds.get(m.fromClass) ?? null,
      toClassId: m.toClass ? (newClassIds.get(m.toClass) ?? null) : null,
      date: m.kind === "GRADUATION" ? afterLast : start,
      orderNo: plan.order.number,
      orderDate: fromIsoDate(plan.order.date),
      createdById: actor.personId,
    })),
  });
  const now = new Date();
  await tx.teachingAssignment.updateMany({
    where: { schoolId, yearId: from.id, endedAt: null },
    data: { endedAt: now },
  });
  await tx.academicYear.update({ where: { id: from.id }, data: { closedAt: now } });
  await appendAudit(tx, actor, {
    action: "year.close",
    entity: "AcademicYear",
    entityId: from.id,
    data: {
      toYearId: to.id,
      order: plan.order,
      promoted: plan.moves.filter((m) => m.kind === "PROMOTION").length,
      heldBack: plan.moves.filter((m) => m.kind === "HELD_BACK").map((m) => m.studentId),
      graduated: graduates.length,
      createdClasses: plan.createClasses,
      alreadyPlaced: plan.alreadyPlaced,
    },
  });
}

const yearSchema = z
  .object({
    name: z.string().trim().min(1).max(20),
    startsOn: z.string(),
    endsOn: z.string(),
  })
  .strict();

/** Creates the next academic year (when it is not imported from its workbook); periods come with the import. */
export async function createAcademicYear(db: Db, actor: AnyActor, input: z.input<typeof yearSchema>) {
  requirePermission(actor, "year.close");
  const data = parseInput(yearSchema, input);
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(data.startsOn) ||
    !/^\d{4}-\d{2}-\d{2}$/.test(data.endsOn) ||
    data.endsOn <= data.startsOn
  ) {
    throw invalid({ field: "endsOn" });
  }
  return db.$transaction(async (tx) => {
    const exists = await tx.academicYear.findUnique({
      where: { schoolId_name: { schoolId: actor.schoolId, name: data.name } },
    });
    if (exists) throw new AppError("CONFLICT", { reason: "year-exists" });
    const y = await tx.academicYear.create({
      data: {
        schoolId: actor.schoolId,
        name: data.name,
        startsOn: fromIsoDate(data.startsOn),
        endsOn: fromIsoDate(data.endsOn),
      },
      select: { id: true },
    });
    await appendAudit(tx, actor, { action: "year.create", entity: "AcademicYear", entityId: y.id, data });
    return { yearId: y.id };
  });
}

/** Student ids for the people's external ids of the school's files (the held-back list of the CLI). */
export async function studentIdsByExternalId(db: DbOrTx, actor: AnyActor, externalIds: string[]) {
  requirePermission(actor, "year.close");
  const rows = await db.student.findMany({
    where: { schoolId: actor.schoolId, person: { externalId: { in: externalIds } } },
    select: { id: true, person: { select: { externalId: true } } },
  });
  const found = new Map(rows.map((r) => [r.person.externalId, r.id]));
  const missing = externalIds.filter((x) => !found.has(x));
  if (missing.length) throw invalid({ field: "heldBack", externalIds: missing });
  return externalIds.map((x) => found.get(x)!);
}
