// Absence reasons: the class teacher of the student's class or the administration sets them; a subject
// teacher of the lesson only where the school allows (settings.teachersSetAbsenceReasons).
import { z } from "zod";
import { can, requireClassManage, resolveLessons } from "../access/index.ts";
import type { AnyActor } from "../actor.ts";
import { appendAudit } from "../audit.ts";
import { daysBetween, fromIsoDate, type IsoDate, toIsoDate } from "../dates.ts";
import { forbidden, invalid } from "../errors.ts";
import { getSchool } from "../settings.ts";
import type { Db, DbOrTx } from "../tx.ts";
import { absenceReasonSchema, fullName, idSchema, isoDateSchema, parseInput } from "./common.ts";

export type AbsenceReason = "ILLNESS" | "EXCUSED" | "UNEXCUSED";

export interface ClassAbsence {
  attendanceId: number;
  studentId: number;
  studentName: string;
  date: IsoDate;
  lessonId: number;
  slot: number;
  subjectShort: string;
  status: "ABSENT" | "LATE";
  reason: AbsenceReason | null;
  noticeId: number | null;
}

const listInput = z
  .object({
    classId: idSchema,
    from: isoDateSchema,
    to: isoDateSchema,
    onlyWithoutReason: z.boolean().optional(),
  })
  .strict();

/** Absences and lateness of a class in a date range (inclusive), by date and bell. */
export async function classAbsences(
  db: DbOrTx,
  actor: AnyActor,
  input: { classId: number; from: IsoDate; to: IsoDate; onlyWithoutReason?: boolean },
): Promise<{ classId: number; className: string; from: IsoDate; to: IsoDate; items: ClassAbsence[] }> {
  const q = parseInput(listInput, input);
  const cls = await requireClassManage(db, actor, q.classId);
  if (q.from > q.to || daysBetween(q.from, q.to) > 366) throw invalid({ field: "to", from: q.from, to: q.to });
  const rows = await db.attendance.findMany({
    where: {
      schoolId: actor.schoolId,
      classId: q.classId,
      date: { gte: fromIsoDate(q.from), lte: fromIsoDate(q.to) },
      ...(q.onlyWithoutReason ? { status: "ABSENT", reason: null } : {}),
    },
    select: {
      id: true,
      studentId: true,
      date: true,
      status: true,
      reason: true,
      noticeId: true,
      lessonId: true,
      lesson: { select: { slot: true, assignment: { select: { subject: { select: { short: true } } } } } },
      student: { select: { person: { select: { lastName: true, firstName: true } } } },
    },
  });
  const items = rows
    .map((r) => ({
      attendanceId: r.id,
      studentId: r.studentId,
      studentName: fullName(r.student.person),
      date: toIsoDate(r.date),
      lessonId: r.lessonId,
      slot: r.lesson.slot,
      subjectShort: r.lesson.assignment.subject.short,
      status: r.status,
      reason: r.reason,
      noticeId: r.noticeId,
    }))
    .sort(
      (a, b) => a.date.localeCompare(b.date) || a.slot - b.slot || a.studentName.localeCompare(b.studentName, "ru"),
    );
  return { classId: cls.classId, className: cls.name, from: q.from, to: q.to, items };
}

const setInput = z
  .object({
    attendanceId: idSchema.optional(),
    attendanceIds: z.array(idSchema).min(1).max(500).optional(),
    reason: absenceReasonSchema,
  })
  .strict()
  .refine((v) => (v.attendanceId === undefined) !== (v.attendanceIds === undefined), {
    message: "exactly one of attendanceId, attendanceIds",
    path: ["attendanceIds"],
  });

/**
 * Which of these attendance rows the actor may give a reason to. All rows must exist in the actor's school;
 * decided in at most three queries for the whole list.
 */
async function requireReasonRights(db: DbOrTx, actor: AnyActor, ids: number[]) {
  const rows = await db.attendance.findMany({
    where: { id: { in: ids }, schoolId: actor.schoolId },
    select: {
      id: true,
      lessonId: true,
      studentId: true,
      reason: true,
      lesson: { select: { assignment: { select: { class: { select: { classTeacherId: true } } } } } },
    },
  });
  if (rows.length !== ids.length) {
    const found = new Set(rows.map((r) => r.id));
    throw forbidden({ attendanceIds: ids.filter((id) => !found.has(id)) });
  }
  if (can(actor, "attendance.reason.all")) return rows;
  const personId = actor.system ? -1 : actor.personId;
  let pending = rows.filter((r) => r.lesson.assignment.class.classTeacherId !== personId);
  if (pending.length > 0 && (await getSchool(db, actor.schoolId)).settings.teachersSetAbsenceReasons) {
    const lessons = await resolveLessons(
      db,
      actor,
      pending.map((r) => r.lessonId),
    );
    pending = pending.filter((r) => !lessons.get(r.lessonId)?.write);
  }
  if (pending.length > 0) throw forbidden({ attendanceIds: pending.map((r) => r.id) });
  return rows;
}

export async function setAbsenceReason(
  db: Db,
  actor: AnyActor,
  input: { attendanceId?: number; attendanceIds?: number[]; reason: AbsenceReason },
): Promise<{ changed: boolean; items: { attendanceId: number; reason: AbsenceReason }[] }> {
  const q = parseInput(setInput, input);
  const ids = [...new Set(q.attendanceIds ?? [q.attendanceId!])];
  await requireReasonRights(db, actor, ids);
  return db.$transaction(async (tx) => {
    // re-read inside the transaction so the audit records the value actually replaced
    const rows = await tx.attendance.findMany({
      where: { id: { in: ids }, schoolId: actor.schoolId },
      select: { id: true, reason: true, studentId: true, lessonId: true },
    });
    const toChange = rows.filter((r) => r.reason !== q.reason);
    if (toChange.length > 0) {
      await tx.attendance.updateMany({
        where: { id: { in: toChange.map((r) => r.id) } },
        data: { reason: q.reason, updatedById: actor.system ? 0 : actor.personId },
      });
      await appendAudit(
        tx,
        actor,
        toChange.map((r) => ({
          action: "attendance.reason",
          entity: "Attendance",
          entityId: r.id,
          data: { studentId: r.studentId, lessonId: r.lessonId, from: r.reason, to: q.reason },
        })),
      );
    }
    return {
      changed: toChange.length > 0,
      items: rows.map((r) => ({ attendanceId: r.id, reason: q.reason })),
    };
  });
}
