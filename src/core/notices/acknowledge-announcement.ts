// A recipient's "acknowledge". Acknowledging also counts as reading. Only a person the notice was sent
// to has a receipt; anyone else (a tampered id) is refused.
import { z } from "zod";
import type { AnyActor } from "../actor.ts";
import { appendAudit } from "../audit.ts";
import { forbidden } from "../errors.ts";
import { idSchema, parseInput, requirePerson } from "../journal/common.ts";
import type { Db, DbOrTx } from "../tx.ts";
import type { AnnouncementFile } from "./announcement-input.ts";

const input = z.object({ announcementId: idSchema }).strict();

export interface Acknowledged {
  announcementId: number;
  acknowledgedAt: string;
  /** False when the person had already acknowledged (the call is idempotent). */
  changed: boolean;
}

export async function acknowledgeAnnouncement(
  db: Db,
  actor: AnyActor,
  data: { announcementId: number },
): Promise<Acknowledged> {
  const personId = requirePerson(actor);
  const { announcementId } = parseInput(input, data);
  const receipt = await db.announcementReceipt.findFirst({
    where: { announcementId, personId, schoolId: actor.schoolId },
    select: { id: true, acknowledgedAt: true },
  });
  if (!receipt) throw forbidden({ announcementId });
  if (receipt.acknowledgedAt) {
    return { announcementId, acknowledgedAt: receipt.acknowledgedAt.toISOString(), changed: false };
  }
  return db.$transaction(async (tx) => {
    const now = new Date();
    const claimed = await tx.announcementReceipt.updateMany({
      where: { id: receipt.id, acknowledgedAt: null },
      data: { acknowledgedAt: now },
    });
    await tx.announcementReceipt.updateMany({ where: { id: receipt.id, readAt: null }, data: { readAt: now } });
    if (claimed.count === 0) {
      const again = await tx.announcementReceipt.findUniqueOrThrow({ where: { id: receipt.id } });
      return { announcementId, acknowledgedAt: (again.acknowledgedAt ?? now).toISOString(), changed: false };
    }
    await appendAudit(tx, actor, {
      action: "announcement.acknowledge",
      entity: "Announcement",
      entityId: announcementId,
    });
    return { announcementId, acknowledgedAt: now.toISOString(), changed: true };
  });
}

/**
 * The notice's file for a recipient (or its author / the administration); opening it counts as reading.
 * Returns null when the notice has no file.
 */
export async function openAnnouncementFile(
  db: DbOrTx,
  actor: AnyActor,
  data: { announcementId: number },
): Promise<AnnouncementFile | null> {
  const personId = requirePerson(actor);
  const { announcementId } = parseInput(input, data);
  const a = await db.announcement.findFirst({
    where: { id: announcementId, schoolId: actor.schoolId },
    select: { authorId: true, file: true, receipts: { where: { personId }, select: { id: true, readAt: true } } },
  });
  const receipt = a?.receipts[0];
  if (!a || (!receipt && a.authorId !== personId)) throw forbidden({ announcementId });
  if (receipt && !receipt.readAt) {
    await db.announcementReceipt.updateMany({ where: { id: receipt.id, readAt: null }, data: { readAt: new Date() } });
  }
  return (a.file as AnnouncementFile | null) ?? null;
}
