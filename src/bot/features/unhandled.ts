// Last in the chain: whatever no feature took still gets an answer.
import { Composer } from "grammy";
import type { BotContext } from "../context.ts";

export const unhandledFeature = new Composer<BotContext>();

unhandledFeature.on("callback_query", async (ctx) => {
  ctx.logger.debug("unhandled callback query");
  await ctx.answerCallbackQuery({ text: ctx.t("bot:unhandled.callback") });
});

unhandledFeature.chatType("private").on("message", async (ctx) => {
  ctx.logger.debug("unhandled message");
  await ctx.reply(ctx.actor ? ctx.t("bot:unhandled.linked") : ctx.t("bot:start.stranger"));
});
