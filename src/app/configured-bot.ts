// BOT_TOKEN in the environment keeps working as it always has: it is the bot of the first school. At start its
// username is asked of Telegram (getMe) and its token is kept sealed on the school's Bot row, so every process
// and the CLI see one list of bots in the database.
import { Api } from "grammy";
import { ensureBot } from "../core/accounts/index.ts";
import type { Db } from "../core/tx.ts";
import { openBotToken, sealBotToken } from "../messenger/telegram/bot-token.ts";

export async function adoptConfiguredBot(
  prisma: Db,
  input: { schoolId: number; token: string; apiRoot?: string; appSecret: string; webhookSecret?: string },
): Promise<number> {
  const me = await new Api(input.token, { apiRoot: input.apiRoot }).getMe();
  const botId = await ensureBot(prisma, { schoolId: input.schoolId, username: me.username });
  const row = await prisma.bot.findUniqueOrThrow({
    where: { id: botId },
    select: { tokenEncrypted: true, webhookSecret: true },
  });
  const known = row.tokenEncrypted ? openBotToken(row.tokenEncrypted, input.appSecret) : undefined;
  const webhookSecret = input.webhookSecret ?? row.webhookSecret;
  if (known !== input.token || webhookSecret !== row.webhookSecret) {
    await prisma.bot.update({
      where: { id: botId },
      data: { tokenEncrypted: sealBotToken(input.token, input.appSecret), webhookSecret },
    });
  }
  return botId;
}
