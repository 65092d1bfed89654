// period.closed { periodId } → the school's teachers learn that the period is closed: its marks are locked, and
// corrections now go through the administration with a reason.
import { z } from "zod";
import type { OutboxHandler, OutgoingMessage } from "../outbox/handler.ts";

const payloadSchema = z.object({ periodId: z.number().int().positive() });

export const periodClosedHandler: OutboxHandler = {
  kind: "period.closed",
  async handle(row, { db }) {
    const { periodId } = payloadSchema.parse(row.payload);
    const p = await db.period.findUnique({
      where: { id: periodId },
      select: { id: true, schoolId: true, kind: true, number: true, closedAt: true },
    });
    if (!p || p.schoolId !== row.schoolId || !p.closedAt) return [];
    const teachers = await db.staffRole.findMany({
      where: { schoolId: row.schoolId, role: "TEACHER" },
      select: { personId: true },
      distinct: ["personId"],
    });
    return teachers.map(
      (t): OutgoingMessage => ({
        dedupKey: `period.closed-${p.id}-${t.personId}`,
        schoolId: row.schoolId,
        personId: t.personId,
        kind: "period.closed",
        render: { key: "notify:periodClosed", params: { context: p.kind, number: p.number } },
      }),
    );
  },
};
