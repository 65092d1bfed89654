// period.closed { periodId } → every teacher of the school who linked the bot is told that the period is closed
// and its marks are locked (corrections only through the administration, with a reason). Nothing when the
// period was reopened since.
import { z } from "zod";
import { toIsoDate } from "../../core/dates.ts";
import type { OutboxHandler, OutgoingMessage } from "../outbox/handler.ts";
import { displayDate } from "../outbox-handlers/format.ts";

export const PERIOD_CLOSED_KIND = "period.closed";

const payloadSchema = z.object({ periodId: z.number().int().positive() });

export const periodClosedHandler: OutboxHandler = {
  kind: PERIOD_CLOSED_KIND,
  async handle(row, { db }) {
    const { periodId } = payloadSchema.parse(row.payload);
    const p = await db.period.findFirst({
      where: { id: periodId, schoolId: row.schoolId },
      select: { id: true, kind: true, number: true, startsOn: true, endsOn: true, closedAt: true },
    });
    if (!p?.closedAt) return [];
    const teachers = await db.staffRole.findMany({
      where: {
        schoolId: row.schoolId,
        role: "TEACHER",
        person: { accounts: { some: { blockedAt: null } } },
      },
      select: { personId: true },
      distinct: ["personId"],
      orderBy: { personId: "asc" },
    });
    const closed = p.closedAt.getTime();
    return teachers.map(
      (t): OutgoingMessage => ({
        dedupKey: `period.closed-${p.id}-${closed}-${t.personId}`,
        schoolId: row.schoolId,
        personId: t.personId,
        kind: PERIOD_CLOSED_KIND,
        render: {
          key: "period-close:notify",
          params: {
            context: p.kind,
            number: p.number,
            from: displayDate(toIsoDate(p.startsOn)),
            to: displayDate(toIsoDate(p.endsOn)),
          },
        },
      }),
    );
  },
};
