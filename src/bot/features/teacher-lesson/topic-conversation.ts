// A typed topic: the bot asks, the teacher writes the topic in one message, setTopic saves it. Any command or
// menu button leaves the conversation (and is handled as usual).
import { setTopic } from "../../../core/journal/topic.ts";
import type { InnerContext } from "../../context.ts";
import { answer, show } from "../../ui/index.ts";
import { topicCancelCallback, topicScreenCallback } from "./callbacks.ts";
import { isLeaving, step, type TeacherConversation } from "./conversation-kit.ts";
import { backToCard } from "./lesson-card.ts";

export interface TopicStart {
  lessonId: number;
  heading: string;
}

export async function topicConversation(
  conversation: TeacherConversation,
  ctx: InnerContext,
  start: TopicStart,
): Promise<void> {
  const { t } = ctx;
  const db = ctx.services.prisma;
  const actor = ctx.actor;
  if (!actor) return;
  const cancel = {
    inline_keyboard: [[{ text: t("teacher-lesson:common.cancel"), callback_data: topicCancelCallback.encode(start) }]],
  };
  await ctx.reply(t("teacher-lesson:topic.ask", { heading: start.heading }), { reply_markup: cancel });
  const after = {
    inline_keyboard: [
      [backToCard(t, start.lessonId)],
      [{ text: t("teacher-lesson:topic.backToTopic"), callback_data: topicScreenCallback.encode(start) }],
    ],
  };
  for (;;) {
    const next = await conversation.wait();
    if (isLeaving(next)) await conversation.halt({ next: true });
    if (next.callbackQuery) {
      if (topicCancelCallback.parse(next.callbackQuery.data)?.lessonId !== start.lessonId) {
        await conversation.halt({ next: true });
      }
      await show(next, { text: t("teacher-lesson:topic.cancelled"), keyboard: after.inline_keyboard });
      return;
    }
    const text = next.message?.text?.trim();
    if (!text) {
      await next.reply(t("teacher-lesson:topic.textOnly"));
      continue;
    }
    const saved = await step(conversation, () => setTopic(db, actor, { lessonId: start.lessonId, topic: text }));
    if (!saved.ok) {
      if (saved.code === "VALIDATION") {
        await next.reply(t("teacher-lesson:topic.invalid"));
        continue;
      }
      await next.reply(
        t(saved.code === "FORBIDDEN" || saved.code === "NOT_FOUND" ? "teacher-lesson:refused" : `errors:${saved.code}`),
      );
      return;
    }
    await answer(next);
    await next.reply(t("teacher-lesson:topic.saved", { topic: saved.value.topic }), { reply_markup: after });
    return;
  }
}
