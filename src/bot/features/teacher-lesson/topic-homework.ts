// "Topic and homework": the lesson's topic and homework; the next item of the thematic plan offered as the topic in one
// tap (suggestTopic → setTopic), a typed topic and homework through conversations (topic-conversation.ts,
// homework-conversation.ts).
import { Composer } from "grammy";
import type { InlineKeyboardButton } from "grammy/types";
import { homeworkDueOptions } from "../../../core/journal/homework-due.ts";
import { type SuggestTopicResult, setTopic, suggestTopic } from "../../../core/journal/topic.ts";
import type { BotContext, InnerContext, LinkedContext } from "../../context.ts";
import { answer, type Screen, show, startConversation } from "../../ui/index.ts";
import { homeworkCallback, planTopicCallback, topicScreenCallback, typeTopicCallback } from "./callbacks.ts";
import { truncate } from "./format.ts";
import type { HomeworkStart } from "./homework-conversation.ts";
import { backToCard, type CardView, homeworkLines, lessonHeading, loadCard } from "./lesson-card.ts";
import { guarded, refuse } from "./respond.ts";
import type { TopicStart } from "./topic-conversation.ts";

export const topicHomework = new Composer<BotContext>();

type Ctx = LinkedContext<InnerContext>;

export function topicScreen(ctx: InnerContext, view: CardView, suggestion: SuggestTopicResult): Screen {
  const { card } = view;
  const t = ctx.t;
  const lines = [t("teacher-lesson:topic.title", { heading: lessonHeading(ctx, card) }), ""];
  lines.push(t("teacher-lesson:card.topic", { topic: card.topic ?? t("teacher-lesson:card.none") }));
  const next = suggestion.suggestion;
  const offer = next && suggestion.current?.planItemId !== next.planItemId ? next : null;
  if (offer) lines.push(t("teacher-lesson:topic.planNext", { number: offer.number, topic: offer.topic }));
  else if (!next) lines.push(t("teacher-lesson:topic.noPlan"));
  const hw = homeworkLines(t, card);
  lines.push(
    "",
    hw.length ? [t("teacher-lesson:card.homework"), ...hw].join("\n") : t("teacher-lesson:card.noHomework"),
  );
  const keyboard: InlineKeyboardButton[][] = [];
  if (card.canWrite) {
    if (offer) {
      keyboard.push([
        {
          text: t("teacher-lesson:topic.usePlan", { number: offer.number, topic: truncate(offer.topic, 48) }),
          callback_data: planTopicCallback.encode({ lessonId: card.lessonId, planItemId: offer.planItemId }),
        },
      ]);
    }
    keyboard.push([
      { text: t("teacher-lesson:topic.type"), callback_data: typeTopicCallback.encode({ lessonId: card.lessonId }) },
    ]);
    keyboard.push([
      {
        text: t("teacher-lesson:homework.add"),
        callback_data: homeworkCallback.encode({ lessonId: card.lessonId }),
      },
    ]);
  }
  keyboard.push([backToCard(t, card.lessonId)]);
  return { text: lines.join("\n"), keyboard };
}

export async function showTopicScreen(ctx: Ctx, lessonId: number): Promise<void> {
  const db = ctx.services.prisma;
  const [view, suggestion] = await Promise.all([
    loadCard(db, ctx.actor, lessonId),
    suggestTopic(db, ctx.actor, { lessonId }),
  ]);
  await show(ctx, topicScreen(ctx, view, suggestion));
}

topicHomework.callbackQuery(
  topicScreenCallback.pattern,
  guarded(async (ctx) => {
    const data = topicScreenCallback.parse(ctx.callbackQuery?.data);
    if (!data) return refuse(ctx);
    await showTopicScreen(ctx, data.lessonId);
  }),
);

topicHomework.callbackQuery(
  planTopicCallback.pattern,
  guarded(async (ctx) => {
    const data = planTopicCallback.parse(ctx.callbackQuery?.data);
    if (!data) return refuse(ctx);
    const saved = await setTopic(ctx.services.prisma, ctx.actor, data);
    ctx.logger.info({ lesson_id: saved.lessonId, plan_item_id: saved.planItemId }, "topic set from the plan");
    await answer(ctx, ctx.t("teacher-lesson:topic.savedToast"));
    await showTopicScreen(ctx, data.lessonId);
  }),
);

topicHomework.callbackQuery(
  typeTopicCallback.pattern,
  guarded(async (ctx) => {
    const data = typeTopicCallback.parse(ctx.callbackQuery?.data);
    if (!data) return refuse(ctx);
    const { card } = await loadCard(ctx.services.prisma, ctx.actor, data.lessonId);
    if (!card.canWrite) return refuse(ctx, "teacher-lesson:card.readOnly");
    await answer(ctx);
    const start: TopicStart = { lessonId: card.lessonId, heading: lessonHeading(ctx, card) };
    await startConversation(ctx as unknown as BotContext, "teacher-lesson-topic", start);
  }),
);

topicHomework.callbackQuery(
  homeworkCallback.pattern,
  guarded(async (ctx) => {
    const data = homeworkCallback.parse(ctx.callbackQuery?.data);
    if (!data) return refuse(ctx);
    const db = ctx.services.prisma;
    const due = await homeworkDueOptions(db, ctx.actor, { lessonId: data.lessonId });
    const { card } = await loadCard(db, ctx.actor, data.lessonId);
    await answer(ctx);
    const start: HomeworkStart = {
      lessonId: card.lessonId,
      heading: lessonHeading(ctx, card),
      students: card.students.map((s) => ({ id: s.studentId, name: s.name })),
      defaultDue: due.defaultDue,
      options: due.options,
    };
    await startConversation(ctx as unknown as BotContext, "teacher-lesson-homework", start);
  }),
);
