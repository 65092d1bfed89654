// Homework: general for the lesson's class or subgroup, or individual for some of its students; files are
// opaque references; the due date defaults to the next lesson of the same assignment.
import { z } from "zod";
import { requireLessonWrite } from "../access/lessons.ts";
import { requireStudentRead } from "../access/students.ts";
import type { AnyActor } from "../actor.ts";
import { appendAudit } from "../audit.ts";
import { addDays, daysBetween, fromIsoDate, type IsoDate, toIsoDate } from "../dates.ts";
import { invalid } from "../errors.ts";
import { attends, loadStudentScope } from "../family/student-scope.ts";
import { enqueueOutbox } from "../outbox.ts";
import type { Db, DbOrTx } from "../tx.ts";
import { idSchema, isoDateSchema, parseInput, requirePerson } from "./common.ts";
import { rosterOf } from "./roster.ts";

export interface HomeworkFile {
  kind: "photo" | "document";
  fileId: string;
  name?: string;
}

export interface HomeworkView {
  homeworkId: number;
  lessonId: number;
  subjectId: number;
  /** The date of the lesson at which it was given. */
  givenOn: IsoDate;
  dueDate: IsoDate;
  text: string;
  files: HomeworkFile[];
  /** Empty for general homework; the students it is for when individual. */
  studentIds: number[];
  individual: boolean;
  authorId: number;
  createdAt: string;
  updatedAt: string;
}

const fileSchema = z.object({
  kind: z.enum(["photo", "document"]),
  fileId: z.string().min(1).max(300),
  name: z.string().trim().max(200).optional(),
});

/** The longest homework text, in characters. */
export const HOMEWORK_TEXT_MAX = 4000;

const setHomeworkSchema = z.object({
  lessonId: idSchema,
  /** Edit this homework of the lesson instead of adding one. */
  homeworkId: idSchema.optional(),
  text: z.string().trim().min(1).max(HOMEWORK_TEXT_MAX),
  files: z.array(fileSchema).max(10).optional(),
  dueDate: isoDateSchema.optional(),
  studentIds: z.array(idSchema).max(200).optional(),
});

export interface SetHomeworkInput {
  lessonId: number;
  homeworkId?: number;
  text: string;
  files?: HomeworkFile[];
  dueDate?: IsoDate;
  studentIds?: number[];
}

type HomeworkRow = {
  id: number;
  lessonId: number;
  text: string;
  files: unknown;
  dueDate: Date;
  studentIds: number[];
  authorId: number;
  createdAt: Date;
  updatedAt: Date;
};

function homeworkView(h: HomeworkRow, lesson: { subjectId: number; date: IsoDate }): HomeworkView {
  return {
    homeworkId: h.id,
    lessonId: h.lessonId,
    subjectId: lesson.subjectId,
    givenOn: lesson.date,
    dueDate: toIsoDate(h.dueDate),
    text: h.text,
    files: Array.isArray(h.files) ? (h.files as HomeworkFile[]) : [],
    studentIds: h.studentIds,
    individual: h.studentIds.length > 0,
    authorId: h.authorId,
    createdAt: h.createdAt.toISOString(),
    updatedAt: h.updatedAt.toISOString(),
  };
}

/** The date of the next lesson of the assignment after this date (cancelled ones skipped), else a week later. */
export async function defaultDueDate(db: DbOrTx, assignmentId: number, lessonDate: IsoDate): Promise<IsoDate> {
  const next = await db.lesson.findFirst({
    where: { assignmentId, date: { gt: fromIsoDate(lessonDate) }, status: { not: "CANCELLED" } },
    orderBy: [{ date: "asc" }, { slot: "asc" }],
    select: { date: true },
  });
  return next ? toIsoDate(next.date) : addDays(lessonDate, 7);
}

/** Adds homework to a lesson (or edits one of its homework), by the lesson's teacher or substitute. */
export async function setHomework(db: Db, actor: AnyActor, input: SetHomeworkInput): Promise<HomeworkView> {
  const ctx = await requireLessonWrite(db, actor, Number(input?.lessonId));
  const authorId = requirePerson(actor);
  const data = parseInput(setHomeworkSchema, input);
  const issues: { path: string; code: string; message: string }[] = [];
  if (data.dueDate && data.dueDate < ctx.date) {
    issues.push({ path: "dueDate", code: "before_lesson", message: "due before the lesson" });
  }
  if (data.dueDate && daysBetween(ctx.date, data.dueDate) > 120) {
    issues.push({ path: "dueDate", code: "too_far", message: "due more than 120 days later" });
  }
  const studentIds = [...new Set(data.studentIds ?? [])];
  if (studentIds.length > 0) {
    const roster = new Set((await rosterOf(db, ctx, ctx.date)).map((r) => r.studentId));
    for (const [i, id] of studentIds.entries()) {
      if (!roster.has(id)) {
        issues.push({ path: `studentIds.${i}`, code: "not_on_roster", message: "not on the lesson's roster" });
      }
    }
  }
  if (data.homeworkId) {
    const own = await db.homework.findFirst({
      where: { id: data.homeworkId, lessonId: ctx.lessonId },
      select: { id: true },
    });
    if (!own) issues.push({ path: "homeworkId", code: "not_of_lesson", message: "not a homework of this lesson" });
  }
  if (issues.length > 0) throw invalid({ issues });
  const dueDate = data.dueDate ?? (await defaultDueDate(db, ctx.assignmentId, ctx.date));
  const fields = {
    text: data.text,
    files: (data.files ?? []).map((f) => ({ kind: f.kind, fileId: f.fileId, ...(f.name ? { name: f.name } : {}) })),
    dueDate: fromIsoDate(dueDate),
    studentIds,
  };
  const row = await db.$transaction(async (tx) => {
    const h = data.homeworkId
      ? await tx.homework.update({ where: { id: data.homeworkId }, data: fields })
      : await tx.homework.create({
          data: { schoolId: actor.schoolId, lessonId: ctx.lessonId, authorId, ...fields },
        });
    await appendAudit(tx, actor, {
      action: data.homeworkId ? "homework.update" : "homework.create",
      entity: "Homework",
      entityId: h.id,
      data: { lessonId: ctx.lessonId, dueDate, studentIds, files: fields.files.length },
    });
    await enqueueOutbox(tx, actor.schoolId, {
      kind: data.homeworkId ? "homework.updated" : "homework.created",
      payload: { homeworkId: h.id },
    });
    return h;
  });
  return homeworkView(row, ctx);
}

export interface StudentHomeworkItem extends HomeworkView {
  subjectName: string;
  subjectShort: string;
}

/**
 * Homework visible to one student: general homework of the lessons they attend (class, subgroup, enrollment dates)
 * and individual homework naming them; by due date, or by the date it was given. No access check: callers do it.
 */
export async function visibleHomework(
  db: DbOrTx,
  schoolId: number,
  studentId: number,
  range: { by: "due" | "given"; from: IsoDate; to: IsoDate },
): Promise<StudentHomeworkItem[]> {
  // lessons at which homework due in the range was given lie up to 120 days earlier
  const scopeFrom = range.by === "due" ? addDays(range.from, -120) : range.from;
  const scope = await loadStudentScope(db, schoolId, studentId, scopeFrom, range.to);
  if (scope.classIds.length === 0) return [];
  const span = { gte: fromIsoDate(range.from), lte: fromIsoDate(range.to) };
  const rows = await db.homework.findMany({
    where: {
      schoolId,
      ...(range.by === "due" ? { dueDate: span } : {}),
      lesson: {
        ...(range.by === "given" ? { date: span } : {}),
        assignment: { classId: { in: scope.classIds } },
      },
      OR: [{ studentIds: { isEmpty: true } }, { studentIds: { has: studentId } }],
    },
    select: {
      id: true,
      lessonId: true,
      text: true,
      files: true,
      dueDate: true,
      studentIds: true,
      authorId: true,
      createdAt: true,
      updatedAt: true,
      lesson: {
        select: {
          date: true,
          assignment: {
            select: { classId: true, subgroupId: true, subject: { select: { id: true, name: true, short: true } } },
          },
        },
      },
    },
    orderBy: [{ dueDate: "asc" }, { id: "asc" }],
  });
  return rows
    .filter((h) =>
      attends(scope, {
        classId: h.lesson.assignment.classId,
        subgroupId: h.lesson.assignment.subgroupId,
        date: toIsoDate(h.lesson.date),
      }),
    )
    .map((h) => {
      const subject = h.lesson.assignment.subject;
      const view = homeworkView(h, { subjectId: subject.id, date: toIsoDate(h.lesson.date) });
      // a family sees only that the homework is individual, not who else it was given to
      return {
        ...view,
        studentIds: view.individual ? [studentId] : [],
        subjectName: subject.name,
        subjectShort: subject.short,
      };
    });
}

export const homeworkRangeSchema = z
  .object({ studentId: idSchema, from: isoDateSchema, to: isoDateSchema })
  .refine((r) => r.from <= r.to, { message: "from after to", path: ["to"] })
  .refine((r) => r.from > r.to || daysBetween(r.from, r.to) <= 93, { message: "range over 93 days", path: ["to"] });

/** Homework due in [from, to] for a student: general plus individual for that student only. */
export async function homeworkForStudent(
  db: Db,
  actor: AnyActor,
  input: { studentId: number; from: IsoDate; to: IsoDate },
): Promise<{ studentId: number; from: IsoDate; to: IsoDate; items: StudentHomeworkItem[] }> {
  await requireStudentRead(db, actor, Number(input?.studentId), "homework");
  const { studentId, from, to } = parseInput(homeworkRangeSchema, input);
  const items = await visibleHomework(db, actor.schoolId, studentId, { by: "due", from, to });
  return { studentId, from, to, items };
}
