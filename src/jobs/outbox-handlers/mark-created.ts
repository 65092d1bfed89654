// mark.created { markId } → guardians with «every mark» or «low mark» alerts. The core makes the row available
// only after the author's grace period, and a mark that is no longer ACTIVE by then (a typo fixed in time) is
// never announced. A mark replacing an announced one is left to mark.corrected.
import { z } from "zod";
import type { OutboxHandler } from "../outbox/handler.ts";
import { loadMark, markAlertChecks, newMarkMessages } from "./mark-alerts.ts";

const payloadSchema = z.object({ markId: z.number().int().positive() });

export const markCreatedHandler: OutboxHandler = {
  kind: "mark.created",
  ...markAlertChecks,
  async handle(row, { db, now }) {
    const { markId } = payloadSchema.parse(row.payload);
    const mark = await loadMark(db, markId);
    if (!mark || mark.schoolId !== row.schoolId || mark.status !== "ACTIVE") return [];
    // A correction of a mark the parents already saw is announced as a correction (mark.corrected), not here.
    if (mark.supersedes?.announcedAt) return [];
    return newMarkMessages(db, mark, now);
  },
};
