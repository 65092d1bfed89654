// The language a person reads in, as the sender decides it (preference, else the Telegram client's), so the
// buttons a handler builds match the text the sender renders.
import type { DbOrTx } from "../../core/tx.ts";
import { type Language, pickLanguage } from "../../i18n.ts";

export async function languagesOf(db: DbOrTx, personIds: number[]): Promise<Map<number, Language>> {
  const ids = [...new Set(personIds)];
  if (ids.length === 0) return new Map();
  const [prefs, accounts] = await Promise.all([
    db.preference.findMany({ where: { personId: { in: ids } }, select: { personId: true, locale: true } }),
    db.messengerAccount.findMany({
      where: { personId: { in: ids } },
      orderBy: { linkedAt: "asc" },
      select: { personId: true, languageCode: true },
    }),
  ]);
  const pref = new Map(prefs.map((p) => [p.personId, p.locale]));
  const client = new Map(accounts.map((a) => [a.personId, a.languageCode]));
  return new Map(ids.map((id) => [id, pickLanguage(pref.get(id) ?? client.get(id))]));
}
