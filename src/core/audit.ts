// The audit trail (R-10, R-15): append-only, each event hashing the previous one of its school, so a changed
// or removed row breaks the chain.
import { createHash } from "node:crypto";
import type { AnyActor } from "./actor.ts";
import type { DbOrTx, Tx } from "./tx.ts";

export interface AuditInput {
  action: string; // e.g. "mark.create", "attendance.save", "student.view"
  entity: string; // e.g. "Mark", "Lesson", "Student"
  entityId?: string | number | null;
  data?: Record<string, unknown>;
}

const GENESIS = "0".repeat(64);

function canonical(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
}

export function auditHash(
  prevHash: string,
  e: {
    schoolId: number;
    actorId: number | null;
    action: string;
    entity: string;
    entityId: string | null;
    data: unknown;
    createdAt: Date;
  },
): string {
  const body = canonical({
    schoolId: e.schoolId,
    actorId: e.actorId,
    action: e.action,
    entity: e.entity,
    entityId: e.entityId,
    data: e.data,
    createdAt: e.createdAt.toISOString(),
  });
  return createHash("sha256").update(prevHash).update(body).digest("hex");
}

/**
 * Appends events inside the caller's transaction. A transaction-scoped advisory lock per school keeps the chain
 * linear when several processes write at once.
 */
export async function appendAudit(tx: Tx, actor: AnyActor, events: AuditInput | AuditInput[]): Promise<void> {
  const list = Array.isArray(events) ? events : [events];
  if (list.length === 0) return;
  const schoolId = actor.schoolId;
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(7001, ${schoolId}::int)`;
  const last = await tx.auditEvent.findFirst({
    where: { schoolId },
    orderBy: { id: "desc" },
    select: { hash: true },
  });
  let prevHash = last?.hash ?? GENESIS;
  const createdAt = new Date();
  const rows = list.map((e) => {
    const row = {
      schoolId,
      actorId: actor.personId,
      action: e.action,
      entity: e.entity,
      entityId: e.entityId == null ? null : String(e.entityId),
      data: JSON.parse(JSON.stringify(e.data ?? {})),
      createdAt,
    };
    const hash = auditHash(prevHash, row);
    const out = { ...row, prevHash, hash };
    prevHash = hash;
    return out;
  });
  await tx.auditEvent.createMany({ data: rows });
}

export interface AuditChainReport {
  ok: boolean;
  checked: number;
  /** Id of the first event whose hash or link does not hold. */
  brokenAt?: string;
}

/** Walks a school's chain in id order, batch by batch; any changed, inserted or removed row breaks it. */
export async function verifyAuditChain(db: DbOrTx, schoolId: number): Promise<AuditChainReport> {
  let prevHash = GENESIS;
  let checked = 0;
  let cursor: bigint | undefined;
  for (;;) {
    const batch = await db.auditEvent.findMany({
      where: { schoolId, ...(cursor !== undefined ? { id: { gt: cursor } } : {}) },
      orderBy: { id: "asc" },
      take: 1000,
    });
    if (batch.length === 0) break;
    for (const e of batch) {
      const expected = auditHash(prevHash, e);
      if (e.prevHash !== prevHash || e.hash !== expected) {
        return { ok: false, checked, brokenAt: e.id.toString() };
      }
      prevHash = e.hash;
      checked++;
    }
    cursor = batch[batch.length - 1].id;
  }
  return { ok: true, checked };
}
