// /terms: the teacher's classes and subjects of the year; each opens its term sheet for the current period.
import { Composer } from "grammy";
import type { InlineKeyboardButton } from "grammy/types";
import { myTermAssignments } from "../../../core/journal/term-grades.ts";
import type { BotContext, LinkedContext } from "../../context.ts";
import { type Screen, show } from "../../ui/index.ts";
import { groupLabel } from "../teacher-lesson/format.ts";
import { guarded, isTeacher } from "../teacher-lesson/respond.ts";
import { termListCallback, termSheetCallback } from "./callbacks.ts";

async function listScreen(ctx: LinkedContext): Promise<Screen> {
  const list = await myTermAssignments(ctx.services.prisma, ctx.actor);
  if (list.length === 0) return { text: ctx.t("term-grades:listEmpty") };
  const buttons = list.map(
    (a): InlineKeyboardButton => ({
      text: `${groupLabel(ctx.t, a.className, a.subgroupNo)} · ${a.subjectName}`,
      callback_data: termSheetCallback.encode({ assignmentId: a.assignmentId, periodId: 0, page: 0 }),
    }),
  );
  const keyboard: InlineKeyboardButton[][] = [];
  for (let i = 0; i < buttons.length; i += 2) keyboard.push(buttons.slice(i, i + 2));
  return { text: ctx.t("term-grades:listTitle"), keyboard: keyboard.slice(0, 50) };
}

export const termsListFeature = new Composer<BotContext>();

termsListFeature.chatType("private").command(
  "terms",
  guarded(async (ctx) => {
    if (!isTeacher(ctx)) {
      await ctx.reply(ctx.t("term-grades:notTeacher"));
      return;
    }
    await show(ctx, await listScreen(ctx));
  }),
);

termsListFeature.callbackQuery(
  termListCallback.pattern,
  guarded(async (ctx) => {
    await show(ctx, await listScreen(ctx));
  }),
);
