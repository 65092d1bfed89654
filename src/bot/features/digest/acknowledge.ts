// "Read" under a daily digest or weekly summary: the core records the acknowledgement (and refuses a
// tampered child id or date), then the button turns into "✓ Read". A second press only says so.
import { Composer } from "grammy";
import { acknowledgeDigest } from "../../../core/digest/index.ts";
import { type BotContext, isLinked } from "../../context.ts";
import { answer } from "../../ui/index.ts";
import { decodeDigestAck, digestAckCallback, digestAckKeyboard } from "./ack-callback.ts";

export const digestAckFeature = new Composer<BotContext>();

digestAckFeature.callbackQuery(digestAckCallback.pattern, async (ctx) => {
  const press = decodeDigestAck(ctx.callbackQuery.data);
  if (!press) {
    await answer(ctx, ctx.t("errors:NOT_FOUND"), true);
    return;
  }
  if (!isLinked(ctx)) {
    await answer(ctx, ctx.t("errors:FORBIDDEN"), true);
    return;
  }
  // AppErrors (FORBIDDEN for another child, NOT_FOUND for a digest never sent) go to the error boundary.
  const result = await acknowledgeDigest(ctx.services.prisma, ctx.actor, press);
  const done = ctx.t("digest:ack.done");
  const current = ctx.callbackQuery.message?.reply_markup?.inline_keyboard?.[0]?.[0]?.text;
  if (current !== done) {
    await ctx.editMessageReplyMarkup({ reply_markup: digestAckKeyboard(done, ctx.callbackQuery.data) });
  }
  await answer(ctx, ctx.t(result.already ? "digest:ack.already" : "digest:ack.thanks"));
});
