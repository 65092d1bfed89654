// mark.corrected { markId, previousMarkId } → when the previous mark had been announced (Mark.announcedAt),
// every guardian who hears about the child gets the correction as a correction ("4 → 5, corrected: <reason>")
// . When it had not been announced, the parent never saw the old value: the new mark is announced like
// a new one (same dedup key as its own mark.created, so it is never sent twice).
import { z } from "zod";
import { getSchool } from "../../core/settings.ts";
import type { OutboxHandler, OutgoingMessage } from "../outbox/handler.ts";
import { loadMark, markAlertChecks, markParams, newMarkMessages } from "./mark-alerts.ts";
import { quietHoursEnd } from "./quiet-hours.ts";
import { guardiansOf } from "./recipients.ts";

const payloadSchema = z.object({
  markId: z.number().int().positive(),
  previousMarkId: z.number().int().positive(),
});

export const markCorrectedHandler: OutboxHandler = {
  kind: "mark.corrected",
  ...markAlertChecks,
  async handle(row, { db, now }) {
    const { markId, previousMarkId } = payloadSchema.parse(row.payload);
    const [mark, previous] = await Promise.all([loadMark(db, markId), loadMark(db, previousMarkId)]);
    if (!mark || !previous || mark.schoolId !== row.schoolId || previous.schoolId !== row.schoolId) return [];
    if (mark.status !== "ACTIVE") return []; // corrected again since: the later correction speaks
    if (!previous.announcedAt) return newMarkMessages(db, mark, now);
    const school = await getSchool(db, row.schoolId);
    const { past, params } = markParams(mark, school, now);
    const guardians = await guardiansOf(db, row.schoolId, mark.studentId);
    return guardians.map(
      (g): OutgoingMessage => ({
        dedupKey: `mark.corrected-${mark.id}-${g.personId}`,
        schoolId: row.schoolId,
        personId: g.personId,
        kind: "mark.corrected",
        render: {
          key: past ? "notify:correction.past" : "notify:correction.today",
          params: { ...params, from: previous.value, to: mark.value, reason: mark.correctionReason ?? "" },
        },
        notBefore: quietHoursEnd(school.timezone, g.prefs.quietFrom, g.prefs.quietTo, now),
        ref: { markId: mark.id },
      }),
    );
  },
};
