// «📘 Открыть урок» on the administration's lesson screens (/substitute, /lessons): the lesson card of the
// teacher screens, in place. The core decides what the person sees there (it logs the administration's views)
// and whether its marks may be corrected late (R-15: «✏️ Оценки» in correction mode).
import { Composer } from "grammy";
import type { BotContext } from "../../context.ts";
import { answerStale, requireLinked } from "../../ui/index.ts";
import { renderLessonCard } from "../teacher-lesson/card-actions.ts";
import { openLesson } from "./callbacks.ts";

export const openLessonFeature = new Composer<BotContext>();

openLessonFeature.callbackQuery(openLesson.pattern, async (ctx) => {
  const linked = await requireLinked(ctx);
  if (!linked) return;
  const data = openLesson.parse(ctx.callbackQuery.data);
  if (!data) return answerStale(ctx);
  await renderLessonCard(linked, data.lessonId);
});
