// A notice to families and/or students of a class, a parallel or the school: recipients are resolved
// now (R-09 consent), each gets a receipt row, and one outbox row "announcement.created" announces it, all in
// one transaction with the audit event.
import type { AnyActor } from "../actor.ts";
import { appendAudit } from "../audit.ts";
import { fromIsoDate } from "../dates.ts";
import { invalid } from "../errors.ts";
import { requirePerson, schoolNow } from "../journal/common.ts";
import { enqueueOutbox } from "../outbox.ts";
import { connectedCount } from "../school-year/news.ts";
import type { Db, DbOrTx } from "../tx.ts";
import {
  type AnnouncementFile,
  createInputSchema,
  previewInputSchema,
  requireAnnounceTarget,
} from "./announcement-input.ts";
import { type AnnouncementScope, type Audience, resolveRecipients } from "./recipients.ts";

export interface AnnouncementInput {
  scope: AnnouncementScope;
  classId?: number;
  grade?: number;
  audience: Audience;
  text: string;
  file?: AnnouncementFile;
}

export interface AnnouncementPreview {
  scope: AnnouncementScope;
  classId: number | null;
  className: string | null;
  grade: number | null;
  audience: Audience;
  guardians: number;
  students: number;
  recipients: number;
  /** Recipients who use the bot and get the message now; the others find it when they join. */
  connected: number;
  notConnected: number;
}

/** How many people the notice would reach now (the same access check as sending). */
export async function previewAnnouncement(
  db: DbOrTx,
  actor: AnyActor,
  input: Omit<AnnouncementInput, "text" | "file">,
): Promise<AnnouncementPreview> {
  requirePerson(actor);
  const { q, target } = await requireAnnounceTarget(db, actor, previewInputSchema, input);
  const { local } = await schoolNow(db, actor.schoolId);
  const recipients = await resolveRecipients(db, actor.schoolId, target, q.audience, fromIsoDate(local.date));
  const guardians = recipients.filter((r) => r.kind === "guardian").length;
  const connected = await connectedCount(
    db,
    actor.schoolId,
    recipients.map((r) => r.personId),
  );
  return {
    scope: target.scope,
    classId: target.classId ?? null,
    className: target.className,
    grade: target.grade ?? null,
    audience: q.audience,
    guardians,
    students: recipients.length - guardians,
    recipients: recipients.length,
    connected,
    notConnected: recipients.length - connected,
  };
}

export interface AnnouncementCreated {
  announcementId: number;
  recipients: number;
  /** Of them, who use the bot and are sent the message now; the others see it when they join. */
  connected: number;
  notConnected: number;
  createdAt: string;
}

export async function createAnnouncement(
  db: Db,
  actor: AnyActor,
  input: AnnouncementInput,
): Promise<AnnouncementCreated> {
  const personId = requirePerson(actor);
  const { q, target } = await requireAnnounceTarget(db, actor, createInputSchema, input);
  const { local } = await schoolNow(db, actor.schoolId);
  return db.$transaction(async (tx) => {
    const recipients = await resolveRecipients(tx, actor.schoolId, target, q.audience, fromIsoDate(local.date));
    if (recipients.length === 0) throw invalid({ reason: "no-recipients" });
    const now = new Date();
    const a = await tx.announcement.create({
      data: {
        schoolId: actor.schoolId,
        authorId: personId,
        scope: target.scope,
        classId: target.classId ?? null,
        grade: target.grade ?? null,
        audience: q.audience,
        text: q.text,
        file: q.file ? (q.file as object) : undefined,
        createdAt: now,
        sentAt: now,
      },
      select: { id: true },
    });
    await tx.announcementReceipt.createMany({
      data: recipients.map((r) => ({ schoolId: actor.schoolId, announcementId: a.id, personId: r.personId })),
    });
    await appendAudit(tx, actor, {
      action: "announcement.create",
      entity: "Announcement",
      entityId: a.id,
      data: {
        scope: target.scope,
        classId: target.classId ?? null,
        grade: target.grade ?? null,
        audience: q.audience,
        recipients: recipients.length,
        file: q.file ? q.file.kind : null,
      },
    });
    await enqueueOutbox(tx, actor.schoolId, { kind: "announcement.created", payload: { announcementId: a.id } });
    const connected = await connectedCount(
      tx,
      actor.schoolId,
      recipients.map((r) => r.personId),
    );
    return {
      announcementId: a.id,
      recipients: recipients.length,
      connected,
      notConnected: recipients.length - connected,
      createdAt: now.toISOString(),
    };
  });
}
