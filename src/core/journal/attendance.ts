// Attendance of a whole lesson at once: the absent and the late, everyone else present. Idempotent (the same
// save twice writes nothing, audits nothing, notifies nothing), serialised per lesson by a row lock, and
// nothing is written when any student is not on the lesson's roster.
import { z } from "zod";
import { requireLessonWrite } from "../access/index.ts";
import type { AnyActor } from "../actor.ts";
import { appendAudit } from "../audit.ts";
import { fromIsoDate } from "../dates.ts";
import { AppError, invalid } from "../errors.ts";
import { enqueueOutbox } from "../outbox.ts";
import type { Db } from "../tx.ts";
import { type ClockOptions, fullName, idSchema, parseInput, schoolNow } from "./common.ts";
import { lockLesson } from "./lessons.ts";
import { rosterOf } from "./roster.ts";

export interface AttendanceInput {
  lessonId: number;
  absent?: number[];
  late?: number[];
}

export interface AttendanceSummary {
  lessonId: number;
  present: number;
  absent: { studentId: number; name: string }[];
  late: { studentId: number; name: string }[];
  /** False when the save found the lesson exactly as asked (nothing written, nothing notified). */
  changed: boolean;
}

const saveInput = z
  .object({
    lessonId: idSchema,
    absent: z.array(idSchema).max(500).default([]),
    late: z.array(idSchema).max(500).default([]),
  })
  .strict();

type Status = "ABSENT" | "LATE";

export async function saveAttendance(
  db: Db,
  actor: AnyActor,
  input: AttendanceInput,
  opts: ClockOptions = {},
): Promise<AttendanceSummary> {
  const parsed = parseInput(saveInput, input);
  const ctx = await requireLessonWrite(db, actor, parsed.lessonId);
  const absent = [...new Set(parsed.absent)];
  const late = [...new Set(parsed.late)];
  const both = absent.filter((id) => late.includes(id));
  if (both.length > 0) throw invalid({ field: "late", bothAbsentAndLate: both });
  const { local, now } = await schoolNow(db, actor.schoolId, opts);
  if (ctx.date > local.date) throw invalid({ field: "lessonId", lessonDate: "future" });

  const wanted = new Map<number, Status>([
    ...absent.map((id) => [id, "ABSENT"] as [number, Status]),
    ...late.map((id) => [id, "LATE"] as [number, Status]),
  ]);
  const at = fromIsoDate(ctx.date);

  return db.$transaction(async (tx) => {
    await lockLesson(tx, ctx.lessonId);
    const [lesson, roster, existing] = await Promise.all([
      tx.lesson.findUniqueOrThrow({ where: { id: ctx.lessonId }, select: { status: true, attendanceTakenAt: true } }),
      rosterOf(tx, { schoolId: ctx.schoolId, classId: ctx.classId, subgroupId: ctx.subgroupId }, ctx.date),
      tx.attendance.findMany({
        where: { lessonId: ctx.lessonId },
        select: { id: true, studentId: true, status: true },
      }),
    ]);
    if (lesson.status === "CANCELLED") throw new AppError("CONFLICT", { lessonId: ctx.lessonId, status: "CANCELLED" });
    const onRoster = new Set(roster.map((r) => r.studentId));
    const foreign = [...wanted.keys()].filter((id) => !onRoster.has(id));
    if (foreign.length > 0) throw invalid({ field: "students", notOnRoster: foreign });

    const had = new Map(existing.map((r) => [r.studentId, r]));
    const removed = existing.filter((r) => !wanted.has(r.studentId));
    const added = [...wanted].filter(([id]) => !had.has(id));
    const switched = [...wanted].filter(([id, status]) => had.has(id) && had.get(id)!.status !== status);
    const changed = removed.length + added.length + switched.length > 0 || lesson.attendanceTakenAt === null;

    const summary: AttendanceSummary = {
      lessonId: ctx.lessonId,
      present: roster.filter((r) => !wanted.has(r.studentId)).length,
      absent: roster
        .filter((r) => wanted.get(r.studentId) === "ABSENT")
        .map((r) => ({ studentId: r.studentId, name: fullName(r) })),
      late: roster
        .filter((r) => wanted.get(r.studentId) === "LATE")
        .map((r) => ({ studentId: r.studentId, name: fullName(r) })),
      changed,
    };
    if (!changed) return summary;

    // A parent's notice confirmed by the class teacher gives the reason of a new absence.
    const newlyAbsent = added.filter(([, s]) => s === "ABSENT").map(([id]) => id);
    const notices =
      newlyAbsent.length === 0
        ? []
        : await tx.absenceNotice.findMany({
            where: {
              schoolId: ctx.schoolId,
              studentId: { in: newlyAbsent },
              confirmedAt: { not: null },
              fromDate: { lte: at },
              toDate: { gte: at },
            },
            orderBy: { id: "desc" },
            select: { id: true, studentId: true, reason: true },
          });
    const noticeOf = new Map<number, { id: number; reason: "ILLNESS" | "EXCUSED" | "UNEXCUSED" }>();
    for (const n of notices) if (!noticeOf.has(n.studentId)) noticeOf.set(n.studentId, n);

    if (removed.length > 0) await tx.attendance.deleteMany({ where: { id: { in: removed.map((r) => r.id) } } });
    for (const status of ["ABSENT", "LATE"] as const) {
      const ids = switched.filter(([, s]) => s === status).map(([id]) => had.get(id)!.id);
      if (ids.length > 0) {
        await tx.attendance.updateMany({ where: { id: { in: ids } }, data: { status, updatedById: actorId(actor) } });
      }
    }
    const created =
      added.length === 0
        ? []
        : await tx.attendance.createManyAndReturn({
            data: added.map(([studentId, status]) => {
              const notice = status === "ABSENT" ? noticeOf.get(studentId) : undefined;
              return {
                schoolId: ctx.schoolId,
                studentId,
                lessonId: ctx.lessonId,
                classId: ctx.classId,
                date: at,
                status,
                reason: notice?.reason ?? null,
                noticeId: notice?.id ?? null,
                updatedById: actorId(actor),
              };
            }),
            select: { id: true },
          });
    if (lesson.attendanceTakenAt === null) {
      await tx.lesson.update({ where: { id: ctx.lessonId }, data: { attendanceTakenAt: now }, select: { id: true } });
    }
    await appendAudit(tx, actor, {
      action: "attendance.save",
      entity: "Lesson",
      entityId: ctx.lessonId,
      data: {
        absent: summary.absent.map((s) => s.studentId),
        late: summary.late.map((s) => s.studentId),
        added: added.map(([id]) => id),
        removed: removed.map((r) => r.studentId),
        switched: switched.map(([id]) => id),
      },
    });
    await enqueueOutbox(
      tx,
      ctx.schoolId,
      created.map((r) => ({ kind: "attendance.absent", payload: { attendanceId: r.id } })),
    );
    return summary;
  });
}

/** The one-tap «Все на месте»: everyone present. */
export function markAllPresent(
  db: Db,
  actor: AnyActor,
  input: { lessonId: number },
  opts: ClockOptions = {},
): Promise<AttendanceSummary> {
  const { lessonId } = parseInput(z.object({ lessonId: idSchema }).strict(), input);
  return saveAttendance(db, actor, { lessonId, absent: [], late: [] }, opts);
}

/** Who is written as having changed a row: the person, or 0 for a job (the audit event says "system"). */
function actorId(actor: AnyActor): number {
  return actor.system ? 0 : actor.personId;
}
