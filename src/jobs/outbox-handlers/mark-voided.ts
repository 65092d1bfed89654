// mark.voided { markId } → a mark withdrawn with a reason is shown to the family as a correction: every
// guardian who hears about the child, once the mark had been announced to them. A mark the family never saw
// (withdrawn before its alert went) is not announced: a withdrawal of nothing would only confuse.
import { z } from "zod";
import { getSchool } from "../../core/settings.ts";
import type { OutboxHandler, OutgoingMessage } from "../outbox/handler.ts";
import { loadMark, markParams } from "./mark-alerts.ts";
import { quietHoursEnd } from "./quiet-hours.ts";
import { guardiansOf } from "./recipients.ts";

const payloadSchema = z.object({ markId: z.number().int().positive() });

export const markVoidedHandler: OutboxHandler = {
  kind: "mark.voided",
  async isCurrent(db, ref) {
    const mark = await db.mark.findUnique({ where: { id: Number(ref.markId) }, select: { status: true } });
    return mark?.status === "VOIDED";
  },
  async handle(row, { db, now }) {
    const { markId } = payloadSchema.parse(row.payload);
    const mark = await loadMark(db, markId);
    if (!mark || mark.schoolId !== row.schoolId || mark.status !== "VOIDED" || !mark.announcedAt) return [];
    const school = await getSchool(db, row.schoolId);
    const { past, params } = markParams(mark, school, now);
    const guardians = await guardiansOf(db, row.schoolId, mark.studentId);
    return guardians.map(
      (g): OutgoingMessage => ({
        dedupKey: `mark.voided-${mark.id}-${g.personId}`,
        schoolId: row.schoolId,
        personId: g.personId,
        kind: "mark.voided",
        render: {
          key: past ? "notify:voided.past" : "notify:voided.today",
          params: { ...params, reason: mark.correctionReason ?? "" },
        },
        notBefore: quietHoursEnd(school.timezone, g.prefs.quietFrom, g.prefs.quietTo, now),
        ref: { markId: mark.id },
      }),
    );
  },
};
