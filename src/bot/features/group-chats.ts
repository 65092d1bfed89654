// Groups, supergroups and channels: the journal speaks to one person at a time (children's data never goes to
// a group), so there the bot stays silent. Only /start and /help in a group get one line pointing to the
// private chat; a press of a button there is answered with the same words (a press is always answered).
// Channels get nothing at all: a bot's post there would go out to every subscriber.
import { Composer } from "grammy";
import type { BotContext } from "../context.ts";
import { answer } from "../ui/index.ts";

export const groupChatsFeature = new Composer<BotContext>();

const elsewhere = groupChatsFeature.filter((ctx) => ctx.chat !== undefined && ctx.chat.type !== "private");

const hint = (ctx: BotContext) => ctx.t("ui:groups.privateOnly", { username: ctx.me.username });

elsewhere.chatType(["group", "supergroup"]).command(["start", "help"], async (ctx) => {
  await ctx.reply(hint(ctx));
});

elsewhere.on("callback_query", async (ctx) => {
  await answer(ctx, hint(ctx), true);
});

// Everything else in a group or a channel stops here: no feature sees it.
elsewhere.use(() => undefined);
