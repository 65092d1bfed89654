// A school's Telegram bot (issue 9): one bot per school. Setting a bot replaces the school's bot's token,
// username and webhook secret in place, keeping the Bot row (and so every MessengerAccount linked to it); a bot
// that already serves another school is refused. The token arrives sealed (the adapter checked it with
// Telegram and sealed it under APP_SECRET): core never sees it in the clear.
import { randomBytes } from "node:crypto";
import { systemActor } from "../actor.ts";
import { appendAudit } from "../audit.ts";
import { AppError, notFound } from "../errors.ts";
import type { Db, Tx } from "../tx.ts";

export interface SchoolBotInput {
  /** The bot's @username as Telegram's getMe gave it (without "@"). */
  username: string;
  /** The token sealed with sealBotToken. */
  tokenEncrypted: string;
}

export interface SchoolBotResult {
  botId: number;
  username: string;
  /** The username the school's bot had before, when it was another bot. */
  replaced?: string;
  created: boolean;
}

/** Telegram allows A-Z, a-z, 0-9, _ and - in a webhook's secret token (1–256 characters). */
export function newWebhookSecret(): string {
  return randomBytes(32).toString("base64url");
}

/** Inside the caller's transaction: the school exists and is locked by it. */
export async function setBotInTx(tx: Tx, schoolId: number, input: SchoolBotInput): Promise<SchoolBotResult> {
  const username = input.username.replace(/^@/, "");
  // one bot change at a time across schools: the "another school's bot" check must see the others' writes
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(7003, 0)`;
  const taken = await tx.bot.findUnique({ where: { username }, select: { id: true, schoolId: true } });
  if (taken && taken.schoolId !== schoolId) {
    throw new AppError("CONFLICT", { reason: "BOT_OF_OTHER_SCHOOL", username, schoolId: taken.schoolId });
  }
  // the row to keep: this very bot when the school has it already, else the school's (first) bot
  const current =
    taken ??
    (await tx.bot.findFirst({
      where: { schoolId },
      orderBy: { id: "asc" },
      select: { id: true, schoolId: true },
    }));
  const data = { username, tokenEncrypted: input.tokenEncrypted, webhookSecret: newWebhookSecret() };
  let result: SchoolBotResult;
  if (current) {
    const before = await tx.bot.findUniqueOrThrow({ where: { id: current.id }, select: { username: true } });
    await tx.bot.update({ where: { id: current.id }, data });
    result = {
      botId: current.id,
      username,
      created: false,
      ...(before.username !== username ? { replaced: before.username } : {}),
    };
  } else {
    const bot = await tx.bot.create({ data: { schoolId, ...data }, select: { id: true } });
    result = { botId: bot.id, username, created: true };
  }
  await appendAudit(tx, systemActor(schoolId), {
    action: "bot.set-token",
    entity: "Bot",
    entityId: result.botId,
    data: { username, ...(result.replaced ? { replaced: result.replaced } : {}) },
  });
  return result;
}

/** The school's bot becomes this one. NOT_FOUND for no such school, CONFLICT when another school has it. */
export async function setSchoolBot(db: Db, schoolId: number, input: SchoolBotInput): Promise<SchoolBotResult> {
  if (!Number.isSafeInteger(schoolId) || schoolId <= 0) throw notFound({ entity: "School", id: schoolId });
  return db.$transaction(async (tx) => {
    const school = await tx.school.findUnique({ where: { id: schoolId }, select: { id: true } });
    if (!school) throw notFound({ entity: "School", id: schoolId });
    return setBotInTx(tx, schoolId, input);
  });
}
