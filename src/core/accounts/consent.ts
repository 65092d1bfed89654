// Consent to personal-data processing (R-09, 152-FZ): a guardian's invite links the account only together with
// the consent, recorded with its time; the consent can be withdrawn (then nothing is shown or sent) and given
// again. Every change is audited in the transaction that makes it.
import type { Actor, AnyActor } from "../actor.ts";
import { appendAudit } from "../audit.ts";
import { fromIsoDate } from "../dates.ts";
import { AppError, forbidden, notFound } from "../errors.ts";
import { fullName, schoolNow } from "../journal/common.ts";
import type { Db, DbOrTx, Tx } from "../tx.ts";
import { actorForPerson } from "./actor-for-person.ts";
import { enrolledOn } from "./describe-person.ts";
import { codeHashOf, findUsableInvite, type InviteRole, linkByInvite } from "./invites.ts";

export interface ConsentChild {
  studentId: number;
  name: string;
  className: string | null;
  /** ISO instants; null when never given / not withdrawn. */
  consentGivenAt: string | null;
  consentRevokedAt: string | null;
}

export interface InvitePreview {
  inviteId: number;
  role: InviteRole;
  personId: number;
  /** The adapter keeps this server-side (never in callback data) until the guardian answers. */
  codeHash: string;
  expiresAt: string;
  schoolName: string;
  /** For a guardian's invite: the children it is for (name and class). Empty for other roles. */
  children: ConsentChild[];
}

export type ConsentState = "given" | "withdrawn" | "none";

export interface ConsentStatus {
  /** The person is a guardian of record of at least one child (guardianship not ended). */
  guardian: boolean;
  /** "given" when every child has a standing consent, "withdrawn" when it was withdrawn, "none" when never given. */
  state: ConsentState;
  children: ConsentChild[];
}

export interface AcceptGuardianInviteInput {
  inviteId: number;
  codeHash: string;
  botId: number;
  telegramUserId: number;
  chatId: number;
  languageCode?: string | null;
}

export interface AcceptedGuardianInvite {
  personId: number;
  schoolId: number;
  studentIds: number[];
  consentGivenAt: string;
}

async function guardianChildren(db: DbOrTx, schoolId: number, guardianId: number): Promise<ConsentChild[]> {
  const { local } = await schoolNow(db, schoolId);
  const today = fromIsoDate(local.date);
  const rows = await db.guardianship.findMany({
    where: { schoolId, guardianId, endedAt: null },
    select: {
      studentId: true,
      consentGivenAt: true,
      consentRevokedAt: true,
      student: {
        select: {
          person: { select: { lastName: true, firstName: true } },
          enrollments: { where: enrolledOn(today), select: { class: { select: { name: true } } }, take: 1 },
        },
      },
    },
  });
  return rows
    .map((g) => ({
      studentId: g.studentId,
      name: fullName(g.student.person),
      className: g.student.enrollments[0]?.class.name ?? null,
      consentGivenAt: g.consentGivenAt?.toISOString() ?? null,
      consentRevokedAt: g.consentRevokedAt?.toISOString() ?? null,
    }))
    .sort((a, b) => a.name.localeCompare(b.name, "ru"));
}

function stateOf(children: ConsentChild[]): ConsentState {
  if (children.length > 0 && children.every((c) => c.consentGivenAt !== null && c.consentRevokedAt === null)) {
    return "given";
  }
  return children.some((c) => c.consentRevokedAt !== null) ? "withdrawn" : "none";
}

/**
 * What an invite code is for, before anything is linked: the code is the credential, so it is checked first
 * (INVITE_INVALID / INVITE_USED / INVITE_EXPIRED). A guardian's invite names the children it is for.
 */
export async function previewInvite(db: Db, input: { code: string; botId: number }): Promise<InvitePreview> {
  const invite = await findUsableInvite(db, codeHashOf(input.code), input.botId);
  const school = await db.school.findUniqueOrThrow({ where: { id: invite.schoolId }, select: { name: true } });
  const children = invite.role === "GUARDIAN" ? await guardianChildren(db, invite.schoolId, invite.personId) : [];
  return {
    inviteId: invite.id,
    role: invite.role,
    personId: invite.personId,
    codeHash: invite.codeHash,
    expiresAt: invite.expiresAt.toISOString(),
    schoolName: school.name,
    children,
  };
}

async function recordConsent(tx: Tx, actor: Actor, via: "invite" | "settings", now: Date): Promise<number[]> {
  const rows = await tx.guardianship.findMany({
    where: { schoolId: actor.schoolId, guardianId: actor.personId, endedAt: null },
    select: { id: true, studentId: true },
  });
  if (rows.length === 0) throw forbidden({ guardian: actor.personId });
  await tx.guardianship.updateMany({
    where: { id: { in: rows.map((r) => r.id) } },
    data: { consentGivenAt: now, consentRevokedAt: null },
  });
  await appendAudit(
    tx,
    actor,
    rows.map((r) => ({
      action: "consent.give",
      entity: "Guardianship",
      entityId: r.id,
      data: { studentId: r.studentId, via, at: now.toISOString() },
    })),
  );
  return rows.map((r) => r.studentId);
}

/**
 * «Согласен» on a guardian's invite: takes the invite, links the Telegram account and records the consent for
 * every child of the guardian, in one transaction with its audit. The invite is re-checked here (unused, not
 * expired, this bot's school, a guardian's, the same code the guardian opened).
 */
export async function acceptGuardianInvite(db: Db, input: AcceptGuardianInviteInput): Promise<AcceptedGuardianInvite> {
  const invite = await findUsableInvite(db, input.codeHash, input.botId);
  if (invite.id !== input.inviteId || invite.role !== "GUARDIAN") throw new AppError("INVITE_INVALID");
  const actor = await actorForPerson(db, invite.personId);
  const now = new Date();
  const studentIds = await db.$transaction(async (tx) => {
    await linkByInvite(tx, actor, invite, input, { consent: true });
    return recordConsent(tx, actor, "invite", now);
  });
  return { personId: invite.personId, schoolId: invite.schoolId, studentIds, consentGivenAt: now.toISOString() };
}

function requireGuardianActor(actor: AnyActor): Actor {
  if (actor.system) throw forbidden({ person: null });
  return actor;
}

/** The actor's own consent for each of their children. */
export async function consentStatus(db: Db, actor: AnyActor): Promise<ConsentStatus> {
  const me = requireGuardianActor(actor);
  const children = await guardianChildren(db, me.schoolId, me.personId);
  return { guardian: children.length > 0, state: stateOf(children), children };
}

/** A linked guardian gives the consent (again): consentGivenAt = now, the withdrawal cleared, audited. */
export async function giveConsent(db: Db, actor: AnyActor): Promise<ConsentStatus> {
  const me = requireGuardianActor(actor);
  await db.$transaction((tx) => recordConsent(tx, me, "settings", new Date()));
  return consentStatus(db, me);
}

/** Withdraws the consent for every child of the guardian: from now on nothing is shown or sent. */
export async function withdrawConsent(db: Db, actor: AnyActor): Promise<ConsentStatus> {
  const me = requireGuardianActor(actor);
  const now = new Date();
  await db.$transaction(async (tx) => {
    const rows = await tx.guardianship.findMany({
      where: { schoolId: me.schoolId, guardianId: me.personId, endedAt: null },
      select: { id: true, studentId: true, consentRevokedAt: true },
    });
    if (rows.length === 0) throw notFound({ guardian: me.personId });
    const standing = rows.filter((r) => r.consentRevokedAt === null);
    if (standing.length === 0) return;
    await tx.guardianship.updateMany({
      where: { id: { in: standing.map((r) => r.id) } },
      data: { consentRevokedAt: now },
    });
    await appendAudit(
      tx,
      me,
      standing.map((r) => ({
        action: "consent.withdraw",
        entity: "Guardianship",
        entityId: r.id,
        data: { studentId: r.studentId, at: now.toISOString() },
      })),
    );
  });
  return consentStatus(db, me);
}
