// access to children's data by someone outside the family and the child's own teachers is recorded in the
// audit trail — a deputy opening a lesson of another teacher or a class they do not lead.
import type { AnyActor } from "../actor.ts";
import { appendAudit } from "../audit.ts";
import type { DbOrTx, Tx } from "../tx.ts";

export async function logAccess(
  db: DbOrTx,
  actor: AnyActor,
  entries: { entity: string; entityId: number; what: string }[],
): Promise<void> {
  if (actor.system || entries.length === 0) return;
  const write = (tx: Tx) =>
    appendAudit(
      tx,
      actor,
      entries.map((e) => ({
        action: `${e.entity.toLowerCase()}.view`,
        entity: e.entity,
        entityId: e.entityId,
        data: { what: e.what },
      })),
    );
  if ("$transaction" in db && typeof db.$transaction === "function") await db.$transaction(write);
  else await write(db as Tx);
}
