// The Telegram account linked to a person on one bot, as the bot adapter needs it on every update.
import type { DbOrTx } from "../tx.ts";

export interface AccountInfo {
  personId: number;
  schoolId: number;
  /** The person's chosen language, else the Telegram client's language code; null when neither is known. */
  locale: string | null;
  /** The chat had blocked the bot; the person is back now that they write again. */
  wasBlocked: boolean;
}

export async function findAccount(db: DbOrTx, botId: number, telegramUserId: number): Promise<AccountInfo | null> {
  const account = await db.messengerAccount.findUnique({
    where: { botId_telegramUserId: { botId, telegramUserId: BigInt(telegramUserId) } },
    select: {
      personId: true,
      schoolId: true,
      languageCode: true,
      blockedAt: true,
      person: { select: { preference: true } },
    },
  });
  if (!account) return null;
  return {
    personId: account.personId,
    schoolId: account.schoolId,
    locale: account.person.preference?.locale ?? account.languageCode ?? null,
    wasBlocked: account.blockedAt !== null,
  };
}

/** Clears the "blocked the bot" mark once the person writes to the bot again. */
export async function markAccountReturned(db: DbOrTx, botId: number, telegramUserId: number): Promise<void> {
  await db.messengerAccount.updateMany({
    where: { botId, telegramUserId: BigInt(telegramUserId), blockedAt: { not: null } },
    data: { blockedAt: null },
  });
}
