// term-grade.set { termGradeId } → a term or year mark reaches the family as news, never as a silent change
// every guardian who hears about the child. The value as it is when the row is dispatched; a changed value
// is a new row (a new message).
import { z } from "zod";
import { getSchool } from "../../core/settings.ts";
import type { OutboxHandler, OutgoingMessage } from "../outbox/handler.ts";
import { quietHoursEnd } from "./quiet-hours.ts";
import { guardiansOf } from "./recipients.ts";

const payloadSchema = z.object({ termGradeId: z.number().int().positive() });

export const termGradeSetHandler: OutboxHandler = {
  kind: "term-grade.set",
  async handle(row, { db, now }) {
    const { termGradeId } = payloadSchema.parse(row.payload);
    const g = await db.termGrade.findUnique({
      where: { id: termGradeId },
      select: {
        id: true,
        schoolId: true,
        studentId: true,
        value: true,
        updatedAt: true,
        subject: { select: { name: true } },
        period: { select: { kind: true, number: true } },
        student: { select: { person: { select: { firstName: true } } } },
      },
    });
    if (!g || g.schoolId !== row.schoolId) return [];
    const [school, guardians] = await Promise.all([
      getSchool(db, row.schoolId),
      guardiansOf(db, row.schoolId, g.studentId),
    ]);
    return guardians.map(
      (r): OutgoingMessage => ({
        dedupKey: `term-grade.set-${g.id}-${g.updatedAt.getTime()}-${r.personId}`,
        schoolId: row.schoolId,
        personId: r.personId,
        kind: "term-grade.set",
        render: {
          key: "notify:termGrade.term",
          params: {
            context: g.period.kind,
            child: g.student.person.firstName,
            subject: g.subject.name,
            number: g.period.number,
            value: g.value,
          },
        },
        notBefore: quietHoursEnd(school.timezone, r.prefs.quietFrom, r.prefs.quietTo, now),
        ref: { termGradeId: g.id },
      }),
    );
  },
};
