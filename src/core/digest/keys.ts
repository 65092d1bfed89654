// Deterministic keys of digests: the Delivery ledger's dedupKey and the BullMQ job id derive from them, so a
// retried fan-out or notify job never sends a digest twice. No ':' (BullMQ ids).
import { addDays, type IsoDate, isoWeekday, weekStart } from "../dates.ts";

export type DigestKind = "daily" | "weekly";

/** `digest-daily-<schoolId>-<guardianId>-<studentId>-<date>` (weekly: the week's Monday). */
export function digestDedupKey(
  kind: DigestKind,
  schoolId: number,
  guardianId: number,
  studentId: number,
  date: IsoDate,
): string {
  return `digest-${kind}-${schoolId}-${guardianId}-${studentId}-${date}`;
}

/** The week a weekly summary sent on `date` covers: this week from Friday on, else the week before. */
export function summaryWeekOf(date: IsoDate): { weekStart: IsoDate; weekEnd: IsoDate } {
  const start = isoWeekday(date) >= 5 ? weekStart(date) : weekStart(addDays(date, -7));
  return { weekStart: start, weekEnd: addDays(start, 6) };
}
