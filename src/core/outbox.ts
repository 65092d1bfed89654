// Notifications are written as outbox rows in the same transaction as the journal change they announce;
// the jobs layer dispatches them after commit. Payloads carry ids, never children's data.
import type { Tx } from "./tx.ts";

export interface OutboxInput {
  kind: string; // e.g. "mark.created", "attendance.absent", "announcement.created"
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
