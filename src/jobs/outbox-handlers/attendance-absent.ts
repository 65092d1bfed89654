// attendance.absent { attendanceId } → each guardian who wants absence alerts learns that the child is absent
// (or late) at a lesson. Not delayed by quiet hours unless the school says so. An absence the parent reported
// in advance (linked AbsenceNotice) is not announced back to them.
import { z } from "zod";
import { localMoment, toIsoDate } from "../../core/dates.ts";
import { getSchool } from "../../core/settings.ts";
import type { OutboxHandler, OutgoingMessage } from "../outbox/handler.ts";
import { displayDate } from "./format.ts";
import { quietHoursEnd } from "./quiet-hours.ts";
import { guardiansOf } from "./recipients.ts";

const payloadSchema = z.object({ attendanceId: z.number().int().positive() });

export const attendanceAbsentHandler: OutboxHandler = {
  kind: "attendance.absent",
  /** Still absent (or late) when it goes: a roster corrected meanwhile removed the row. */
  async isCurrent(db, ref) {
    return (await db.attendance.count({ where: { id: Number(ref.attendanceId) } })) > 0;
  },
  async handle(row, { db, now }) {
    const { attendanceId } = payloadSchema.parse(row.payload);
    const att = await db.attendance.findUnique({
      where: { id: attendanceId },
      select: {
        id: true,
        schoolId: true,
        studentId: true,
        date: true,
        status: true,
        noticeId: true,
        student: { select: { person: { select: { firstName: true } } } },
        lesson: { select: { slot: true, assignment: { select: { subject: { select: { name: true } } } } } },
      },
    });
    if (!att || att.schoolId !== row.schoolId || att.noticeId !== null) return [];
    const school = await getSchool(db, row.schoolId);
    const date = toIsoDate(att.date);
    const past = date < localMoment(school.timezone, now).date;
    const status = att.status === "LATE" ? "late" : "absent";
    const key = `notify:${status}.${past ? "past" : "today"}`;
    const params = {
      child: att.student.person.firstName,
      subject: att.lesson.assignment.subject.name,
      date: displayDate(date),
      lesson: att.lesson.slot,
    };
    const guardians = await guardiansOf(db, row.schoolId, att.studentId);
    return guardians
      .filter((g) => g.prefs.alertAbsence)
      .map(
        (g): OutgoingMessage => ({
          dedupKey: `attendance.${status}-${att.id}-${g.personId}`,
          schoolId: row.schoolId,
          personId: g.personId,
          kind: "attendance.absent",
          render: { key, params },
          ref: { attendanceId: att.id },
          notBefore: school.settings.absenceAlertsRespectQuietHours
            ? quietHoursEnd(school.timezone, g.prefs.quietFrom, g.prefs.quietTo, now)
            : undefined,
        }),
      );
  },
};
