// absence-notice.created { noticeId } → the class teacher of the student's class on the notice's first day
// learns that a parent reported an absence in advance, with "confirm" (the same confirmation as in /class).
import { z } from "zod";
import { confirmCallback } from "../../actions/notices.ts";
import { fullNameOf } from "../../core/accounts/index.ts";
import { toIsoDate } from "../../core/dates.ts";
import { translator } from "../../i18n.ts";
import type { OutboxHandler } from "../outbox/handler.ts";
import { displayDate } from "../outbox-handlers/format.ts";
import { languagesOf } from "./recipient-language.ts";

const payloadSchema = z.object({ noticeId: z.number().int().positive() });

export function displayRange(from: string, to: string): string {
  return from === to ? displayDate(from) : `${displayDate(from)}–${displayDate(to)}`;
}

export const absenceNoticeCreatedHandler: OutboxHandler = {
  kind: "absence-notice.created",
  async handle(row, { db }) {
    const { noticeId } = payloadSchema.parse(row.payload);
    const n = await db.absenceNotice.findUnique({
      where: { id: noticeId },
      select: {
        id: true,
        schoolId: true,
        reportedById: true,
        fromDate: true,
        toDate: true,
        reason: true,
        comment: true,
        confirmedAt: true,
        studentId: true,
        student: { select: { person: { select: { lastName: true, firstName: true } } } },
      },
    });
    if (!n || n.schoolId !== row.schoolId) return [];
    const enrollment = await db.enrollment.findFirst({
      where: {
        schoolId: n.schoolId,
        studentId: n.studentId,
        fromDate: { lte: n.toDate },
        OR: [{ toDate: null }, { toDate: { gt: n.fromDate } }],
      },
      orderBy: { fromDate: "asc" },
      select: { class: { select: { name: true, classTeacherId: true } } },
    });
    const classTeacherId = enrollment?.class.classTeacherId;
    if (!classTeacherId) return [];
    const parent = await db.person.findUnique({
      where: { id: n.reportedById },
      select: { lastName: true, firstName: true, middleName: true },
    });
    const t = translator((await languagesOf(db, [classTeacherId])).get(classTeacherId) ?? "ru");
    const from = toIsoDate(n.fromDate);
    const to = toIsoDate(n.toDate);
    return [
      {
        dedupKey: `absence-notice-${n.id}-${classTeacherId}`,
        schoolId: n.schoolId,
        personId: classTeacherId,
        kind: "absence-notice.created",
        render: {
          key: "notices:absence.notifyClassTeacher",
          params: {
            parent: parent ? fullNameOf(parent) : "",
            child: `${n.student.person.lastName} ${n.student.person.firstName}`,
            class: enrollment.class.name,
            dates: displayRange(from, to),
            reason: t(`notices:absence.reasonText.${n.reason}`),
            comment: n.comment ? t("notices:absence.commentLine", { comment: n.comment }) : "",
          },
        },
        buttons: n.confirmedAt
          ? undefined
          : [[{ text: t("notices:absence.confirm"), action: confirmCallback.encode({ noticeId: n.id }) }]],
      },
    ];
  },
};
