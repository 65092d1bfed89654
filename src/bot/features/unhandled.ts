// Last in the chain: whatever no feature took still gets an answer.
import { Composer } from "grammy";
import type { BotContext } from "../context.ts";
import { answer } from "../ui/index.ts";

export const unhandledFeature = new Composer<BotContext>();

unhandledFeature.on("callback_query", async (ctx) => {
  ctx.logger.debug("unhandled callback query");
  await answer(ctx, ctx.t("bot:unhandled.callback"));
});

// Any command leaves a conversation (the prompts say so), so /cancel lands here: confirm it, not "did not understand".
unhandledFeature.chatType("private").command("cancel", async (ctx) => {
  await ctx.reply(ctx.actor ? ctx.t("bot:unhandled.cancelled") : ctx.t("bot:start.stranger"));
});

unhandledFeature.chatType("private").on("message", async (ctx) => {
  ctx.logger.debug("unhandled message");
  if (!ctx.actor) {
    await ctx.reply(ctx.t("bot:start.stranger"));
    return;
  }
  const command = ctx.message.entities?.some((e) => e.type === "bot_command" && e.offset === 0);
  await ctx.reply(ctx.t(command ? "bot:unhandled.unknownCommand" : "bot:unhandled.linked"));
});
