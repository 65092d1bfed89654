// «Оценки» on the lesson card: the refusal for grades without marks or the work-type choice with the
// teacher's remembered default first; «‹ К уроку» goes back to the card.
import { Composer } from "grammy";
import { getDefaultWorkType } from "../../../core/preferences/work-type.ts";
import type { BotContext } from "../../context.ts";
import { openMarksCallback, renderLessonCard } from "../teacher-lesson/card-actions.ts";
import { backToCardCallback } from "./callbacks.ts";
import { onCallback, who } from "./common.ts";
import { loadMarks, requireMarksWritable, showWorkTypes } from "./screens.ts";
import { answer } from "./ui.ts";

export const openMarksFeature = new Composer<BotContext>();

onCallback(openMarksFeature, openMarksCallback, async (ctx, { lessonId }) => {
  const { db, actor } = who(ctx);
  const data = await loadMarks(db, actor, lessonId);
  requireMarksWritable(data);
  const preferred = await getDefaultWorkType(db, actor);
  await showWorkTypes(ctx, data, preferred);
});

onCallback(openMarksFeature, backToCardCallback, async (ctx, { lessonId }) => {
  await answer(ctx);
  await renderLessonCard(ctx, lessonId);
});
