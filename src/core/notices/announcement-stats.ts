// How a notice went: delivered (Telegram accepted the message), read (the recipient tapped a button of
// the notice or opened its file: Telegram gives bots no read receipts), acknowledged ("acknowledge"), and who
// has not acknowledged yet. For the author and the administration.
import { z } from "zod";
import { can } from "../access/index.ts";
import type { AnyActor } from "../actor.ts";
import { forbidden } from "../errors.ts";
import { fullName, idSchema, parseInput, requirePerson } from "../journal/common.ts";
import { connectedCount } from "../school-year/news.ts";
import type { DbOrTx } from "../tx.ts";
import type { AnnouncementScope, Audience } from "./recipients.ts";

export interface NotAcknowledged {
  personId: number;
  name: string;
  kind: "guardian" | "student";
  /** For a guardian: the children (names) in whose right they got the notice. */
  children: string[];
}

export interface AnnouncementStats {
  announcementId: number;
  createdAt: string;
  scope: AnnouncementScope;
  className: string | null;
  grade: number | null;
  audience: Audience;
  text: string;
  hasFile: boolean;
  recipients: number;
  delivered: number;
  read: number;
  acknowledged: number;
  /** Recipients who have not joined the bot yet: they find the notice when they do. */
  notConnected: number;
  notAcknowledged: NotAcknowledged[];
}

export async function announcementStats(
  db: DbOrTx,
  actor: AnyActor,
  input: { announcementId: number },
): Promise<AnnouncementStats> {
  const personId = requirePerson(actor);
  const { announcementId } = parseInput(z.object({ announcementId: idSchema }).strict(), input);
  const a = await db.announcement.findFirst({
    where: { id: announcementId, schoolId: actor.schoolId },
    select: {
      id: true,
      authorId: true,
      createdAt: true,
      scope: true,
      grade: true,
      audience: true,
      text: true,
      file: true,
      class: { select: { name: true } },
      receipts: { select: { personId: true, deliveredAt: true, readAt: true, acknowledgedAt: true } },
    },
  });
  if (!a || (a.authorId !== personId && !can(actor, "announce.school"))) throw forbidden({ announcementId });
  const pending = a.receipts.filter((r) => !r.acknowledgedAt).map((r) => r.personId);
  const people = pending.length
    ? await db.person.findMany({
        where: { id: { in: pending }, schoolId: actor.schoolId },
        select: {
          id: true,
          lastName: true,
          firstName: true,
          student: { select: { id: true } },
          guardianships: {
            where: { endedAt: null, consentRevokedAt: null, consentGivenAt: { not: null } },
            select: { student: { select: { person: { select: { lastName: true, firstName: true } } } } },
          },
        },
      })
    : [];
  const notAcknowledged = people
    .map(
      (p): NotAcknowledged => ({
        personId: p.id,
        name: fullName(p),
        kind: p.student && p.guardianships.length === 0 ? "student" : "guardian",
        children: p.guardianships.map((g) => fullName(g.student.person)).sort((x, y) => x.localeCompare(y, "ru")),
      }),
    )
    .sort((x, y) => x.name.localeCompare(y.name, "ru"));
  return {
    announcementId: a.id,
    createdAt: a.createdAt.toISOString(),
    scope: a.scope,
    className: a.class?.name ?? null,
    grade: a.grade,
    audience: a.audience,
    text: a.text,
    hasFile: a.file !== null,
    recipients: a.receipts.length,
    delivered: a.receipts.filter((r) => r.deliveredAt).length,
    read: a.receipts.filter((r) => r.readAt || r.acknowledgedAt).length,
    acknowledged: a.receipts.length - pending.length,
    notConnected:
      a.receipts.length -
      (await connectedCount(
        db,
        actor.schoolId,
        a.receipts.map((r) => r.personId),
      )),
    notAcknowledged,
  };
}
