// «Ознакомлен» under a daily digest or weekly summary: the core records the acknowledgement (and refuses a
// tampered child id or date), then the button turns into «✓ Ознакомлен». A second press only says so.
import { Composer } from "grammy";
import { acknowledgeDigest } from "../../../core/digest/index.ts";
import { type BotContext, isLinked } from "../../context.ts";
import { decodeDigestAck, digestAckCallback, digestAckKeyboard } from "./ack-callback.ts";

export const digestAckFeature = new Composer<BotContext>();

digestAckFeature.callbackQuery(digestAckCallback.pattern, async (ctx) => {
  const press = decodeDigestAck(ctx.callbackQuery.data);
  if (!press) {
    await ctx.answerCallbackQuery({ text: ctx.t("errors:NOT_FOUND"), show_alert: true });
    return;
  }
  if (!isLinked(ctx)) {
    await ctx.answerCallbackQuery({ text: ctx.t("errors:FORBIDDEN"), show_alert: true });
    return;
  }
  // AppErrors (FORBIDDEN for another child, NOT_FOUND for a digest never sent) go to the error boundary.
  const result = await acknowledgeDigest(ctx.services.prisma, ctx.actor, press);
  const done = ctx.t("digest:ack.done");
  const current = ctx.callbackQuery.message?.reply_markup?.inline_keyboard?.[0]?.[0]?.text;
  if (current !== done) {
    await ctx.editMessageReplyMarkup({ reply_markup: digestAckKeyboard(done, ctx.callbackQuery.data) });
  }
  await ctx.answerCallbackQuery({ text: ctx.t(result.already ? "digest:ack.already" : "digest:ack.thanks") });
});
