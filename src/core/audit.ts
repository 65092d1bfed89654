// The audit trail: append-only, each event hashing the previous one of its school, so a changed
// or removed row breaks the chain. Since version 2 the hash is an HMAC with a key derived from APP_SECRET, so
// the chain cannot be recomputed after a change by someone who only holds the database; and the chain's head
// is written out as signed anchors (into every archive and a daily anchor file on the archive targets), so
// deleting the newest events is noticed too. Rows written before keyed hashes (version 1) keep verifying.
import { createHash, timingSafeEqual } from "node:crypto";
import type { AnyActor } from "./actor.ts";
import { canonicalJson, hmacHex } from "./integrity/keys.ts";
import type { DbOrTx, Tx } from "./tx.ts";

export interface AuditInput {
  action: string; // e.g. "mark.create", "attendance.save", "student.view"
  entity: string; // e.g. "Mark", "Lesson", "Student"
  entityId?: string | number | null;
  data?: Record<string, unknown>;
}

const GENESIS = "0".repeat(64);
/** The version new rows are written with. */
export const AUDIT_VERSION = 2;

interface HashedFields {
  schoolId: number;
  actorId: number | null;
  action: string;
  entity: string;
  entityId: string | null;
  data: unknown;
  createdAt: Date;
}

export function auditHash(prevHash: string, e: HashedFields, version = AUDIT_VERSION): string {
  const body = canonicalJson({
    schoolId: e.schoolId,
    actorId: e.actorId,
    action: e.action,
    entity: e.entity,
    entityId: e.entityId,
    data: e.data,
    createdAt: e.createdAt.toISOString(),
  });
  if (version === 1) return createHash("sha256").update(prevHash).update(body).digest("hex");
  return hmacHex("audit-chain", prevHash, body);
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
    const out = { ...row, prevHash, hash, version: AUDIT_VERSION };
    prevHash = hash;
    return out;
  });
  await tx.auditEvent.createMany({ data: rows });
}

/** The chain's head at one moment: its newest event. */
export interface AuditHead {
  schoolId: number;
  lastId: string;
  hash: string;
}

/** A head signed with the anchor key, with when it was taken; kept outside the database. */
export interface AuditAnchor extends AuditHead {
  at: string;
  mac: string;
}

export async function auditHead(db: DbOrTx, schoolId: number): Promise<AuditHead | null> {
  const last = await db.auditEvent.findFirst({
    where: { schoolId },
    orderBy: { id: "desc" },
    select: { id: true, hash: true },
  });
  return last ? { schoolId, lastId: last.id.toString(), hash: last.hash } : null;
}

function anchorMac(a: Omit<AuditAnchor, "mac">): string {
  return hmacHex("audit-anchor", canonicalJson({ schoolId: a.schoolId, lastId: a.lastId, hash: a.hash, at: a.at }));
}

export function signAnchor(head: AuditHead, at: Date = new Date()): AuditAnchor {
  const unsigned = { ...head, at: at.toISOString() };
  return { ...unsigned, mac: anchorMac(unsigned) };
}

export function anchorSignatureValid(a: AuditAnchor): boolean {
  const expected = Buffer.from(anchorMac(a));
  const given = Buffer.from(String(a.mac ?? ""));
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** Of several anchors of a school, the one with the highest event id (the newest head seen). */
export function newestAnchor(anchors: AuditAnchor[], schoolId: number): AuditAnchor | undefined {
  let best: AuditAnchor | undefined;
  for (const a of anchors) {
    if (a.schoolId !== schoolId) continue;
    if (!best || BigInt(a.lastId) > BigInt(best.lastId)) best = a;
  }
  return best;
}

export type AuditBreak =
  | "link" // prevHash does not name the event before
  | "hash" // the row does not hash to its hash
  | "version" // an unkeyed row after keyed ones: the chain was rewritten without the key
  | "anchor-forged" // the anchor's own signature does not hold
  | "anchor-mismatch" // the anchored event is gone or hashes differently: rewritten
  | "tail-removed"; // the chain ends before the anchored event: the newest events were deleted

export interface AuditChainReport {
  ok: boolean;
  checked: number;
  /** Id of the first event whose hash or link does not hold (or the anchored id that is missing). */
  brokenAt?: string;
  reason?: AuditBreak;
  /** With an anchor: the id up to which the chain matched it. */
  anchoredAt?: string;
}

/**
 * Walks a school's chain in id order, batch by batch; any changed, inserted or removed row breaks it. With an
 * anchor (the newest one from the archive targets), the chain must still hold that event with that hash.
 */
export async function verifyAuditChain(
  db: DbOrTx,
  schoolId: number,
  opts: { anchor?: AuditAnchor } = {},
): Promise<AuditChainReport> {
  const anchor = opts.anchor;
  if (anchor && (anchor.schoolId !== schoolId || !anchorSignatureValid(anchor))) {
    return { ok: false, checked: 0, brokenAt: anchor.lastId, reason: "anchor-forged" };
  }
  const anchorId = anchor ? BigInt(anchor.lastId) : undefined;
  let prevHash = GENESIS;
  let checked = 0;
  let keyedSeen = false;
  let anchorMatched = false;
  let cursor: bigint | undefined;
  for (;;) {
    const batch = await db.auditEvent.findMany({
      where: { schoolId, ...(cursor !== undefined ? { id: { gt: cursor } } : {}) },
      orderBy: { id: "asc" },
      take: 1000,
    });
    if (batch.length === 0) break;
    for (const e of batch) {
      const broken = (reason: AuditBreak): AuditChainReport => ({
        ok: false,
        checked,
        brokenAt: e.id.toString(),
        reason,
      });
      if (e.version < AUDIT_VERSION && keyedSeen) return broken("version");
      if (e.version >= AUDIT_VERSION) keyedSeen = true;
      if (e.prevHash !== prevHash) return broken("link");
      if (e.hash !== auditHash(prevHash, e, e.version)) return broken("hash");
      if (anchorId !== undefined && !anchorMatched && e.id >= anchorId) {
        if (e.id !== anchorId || e.hash !== anchor!.hash) {
          return { ok: false, checked, brokenAt: anchor!.lastId, reason: "anchor-mismatch" };
        }
        anchorMatched = true;
      }
      prevHash = e.hash;
      checked++;
    }
    cursor = batch[batch.length - 1].id;
  }
  if (anchor && !anchorMatched) return { ok: false, checked, brokenAt: anchor.lastId, reason: "tail-removed" };
  return anchor ? { ok: true, checked, anchoredAt: anchor.lastId } : { ok: true, checked };
}
