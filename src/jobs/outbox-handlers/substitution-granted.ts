// substitution.granted { substitutionId } → the substitute teacher learns which lesson they now teach, with a
// button to its card. Nothing when the substitution was revoked or its day has passed by the time it is sent.
import { z } from "zod";
import { cardCallback } from "../../actions/lesson.ts";
import { fullNameOf } from "../../core/accounts/index.ts";
import { localMoment, toIsoDate } from "../../core/dates.ts";
import { getSchool } from "../../core/settings.ts";
import { translator } from "../../i18n.ts";
import { languagesOf } from "../notices-messages/recipient-language.ts";
import type { OutboxHandler } from "../outbox/handler.ts";
import { displayDate } from "./format.ts";

const payloadSchema = z.object({ substitutionId: z.number().int().positive() });

export const substitutionGrantedHandler: OutboxHandler = {
  kind: "substitution.granted",
  async isCurrent(db, ref) {
    const sub = await db.substitution.findUnique({
      where: { id: Number(ref.substitutionId) },
      select: { revokedAt: true },
    });
    return !!sub && !sub.revokedAt;
  },
  async handle(row, { db, now }) {
    const { substitutionId } = payloadSchema.parse(row.payload);
    const sub = await db.substitution.findUnique({
      where: { id: substitutionId },
      select: {
        id: true,
        schoolId: true,
        substituteId: true,
        revokedAt: true,
        lesson: {
          select: {
            id: true,
            date: true,
            slot: true,
            status: true,
            assignment: {
              select: {
                subject: { select: { name: true } },
                class: { select: { name: true } },
                subgroup: { select: { number: true } },
                teacher: { select: { lastName: true, firstName: true, middleName: true } },
              },
            },
          },
        },
      },
    });
    if (!sub || sub.schoolId !== row.schoolId || sub.revokedAt || sub.lesson.status === "CANCELLED") return [];
    const school = await getSchool(db, row.schoolId);
    const date = toIsoDate(sub.lesson.date);
    if (date < localMoment(school.timezone, now).date) return [];
    const a = sub.lesson.assignment;
    const t = translator((await languagesOf(db, [sub.substituteId])).get(sub.substituteId) ?? "ru");
    return [
      {
        dedupKey: `substitution.granted-${sub.id}-${sub.substituteId}`,
        schoolId: row.schoolId,
        personId: sub.substituteId,
        kind: "substitution.granted",
        render: {
          key: a.subgroup ? "notify:substitution.grantedSubgroup" : "notify:substitution.granted",
          params: {
            subject: a.subject.name,
            className: a.class.name,
            no: a.subgroup?.number ?? 0,
            date: displayDate(date),
            slot: sub.lesson.slot,
            teacher: fullNameOf(a.teacher),
          },
        },
        buttons: [[{ text: t("notify:substitution.open"), action: cardCallback.encode({ lessonId: sub.lesson.id }) }]],
        ref: { substitutionId: sub.id },
      },
    ];
  },
};
