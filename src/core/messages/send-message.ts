// A message between a guardian and a teacher about a child, kept as correspondence and relayed by the
// bot person to person (neither side learns the other's Telegram account). Who may write to whom:
// - a guardian with consent → a teacher of their child or the child's class teacher;
// - a teacher → a guardian (with consent) of the student who wrote to them about that student;
// - a class teacher → any guardian (with consent) of a student of their class.
import { z } from "zod";
import type { AnyActor } from "../actor.ts";
import { appendAudit } from "../audit.ts";
import { fromIsoDate } from "../dates.ts";
import { forbidden } from "../errors.ts";
import { idSchema, parseInput, requirePerson, schoolNow } from "../journal/common.ts";
import { enqueueOutbox } from "../outbox.ts";
import type { Db, DbOrTx } from "../tx.ts";
import { loadChildTeachers, requireConsentingGuardian } from "./child-teachers.ts";

export const MESSAGE_MAX_TEXT = 3000;

const sendInput = z
  .object({
    toPersonId: idSchema,
    studentId: idSchema,
    text: z.string().trim().min(1).max(MESSAGE_MAX_TEXT),
    replyToId: idSchema.optional(),
  })
  .strict();

export interface MessageSent {
  correspondenceId: number;
  toPersonId: number;
  studentId: number;
  createdAt: string;
}

async function isGuardianOf(db: DbOrTx, schoolId: number, personId: number, studentId: number): Promise<boolean> {
  const link = await db.guardianship.findFirst({
    where: { guardianId: personId, studentId, schoolId, endedAt: null },
    select: { id: true },
  });
  return link !== null;
}

/** Throws FORBIDDEN unless the actor may write to the person about the student (rules above). */
async function requireMayWrite(
  db: DbOrTx,
  schoolId: number,
  fromId: number,
  toId: number,
  studentId: number,
  day: Date,
): Promise<void> {
  if (fromId === toId) throw forbidden({ toPersonId: toId });
  if (await isGuardianOf(db, schoolId, fromId, studentId)) {
    await requireConsentingGuardian(db, schoolId, fromId, studentId);
    const teachers = await loadChildTeachers(db, schoolId, studentId, day);
    if (!teachers?.teachers.some((t) => t.personId === toId)) throw forbidden({ toPersonId: toId });
    return;
  }
  // Staff writing to a guardian: the guardian must have consent.
  const link = await db.guardianship.findFirst({
    where: {
      guardianId: toId,
      studentId,
      schoolId,
      endedAt: null,
      consentGivenAt: { not: null },
      consentRevokedAt: null,
    },
    select: { id: true },
  });
  if (!link) throw forbidden({ toPersonId: toId });
  const teachers = await loadChildTeachers(db, schoolId, studentId, day);
  const me = teachers?.teachers.find((t) => t.personId === fromId);
  if (me?.classTeacher) return;
  const wrote = await db.correspondence.findFirst({
    where: { schoolId, fromPersonId: toId, toPersonId: fromId, studentId },
    select: { id: true },
  });
  if (!wrote) throw forbidden({ toPersonId: toId });
}

export async function sendMessage(
  db: Db,
  actor: AnyActor,
  input: { toPersonId: number; studentId: number; text: string; replyToId?: number },
): Promise<MessageSent> {
  const personId = requirePerson(actor);
  const q = parseInput(sendInput, input);
  const { local } = await schoolNow(db, actor.schoolId);
  await requireMayWrite(db, actor.schoolId, personId, q.toPersonId, q.studentId, fromIsoDate(local.date));
  if (q.replyToId !== undefined) {
    const original = await db.correspondence.findFirst({
      where: { id: q.replyToId, schoolId: actor.schoolId, studentId: q.studentId },
      select: { fromPersonId: true, toPersonId: true },
    });
    const pair = original && new Set([original.fromPersonId, original.toPersonId]);
    if (!pair?.has(personId) || !pair.has(q.toPersonId)) throw forbidden({ replyToId: q.replyToId });
  }
  return db.$transaction(async (tx) => {
    const c = await tx.correspondence.create({
      data: {
        schoolId: actor.schoolId,
        fromPersonId: personId,
        toPersonId: q.toPersonId,
        studentId: q.studentId,
        replyToId: q.replyToId ?? null,
        text: q.text,
      },
      select: { id: true, createdAt: true },
    });
    await appendAudit(tx, actor, {
      action: "correspondence.create",
      entity: "Correspondence",
      entityId: c.id,
      data: { toPersonId: q.toPersonId, studentId: q.studentId, replyToId: q.replyToId ?? null },
    });
    await enqueueOutbox(tx, actor.schoolId, { kind: "correspondence.created", payload: { correspondenceId: c.id } });
    return {
      correspondenceId: c.id,
      toPersonId: q.toPersonId,
      studentId: q.studentId,
      createdAt: c.createdAt.toISOString(),
    };
  });
}
