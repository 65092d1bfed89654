// A recipient's buttons under a notice: "acknowledge" (acknowledged and read; the button turns into ✓) and
// "open file" (the bot sends the file by its Telegram file id; opening counts as read). Telegram tells a
// bot nothing about a message being read, so a press is the only honest signal of reading.
import { Composer } from "grammy";
import { acknowledgeAnnouncement, openAnnouncementFile } from "../../../core/notices/index.ts";
import type { BotContext } from "../../context.ts";
import { isLinked } from "../../context.ts";
import { answer } from "../../ui/index.ts";
import { ackCallback, fileCallback, noticeKeyboard } from "./callbacks.ts";

export const noticeReceiptFeature = new Composer<BotContext>();

noticeReceiptFeature.callbackQuery(ackCallback.pattern, async (ctx) => {
  const data = ackCallback.parse(ctx.callbackQuery.data);
  if (!data || !isLinked(ctx)) {
    await answer(ctx);
    return;
  }
  const result = await acknowledgeAnnouncement(ctx.services.prisma, ctx.actor, data);
  await answer(ctx, ctx.t(result.changed ? "notices:ann.ackDone" : "notices:ann.ackAlready"));
  const markup = ctx.callbackQuery.message?.reply_markup?.inline_keyboard ?? [];
  const hasFile = markup.some((row) => row.some((b) => "callback_data" in b && fileCallback.parse(b.callback_data)));
  const done = noticeKeyboard(ctx.t, data.announcementId, { hasFile, acknowledged: true });
  if (JSON.stringify(markup) !== JSON.stringify(done.inline_keyboard)) {
    await ctx.editMessageReplyMarkup({ reply_markup: done });
  }
});

noticeReceiptFeature.callbackQuery(fileCallback.pattern, async (ctx) => {
  const data = fileCallback.parse(ctx.callbackQuery.data);
  if (!data || !isLinked(ctx)) {
    await answer(ctx);
    return;
  }
  const file = await openAnnouncementFile(ctx.services.prisma, ctx.actor, data);
  if (!file) {
    await answer(ctx, ctx.t("notices:ann.noFile"));
    return;
  }
  await answer(ctx);
  if (file.kind === "photo") await ctx.replyWithPhoto(file.fileId);
  else await ctx.replyWithDocument(file.fileId);
});
