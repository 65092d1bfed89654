// «Ознакомлен» under a digest: the guardian confirms having read it. Only the guardian the digest was sent to
// (consent standing, R-09) may acknowledge it, and only a digest that was actually delivered to them; a tampered
// child id or date gets FORBIDDEN / NOT_FOUND and records nothing. Recorded once, as an audit event
// ("digest.ack") and a diary view (ViewLog what="digest", so the class teacher sees it, R-23).
import { z } from "zod";
import type { AnyActor } from "../actor.ts";
import { appendAudit } from "../audit.ts";
import { forbidden, notFound } from "../errors.ts";
import { idSchema, isoDateSchema, parseInput, requirePerson } from "../journal/common.ts";
import type { Db } from "../tx.ts";
import { type DigestKind, digestDedupKey } from "./keys.ts";

export interface AcknowledgeDigestInput {
  studentId: number;
  kind: DigestKind;
  /** The digest's date (weekly: the week's Monday). */
  date: string;
}

export interface AcknowledgeDigestResult {
  studentId: number;
  kind: DigestKind;
  date: string;
  /** True when it had been acknowledged before (nothing new recorded). */
  already: boolean;
  acknowledgedAt: string;
}

const inputSchema = z.object({ studentId: idSchema, kind: z.enum(["daily", "weekly"]), date: isoDateSchema });

export async function acknowledgeDigest(
  db: Db,
  actor: AnyActor,
  input: AcknowledgeDigestInput,
): Promise<AcknowledgeDigestResult> {
  const guardianId = requirePerson(actor);
  const studentId = Number(input?.studentId);
  const guardianship = Number.isSafeInteger(studentId)
    ? await db.guardianship.findFirst({
        where: {
          schoolId: actor.schoolId,
          guardianId,
          studentId,
          endedAt: null,
          consentGivenAt: { not: null },
          consentRevokedAt: null,
        },
        select: { id: true },
      })
    : null;
  if (!guardianship) throw forbidden({ studentId: input?.studentId });
  const data = parseInput(inputSchema, input);
  const key = digestDedupKey(data.kind, actor.schoolId, guardianId, data.studentId, data.date);
  const delivered = await db.delivery.findFirst({
    where: { dedupKey: key, schoolId: actor.schoolId, personId: guardianId, status: "SENT" },
    select: { id: true },
  });
  if (!delivered) throw notFound({ digest: key });
  return db.$transaction(async (tx) => {
    // Serialise two taps of the same button: the advisory lock of the audit chain is taken first.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(7001, ${actor.schoolId}::int)`;
    const before = await tx.auditEvent.findFirst({
      where: { schoolId: actor.schoolId, entity: "Digest", entityId: key, action: "digest.ack", actorId: guardianId },
      select: { createdAt: true },
    });
    if (before) {
      return { ...data, already: true, acknowledgedAt: before.createdAt.toISOString() };
    }
    await appendAudit(tx, actor, {
      action: "digest.ack",
      entity: "Digest",
      entityId: key,
      data: { studentId: data.studentId, kind: data.kind, date: data.date },
    });
    await tx.viewLog.create({
      data: { schoolId: actor.schoolId, viewerId: guardianId, studentId: data.studentId, what: "digest" },
    });
    return { ...data, already: false, acknowledgedAt: new Date().toISOString() };
  });
}
