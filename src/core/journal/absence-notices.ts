// A parent's notice of an absence, in advance or after the fact: reported by a guardian with consent (R-05,
// R-09; students never write, R-06), confirmed by the class teacher, whose confirmation gives the reason to the
// absences of those days (now and when attendance is taken later).
import { z } from "zod";
import { can, requireClassManage } from "../access/index.ts";
import type { AnyActor } from "../actor.ts";
import { appendAudit } from "../audit.ts";
import { addDays, daysBetween, fromIsoDate, type IsoDate, toIsoDate } from "../dates.ts";
import { AppError, forbidden, invalid } from "../errors.ts";
import { enqueueOutbox } from "../outbox.ts";
import type { Db, DbOrTx } from "../tx.ts";
import type { AbsenceReason } from "./absence-reasons.ts";
import {
  absenceReasonSchema,
  type ClockOptions,
  fullName,
  idSchema,
  isoDateSchema,
  parseInput,
  requirePerson,
  schoolNow,
} from "./common.ts";

/** How far back a notice may start, and how long it may last. */
export const NOTICE_PAST_DAYS = 30;
export const NOTICE_MAX_DAYS = 60;

const reportInput = z
  .object({
    studentId: idSchema,
    from: isoDateSchema,
    to: isoDateSchema,
    reason: absenceReasonSchema,
    comment: z.string().trim().max(500).optional(),
  })
  .strict();

export interface NoticeCreated {
  noticeId: number;
  studentId: number;
  from: IsoDate;
  to: IsoDate;
  reason: AbsenceReason;
}

export async function reportAbsence(
  db: Db,
  actor: AnyActor,
  input: { studentId: number; from: IsoDate; to: IsoDate; reason: AbsenceReason; comment?: string },
  opts: ClockOptions = {},
): Promise<NoticeCreated> {
  const q = parseInput(reportInput, input);
  const personId = requirePerson(actor);
  const link = await db.guardianship.findFirst({
    where: { guardianId: personId, studentId: q.studentId, schoolId: actor.schoolId, endedAt: null },
    select: { consentGivenAt: true, consentRevokedAt: true },
  });
  if (!link) throw forbidden({ studentId: q.studentId });
  if (!link.consentGivenAt || link.consentRevokedAt) throw new AppError("CONSENT_REQUIRED", { studentId: q.studentId });
  const { local } = await schoolNow(db, actor.schoolId, opts);
  if (q.from > q.to || daysBetween(q.from, q.to) >= NOTICE_MAX_DAYS) {
    throw invalid({ field: "to", from: q.from, to: q.to });
  }
  if (q.from < addDays(local.date, -NOTICE_PAST_DAYS)) throw invalid({ field: "from", from: q.from });
  return db.$transaction(async (tx) => {
    const notice = await tx.absenceNotice.create({
      data: {
        schoolId: actor.schoolId,
        studentId: q.studentId,
        reportedById: personId,
        fromDate: fromIsoDate(q.from),
        toDate: fromIsoDate(q.to),
        reason: q.reason,
        comment: q.comment || null,
      },
      select: { id: true },
    });
    await appendAudit(tx, actor, {
      action: "absence-notice.create",
      entity: "AbsenceNotice",
      entityId: notice.id,
      data: { studentId: q.studentId, from: q.from, to: q.to, reason: q.reason },
    });
    await enqueueOutbox(tx, actor.schoolId, { kind: "absence-notice.created", payload: { noticeId: notice.id } });
    return { noticeId: notice.id, studentId: q.studentId, from: q.from, to: q.to, reason: q.reason };
  });
}

export interface PendingNotice {
  noticeId: number;
  studentId: number;
  studentName: string;
  from: IsoDate;
  to: IsoDate;
  reason: AbsenceReason;
  comment: string | null;
  reportedById: number;
  reportedByName: string | null;
  createdAt: string;
}

/** Notices about students of the class (enrolled on any of the notice's days) not yet confirmed. */
export async function pendingNotices(
  db: DbOrTx,
  actor: AnyActor,
  input: { classId: number },
): Promise<{ classId: number; notices: PendingNotice[] }> {
  const { classId } = parseInput(z.object({ classId: idSchema }).strict(), input);
  await requireClassManage(db, actor, classId);
  const notices = await db.absenceNotice.findMany({
    where: { schoolId: actor.schoolId, confirmedAt: null, student: { enrollments: { some: { classId } } } },
    orderBy: [{ fromDate: "asc" }, { id: "asc" }],
    select: {
      id: true,
      studentId: true,
      fromDate: true,
      toDate: true,
      reason: true,
      comment: true,
      reportedById: true,
      createdAt: true,
      student: {
        select: {
          person: { select: { lastName: true, firstName: true } },
          enrollments: { where: { classId }, select: { fromDate: true, toDate: true } },
        },
      },
    },
  });
  const mine = notices.filter((n) =>
    n.student.enrollments.some((e) => e.fromDate <= n.toDate && (e.toDate === null || e.toDate > n.fromDate)),
  );
  const reporters = await db.person.findMany({
    where: { id: { in: [...new Set(mine.map((n) => n.reportedById))] }, schoolId: actor.schoolId },
    select: { id: true, lastName: true, firstName: true },
  });
  const nameOf = new Map(reporters.map((p) => [p.id, fullName(p)]));
  return {
    classId,
    notices: mine.map((n) => ({
      noticeId: n.id,
      studentId: n.studentId,
      studentName: fullName(n.student.person),
      from: toIsoDate(n.fromDate),
      to: toIsoDate(n.toDate),
      reason: n.reason,
      comment: n.comment,
      reportedById: n.reportedById,
      reportedByName: nameOf.get(n.reportedById) ?? null,
      createdAt: n.createdAt.toISOString(),
    })),
  };
}

/**
 * The class teacher (of a class the student is in on the notice's days) or the administration confirms the
 * notice; absences of those days without a reason get the notice's reason.
 */
export async function confirmNotice(
  db: Db,
  actor: AnyActor,
  input: { noticeId: number },
): Promise<{ noticeId: number; changed: boolean; attendanceUpdated: number }> {
  const { noticeId } = parseInput(z.object({ noticeId: idSchema }).strict(), input);
  const notice = await db.absenceNotice.findFirst({
    where: { id: noticeId, schoolId: actor.schoolId },
    select: {
      id: true,
      studentId: true,
      fromDate: true,
      toDate: true,
      reason: true,
      confirmedAt: true,
      student: {
        select: {
          enrollments: { select: { fromDate: true, toDate: true, class: { select: { classTeacherId: true } } } },
        },
      },
    },
  });
  if (!notice) throw forbidden({ noticeId });
  const personId = actor.system ? -1 : actor.personId;
  const classTeacher = notice.student.enrollments.some(
    (e) =>
      e.class.classTeacherId === personId &&
      e.fromDate <= notice.toDate &&
      (e.toDate === null || e.toDate > notice.fromDate),
  );
  if (!classTeacher && !can(actor, "attendance.reason.all")) throw forbidden({ noticeId });
  return db.$transaction(async (tx) => {
    const claimed = await tx.absenceNotice.updateMany({
      where: { id: noticeId, confirmedAt: null },
      data: { confirmedAt: new Date(), confirmedById: actor.system ? null : actor.personId },
    });
    if (claimed.count === 0) return { noticeId, changed: false, attendanceUpdated: 0 };
    const updated = await tx.attendance.updateManyAndReturn({
      where: {
        schoolId: actor.schoolId,
        studentId: notice.studentId,
        status: "ABSENT",
        reason: null,
        date: { gte: notice.fromDate, lte: notice.toDate },
      },
      data: { reason: notice.reason, noticeId, updatedById: actor.system ? 0 : actor.personId },
      select: { id: true },
    });
    await appendAudit(tx, actor, {
      action: "absence-notice.confirm",
      entity: "AbsenceNotice",
      entityId: noticeId,
      data: { studentId: notice.studentId, reason: notice.reason, attendanceIds: updated.map((r) => r.id) },
    });
    return { noticeId, changed: true, attendanceUpdated: updated.length };
  });
}
