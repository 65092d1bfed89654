// The lesson-start prompt's buttons (the prompt itself is sent by src/jobs/modules/lesson-prompt.ts):
// «Все на месте» saves everyone present in one tap (never over attendance already taken), «Отметить
// отсутствующих» opens the roster (attendance.ts), «Не присылать напоминания» switches prompts off.
import { Composer } from "grammy";
import { markAllPresent } from "../../../core/journal/attendance.ts";
import { setLessonPrompt } from "../../../core/preferences/lesson-prompt.ts";
import type { BotContext, InnerContext, LinkedContext } from "../../context.ts";
import { answer, show } from "../../ui/index.ts";
import { savedSummary, summaryScreen } from "./attendance.ts";
import { allPresentCallback, promptOffCallback, promptOnCallback } from "./callbacks.ts";
import { loadCard } from "./lesson-card.ts";
import { promptKeyboard } from "./prompt-keyboard.ts";
import { guarded, isTeacher, refuse } from "./respond.ts";

export const prompt = new Composer<BotContext>();

prompt.callbackQuery(
  allPresentCallback.pattern,
  guarded(async (ctx) => {
    const data = allPresentCallback.parse(ctx.callbackQuery?.data);
    if (!data) return refuse(ctx);
    const { card, today } = await loadCard(ctx.services.prisma, ctx.actor, data.lessonId);
    if (!card.canWrite) return refuse(ctx, "teacher-lesson:attendance.readOnly");
    if (card.status === "CANCELLED") return refuse(ctx, "teacher-lesson:attendance.cancelled");
    if (card.date > today) return refuse(ctx, "teacher-lesson:attendance.future");
    if (card.attendanceTaken) {
      // Someone (the teacher from the card, a second device) already took it: show it, do not overwrite.
      await answer(ctx, ctx.t("teacher-lesson:prompt.alreadyTaken"), true);
      await show(ctx, summaryScreen(ctx, card, savedSummary(card)));
      return;
    }
    const summary = await markAllPresent(ctx.services.prisma, ctx.actor, { lessonId: card.lessonId });
    ctx.logger.info({ lesson_id: card.lessonId }, "all present from the lesson prompt");
    await answer(ctx, ctx.t("teacher-lesson:attendance.savedToast"));
    await show(ctx, summaryScreen(ctx, card, summary));
  }),
);

async function switchPrompts(ctx: LinkedContext<InnerContext>, lessonId: number, enabled: boolean): Promise<void> {
  if (!isTeacher(ctx)) return refuse(ctx);
  await setLessonPrompt(ctx.services.prisma, ctx.actor, { enabled });
  await answer(ctx, ctx.t(enabled ? "teacher-lesson:prompt.turnedOn" : "teacher-lesson:prompt.turnedOff"), true);
  const message = ctx.callbackQuery?.message;
  const text = message && "text" in message && message.text ? message.text : ctx.t("teacher-lesson:prompt.settings");
  await show(ctx, { text, keyboard: promptKeyboard(ctx.t, lessonId, enabled) });
}

prompt.callbackQuery(
  promptOffCallback.pattern,
  guarded(async (ctx) => {
    const data = promptOffCallback.parse(ctx.callbackQuery?.data);
    if (!data) return refuse(ctx);
    await switchPrompts(ctx, data.lessonId, false);
  }),
);

prompt.callbackQuery(
  promptOnCallback.pattern,
  guarded(async (ctx) => {
    const data = promptOnCallback.parse(ctx.callbackQuery?.data);
    if (!data) return refuse(ctx);
    await switchPrompts(ctx, data.lessonId, true);
  }),
);
