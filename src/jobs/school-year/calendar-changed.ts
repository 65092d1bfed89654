// calendar.changed { orderId } → the guardians of record of every student of the classes concerned
// (one class, or the whole school) are told about the quarantine, the days off or the moved working day and the
// order it was made by. Recipients are taken as of the change's first day.
import { z } from "zod";
import { toIsoDate } from "../../core/dates.ts";
import { translator } from "../../i18n.ts";
import { languagesOf } from "../notices-messages/recipient-language.ts";
import type { OutboxHandler, OutgoingMessage } from "../outbox/handler.ts";
import { dottedDate } from "./student-left.ts";

const payloadSchema = z.object({ orderId: z.number().int().positive() });

export const calendarChangedHandler: OutboxHandler = {
  kind: "calendar.changed",
  async handle(row, { db }) {
    const { orderId } = payloadSchema.parse(row.payload);
    const o = await db.calendarOrder.findUnique({ where: { id: orderId } });
    if (!o || o.schoolId !== row.schoolId) return [];
    const at = o.fromDate;
    const guardians = await db.guardianship.findMany({
      where: {
        schoolId: o.schoolId,
        endedAt: null,
        consentGivenAt: { not: null },
        consentRevokedAt: null,
        guardian: { accounts: { some: { blockedAt: null } } },
        student: {
          leftAt: null,
          enrollments: {
            some: {
              ...(o.classId ? { classId: o.classId } : {}),
              fromDate: { lte: at },
              OR: [{ toDate: null }, { toDate: { gt: at } }],
            },
          },
        },
      },
      select: { guardianId: true },
      distinct: ["guardianId"],
      orderBy: { guardianId: "asc" },
    });
    if (guardians.length === 0) return [];
    const [cls, langs] = await Promise.all([
      o.classId ? db.classGroup.findUnique({ where: { id: o.classId }, select: { name: true } }) : null,
      languagesOf(
        db,
        guardians.map((g) => g.guardianId),
      ),
    ]);
    const from = toIsoDate(o.fromDate);
    const to = toIsoDate(o.toDate);
    const key = `school-year:calendar.family.${o.kind}${o.kind === "QUARANTINE" && cls ? "_class" : ""}${from === to ? "_day" : ""}`;
    return guardians.map(({ guardianId }): OutgoingMessage => {
      const t = translator(langs.get(guardianId) ?? "ru");
      return {
        dedupKey: `calendar-${orderId}-${guardianId}`,
        schoolId: o.schoolId,
        personId: guardianId,
        kind: "calendar.changed",
        render: {
          key,
          params: {
            className: cls?.name ?? "",
            from: dottedDate(from),
            to: dottedDate(to),
            weekday: o.weekdayAs ? t(`school-year:weekday.${o.weekdayAs}`) : "",
            note: o.note ? t("school-year:calendar.noteLine", { note: o.note }) : "",
            orderNo: o.orderNo,
            orderDate: dottedDate(toIsoDate(o.orderDate)),
          },
        },
      };
    });
  },
};
