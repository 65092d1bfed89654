// One-time invite codes: the administration invites anyone of its school, a class teacher invites the
// guardians and students of their own class. Only the sha256 of a code is stored; a code links once.

import { createHash, randomBytes } from "node:crypto";
import { can } from "../access/permissions.ts";
import { type AnyActor, systemActor } from "../actor.ts";
import { appendAudit } from "../audit.ts";
import { toIsoDate } from "../dates.ts";
import { AppError, forbidden, invalid, notFound } from "../errors.ts";
import type { Db, DbOrTx, Tx } from "../tx.ts";
import { actorForPerson } from "./actor-for-person.ts";
import { enrolledOn } from "./describe-person.ts";

export type InviteRole = "STAFF" | "GUARDIAN" | "STUDENT";
export const INVITE_ROLES: readonly InviteRole[] = ["STAFF", "GUARDIAN", "STUDENT"];

export interface CreateInviteInput {
  personId: number;
  /** Defaults to what the person is: staff, else student, else guardian. */
  role?: InviteRole;
  ttlDays?: number;
}

export interface CreatedInvite {
  /** The plain code, shown once (deep link `?start=<code>`); only its hash is stored. */
  code: string;
  /** ISO instant. */
  expiresAt: string;
  role: InviteRole;
}

export interface RedeemInviteInput {
  code: string;
  botId: number;
  telegramUserId: number;
  chatId: number;
  languageCode?: string | null;
}

export interface RedeemedInvite {
  personId: number;
  schoolId: number;
  role: InviteRole;
}

/** Telegram deep-link payloads allow [A-Za-z0-9_-], up to 64 characters; ours are 24. */
const CODE_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

export function hashInviteCode(code: string): string {
  return createHash("sha256").update(code, "utf8").digest("hex");
}

function newCode(): string {
  return randomBytes(18).toString("base64url"); // 24 url-safe characters
}

interface InviteTarget {
  id: number;
  schoolId: number;
  isStaff: boolean;
  isStudent: boolean;
  isGuardian: boolean;
  /** Classes the person belongs to now: the student's class, or the children's classes of a guardian. */
  classTeacherIds: number[];
}

async function loadTarget(db: DbOrTx, personId: number): Promise<InviteTarget | null> {
  const today = new Date(`${toIsoDate(new Date())}T00:00:00.000Z`);
  const enrollmentSelect = {
    where: enrolledOn(today),
    select: { class: { select: { classTeacherId: true } } },
  } as const;
  const p = await db.person.findUnique({
    where: { id: personId },
    select: {
      id: true,
      schoolId: true,
      staffRoles: { select: { role: true }, take: 1 },
      student: { select: { leftAt: true, enrollments: enrollmentSelect } },
      guardianships: {
        where: { endedAt: null },
        select: { student: { select: { enrollments: enrollmentSelect } } },
      },
    },
  });
  if (!p) return null;
  const classTeacherIds = new Set<number>();
  for (const e of p.student?.enrollments ?? []) if (e.class.classTeacherId) classTeacherIds.add(e.class.classTeacherId);
  for (const g of p.guardianships)
    for (const e of g.student.enrollments) if (e.class.classTeacherId) classTeacherIds.add(e.class.classTeacherId);
  return {
    id: p.id,
    schoolId: p.schoolId,
    isStaff: p.staffRoles.length > 0,
    isStudent: !!p.student && !p.student.leftAt,
    isGuardian: p.guardianships.length > 0,
    classTeacherIds: [...classTeacherIds],
  };
}

/**
 * Who may invite whom: the administration (and the system) anyone of its school; a class teacher only
 * the guardians and students of the class they lead. Kept here until core/access has an invite permission.
 */
async function requireInviteAccess(db: DbOrTx, actor: AnyActor, personId: number, role?: InviteRole) {
  const target = await loadTarget(db, personId);
  if (!target || target.schoolId !== actor.schoolId) throw notFound({ personId });
  // the school's rights per role; a class teacher invites the families of their class.
  const familyRole = role === undefined ? !target.isStaff : role !== "STAFF";
  if (!familyRole) {
    if (can(actor, "invite.staff")) return target;
    throw forbidden({ permission: "invite.staff" });
  }
  if (can(actor, "invite.family.all")) return target;
  const classTeacher = actor.personId !== null && target.classTeacherIds.includes(actor.personId);
  if (!classTeacher) throw forbidden({ personId });
  return target;
}

function roleFor(target: InviteTarget, requested?: InviteRole): InviteRole {
  const fits: Record<InviteRole, boolean> = {
    STAFF: target.isStaff,
    STUDENT: target.isStudent,
    GUARDIAN: target.isGuardian,
  };
  if (requested) {
    if (!fits[requested]) throw invalid({ field: "role", role: requested });
    return requested;
  }
  const role = INVITE_ROLES.find((r) => fits[r]);
  if (!role) throw invalid({ field: "personId", reason: "no role" });
  return role;
}

async function resolveActor(db: DbOrTx, actor: AnyActor | "system", personId: number): Promise<AnyActor> {
  if (actor !== "system") return actor;
  const p = await db.person.findUnique({ where: { id: personId }, select: { schoolId: true } });
  if (!p) throw notFound({ personId });
  return systemActor(p.schoolId);
}

export async function createInvite(
  db: Db,
  actorOrSystem: AnyActor | "system",
  input: CreateInviteInput,
): Promise<CreatedInvite> {
  const actor = await resolveActor(db, actorOrSystem, input.personId);
  const target = await requireInviteAccess(db, actor, input.personId, input.role);
  const ttlDays = input.ttlDays ?? 14;
  if (!Number.isInteger(ttlDays) || ttlDays < 1 || ttlDays > 90) throw invalid({ field: "ttlDays" });
  const role = roleFor(target, input.role);
  const code = newCode();
  const expiresAt = new Date(Date.now() + ttlDays * 86_400_000);
  await db.$transaction(async (tx) => {
    const invite = await tx.invite.create({
      data: {
        schoolId: target.schoolId,
        personId: target.id,
        role,
        codeHash: hashInviteCode(code),
        expiresAt,
        createdById: actor.personId,
      },
      select: { id: true },
    });
    await appendAudit(tx, actor, {
      action: "invite.create",
      entity: "Invite",
      entityId: invite.id,
      data: { personId: target.id, role, expiresAt: expiresAt.toISOString() },
    });
  });
  return { code, expiresAt: expiresAt.toISOString(), role };
}

export interface UsableInvite {
  id: number;
  schoolId: number;
  personId: number;
  role: InviteRole;
  codeHash: string;
  expiresAt: Date;
}

/** The invite behind a code hash, if it is usable on this bot now; INVITE_INVALID / INVITE_USED / INVITE_EXPIRED. */
export async function findUsableInvite(db: DbOrTx, codeHash: string, botId: number): Promise<UsableInvite> {
  const invite = await db.invite.findUnique({
    where: { codeHash },
    select: { id: true, schoolId: true, personId: true, role: true, expiresAt: true, usedAt: true },
  });
  const bot = await db.bot.findUnique({ where: { id: botId }, select: { schoolId: true } });
  if (!invite || !bot || bot.schoolId !== invite.schoolId) throw new AppError("INVITE_INVALID");
  if (invite.usedAt) throw new AppError("INVITE_USED");
  if (invite.expiresAt.getTime() <= Date.now()) throw new AppError("INVITE_EXPIRED");
  return {
    id: invite.id,
    schoolId: invite.schoolId,
    personId: invite.personId,
    role: invite.role as InviteRole,
    codeHash,
    expiresAt: invite.expiresAt,
  };
}

/** The hash of a well-formed code; INVITE_INVALID for anything else. */
export function codeHashOf(rawCode: string): string {
  const code = rawCode.trim();
  if (!CODE_PATTERN.test(code)) throw new AppError("INVITE_INVALID");
  return hashInviteCode(code);
}

/** Marks the invite used inside the caller's transaction; of two simultaneous redemptions only one wins. */
export async function takeInvite(tx: Tx, inviteId: number): Promise<void> {
  const taken = await tx.invite.updateMany({ where: { id: inviteId, usedAt: null }, data: { usedAt: new Date() } });
  if (taken.count !== 1) throw new AppError("INVITE_USED");
}

/**
 * Links the Telegram user to the invited person; a used, expired or unknown code links nothing. A guardian's
 * invite needs the personal-data consent: it is redeemed by `acceptGuardianInvite` (consent.ts), and
 * here it is refused with CONSENT_REQUIRED, leaving the invite usable.
 */
export async function redeemInvite(db: Db, input: RedeemInviteInput): Promise<RedeemedInvite> {
  const invite = await findUsableInvite(db, codeHashOf(input.code), input.botId);
  if (invite.role === "GUARDIAN") throw new AppError("CONSENT_REQUIRED", { inviteId: invite.id });
  const actor = await actorForPerson(db, invite.personId);
  await db.$transaction((tx) => linkByInvite(tx, actor, invite, input));
  return { personId: invite.personId, schoolId: invite.schoolId, role: invite.role };
}

/** Inside the caller's transaction: takes the invite, links the Telegram account to its person, audits the link. */
export async function linkByInvite(
  tx: Tx,
  actor: AnyActor,
  invite: UsableInvite,
  input: { botId: number; telegramUserId: number; chatId: number; languageCode?: string | null },
  auditData: Record<string, unknown> = {},
): Promise<void> {
  await takeInvite(tx, invite.id);
  const account = await upsertAccount(tx, {
    schoolId: invite.schoolId,
    personId: invite.personId,
    botId: input.botId,
    telegramUserId: input.telegramUserId,
    chatId: input.chatId,
    languageCode: input.languageCode ?? null,
  });
  await appendAudit(tx, actor, {
    action: "account.link",
    entity: "MessengerAccount",
    entityId: account.id,
    data: { inviteId: invite.id, botId: input.botId, role: invite.role, ...auditData },
  });
}

export async function upsertAccount(
  db: DbOrTx,
  a: {
    schoolId: number;
    personId: number;
    botId: number;
    telegramUserId: number;
    chatId: number;
    languageCode: string | null;
  },
): Promise<{ id: number }> {
  const telegramUserId = BigInt(a.telegramUserId);
  const data = {
    schoolId: a.schoolId,
    personId: a.personId,
    chatId: BigInt(a.chatId),
    languageCode: a.languageCode,
    blockedAt: null,
    linkedAt: new Date(),
  };
  return db.messengerAccount.upsert({
    where: { botId_telegramUserId: { botId: a.botId, telegramUserId } },
    create: { ...data, botId: a.botId, telegramUserId },
    update: data,
    select: { id: true },
  });
}
