// The author's recent notices with their acknowledgement counts, newest first.
import type { AnyActor } from "../actor.ts";
import { requirePerson } from "../journal/common.ts";
import type { DbOrTx } from "../tx.ts";
import type { AnnouncementScope, Audience } from "./recipients.ts";

export interface MyAnnouncement {
  announcementId: number;
  createdAt: string;
  scope: AnnouncementScope;
  className: string | null;
  grade: number | null;
  audience: Audience;
  /** The beginning of the text (at most 60 characters). */
  preview: string;
  recipients: number;
  acknowledged: number;
}

export async function myAnnouncements(
  db: DbOrTx,
  actor: AnyActor,
  opts: { limit?: number } = {},
): Promise<MyAnnouncement[]> {
  const personId = requirePerson(actor);
  const rows = await db.announcement.findMany({
    where: { schoolId: actor.schoolId, authorId: personId },
    orderBy: { id: "desc" },
    take: Math.min(Math.max(opts.limit ?? 10, 1), 30),
    select: {
      id: true,
      createdAt: true,
      scope: true,
      grade: true,
      audience: true,
      text: true,
      class: { select: { name: true } },
      _count: { select: { receipts: true } },
    },
  });
  const acked = rows.length
    ? await db.announcementReceipt.groupBy({
        by: ["announcementId"],
        where: { announcementId: { in: rows.map((r) => r.id) }, acknowledgedAt: { not: null } },
        _count: { _all: true },
      })
    : [];
  const ackOf = new Map(acked.map((g) => [g.announcementId, g._count._all]));
  return rows.map((r) => ({
    announcementId: r.id,
    createdAt: r.createdAt.toISOString(),
    scope: r.scope,
    className: r.class?.name ?? null,
    grade: r.grade,
    audience: r.audience,
    preview: r.text.length > 60 ? `${r.text.slice(0, 59)}…` : r.text,
    recipients: r._count.receipts,
    acknowledged: ackOf.get(r.id) ?? 0,
  }));
}
