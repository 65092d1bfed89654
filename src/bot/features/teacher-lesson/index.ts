// Teachers in the bot (issue 4): the day, the lesson card, attendance, the lesson-start prompt's buttons, topic
// and homework. Marks and corrections live in teacher-marks/ (the card's «Оценки» button, card-actions.ts).
import { createConversation } from "@grammyjs/conversations";
import { Composer } from "grammy";
import type { BotContext, InnerContext } from "../../context.ts";
import { answer } from "../../ui/index.ts";
import { attendance } from "./attendance.ts";
import { cardCallback, homeworkDraftCallback, topicCancelCallback } from "./callbacks.ts";
import { homeworkConversation } from "./homework-conversation.ts";
import { onCardPressed } from "./lesson-card.ts";
import { myDay } from "./my-day.ts";
import { prompt } from "./prompt.ts";
import { topicConversation } from "./topic-conversation.ts";
import { topicHomework } from "./topic-homework.ts";

/** The topic and homework conversations; registered ahead of every feature so that any command leaves them. */
export const teacherLessonConversations = new Composer<BotContext>();
teacherLessonConversations.use(createConversation<BotContext, InnerContext>(topicConversation, "teacher-lesson-topic"));
teacherLessonConversations.use(
  createConversation<BotContext, InnerContext>(homeworkConversation, "teacher-lesson-homework"),
);

export const teacherLessonFeature = new Composer<BotContext>();
teacherLessonFeature.use(myDay);
teacherLessonFeature.callbackQuery(cardCallback.pattern, onCardPressed);
teacherLessonFeature.use(attendance);
teacherLessonFeature.use(prompt);
teacherLessonFeature.use(topicHomework);

// Buttons of a topic or homework draft whose conversation has ended (saved, cancelled or left).
teacherLessonFeature.callbackQuery([homeworkDraftCallback.pattern, topicCancelCallback.pattern], async (ctx) => {
  await answer(ctx, ctx.t("teacher-lesson:stale"), true);
});
