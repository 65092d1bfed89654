// The Bot row of a school's Telegram bot (one per username), created on first start.
import type { DbOrTx } from "../tx.ts";

export async function ensureBot(db: DbOrTx, input: { schoolId: number; username: string }): Promise<number> {
  const bot = await db.bot.upsert({
    where: { username: input.username },
    create: { schoolId: input.schoolId, username: input.username },
    update: {},
    select: { id: true },
  });
  return bot.id;
}
