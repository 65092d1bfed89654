// The language a guardian reads in: their preference, else the Telegram account's language (as the sender does).
import type { DbOrTx } from "../../core/tx.ts";
import { type Language, pickLanguage } from "../../i18n.ts";

export async function guardianLanguage(
  db: DbOrTx,
  personId: number,
  pref: { locale: string } | null | undefined,
): Promise<Language> {
  if (pref) return pickLanguage(pref.locale);
  const account = await db.messengerAccount.findFirst({
    where: { personId },
    orderBy: { linkedAt: "desc" },
    select: { languageCode: true },
  });
  return pickLanguage(account?.languageCode);
}
