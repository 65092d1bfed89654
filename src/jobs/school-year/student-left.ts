// student.left { movementId } → each guardian of record is told that the student left the school
// by the order, and that the school hands the family an extract of the marks (R-33, 000 §7.7).
import { z } from "zod";
import { fullNameOf } from "../../core/accounts/index.ts";
import { toIsoDate } from "../../core/dates.ts";
import type { OutboxHandler, OutgoingMessage } from "../outbox/handler.ts";
import { guardiansOf } from "../outbox-handlers/recipients.ts";

const payloadSchema = z.object({ movementId: z.number().int().positive() });

/** "2026-11-12" → "12.11.2026" */
export const dottedDate = (iso: string) => `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}`;

export const studentLeftHandler: OutboxHandler = {
  kind: "student.left",
  async handle(row, { db }) {
    const { movementId } = payloadSchema.parse(row.payload);
    const m = await db.studentMovement.findUnique({ where: { id: movementId } });
    if (!m || m.schoolId !== row.schoolId || m.kind !== "LEAVING") return [];
    const student = await db.student.findUnique({
      where: { id: m.studentId },
      select: { leftAt: true, person: { select: { lastName: true, firstName: true, middleName: true } } },
    });
    // the leaving was undone (re-admitted by import) before the message went
    if (!student?.leftAt) return [];
    const guardians = await guardiansOf(db, m.schoolId, m.studentId);
    return guardians.map(
      (g): OutgoingMessage => ({
        dedupKey: `student-left-${movementId}-${g.personId}`,
        schoolId: m.schoolId,
        personId: g.personId,
        kind: "student.left",
        render: {
          key: "school-year:left.family",
          params: {
            name: fullNameOf(student.person),
            date: dottedDate(toIsoDate(m.date)),
            orderNo: m.orderNo,
            orderDate: dottedDate(toIsoDate(m.orderDate)),
          },
        },
      }),
    );
  },
};
