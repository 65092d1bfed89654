// Notifications are written as outbox rows in the same transaction as the journal change they announce;
// the jobs layer dispatches them after commit. Payloads carry ids, never children's data.
// OUTBOX_KINDS is the closed list of what core writes: the jobs refuse to start unless every kind has a handler
// (or is delivered by the digest only), so nothing core announces can be dropped.
import type { Tx } from "./tx.ts";

export const OUTBOX_KINDS = [
  "attendance.absent",
  "mark.created",
  "mark.corrected",
  "mark.voided",
  "homework.created",
  "homework.updated",
  "absence-notice.created",
  "substitution.granted",
  "correspondence.created",
  "announcement.created",
  "term-grade.set",
  "period.closed",
  "student.left",
  "calendar.changed",
  "archive.created",
  "archive.check-failed",
] as const;
export type OutboxKind = (typeof OUTBOX_KINDS)[number];

export interface OutboxInput {
  kind: OutboxKind;
  payload: Record<string, unknown>;
  /** Not before this instant (e.g. a mark waits out the author's grace period). */
  availableAt?: Date;
}

export async function enqueueOutbox(tx: Tx, schoolId: number, rows: OutboxInput | OutboxInput[]): Promise<void> {
  const list = Array.isArray(rows) ? rows : [rows];
  if (list.length === 0) return;
  await tx.outbox.createMany({
    data: list.map((r) => ({
      schoolId,
      kind: r.kind,
      payload: JSON.parse(JSON.stringify(r.payload)),
      availableAt: r.availableAt ?? new Date(),
    })),
  });
}
