// «Оценки» on the lesson card: the refusal for grades without marks or the work-type choice with the
// teacher's remembered default first; for the administration on a lesson it does not write (correction mode,
// R-15) the marks to correct at once; «‹ К уроку» goes back to the card.
import { Composer } from "grammy";
import { getDefaultWorkType } from "../../../core/preferences/work-type.ts";
import type { BotContext } from "../../context.ts";
import { openMarksCallback, renderLessonCard } from "../teacher-lesson/card-actions.ts";
import { backToCardCallback } from "./callbacks.ts";
import { onCallback, who } from "./common.ts";
import { anyWorkType, correctionMode, loadMarks, requireMarksWritable, showRoster, showWorkTypes } from "./screens.ts";

export const openMarksFeature = new Composer<BotContext>();

onCallback(openMarksFeature, openMarksCallback, async (ctx, { lessonId }) => {
  const { db, actor } = who(ctx);
  const data = await loadMarks(db, actor, lessonId);
  // The administration on a lesson it does not write: straight to the marks to correct (no work type to choose).
  if (correctionMode(data)) return showRoster(ctx, data, anyWorkType(data));
  requireMarksWritable(data);
  const preferred = await getDefaultWorkType(db, actor);
  await showWorkTypes(ctx, data, preferred);
});

onCallback(openMarksFeature, backToCardCallback, async (ctx, { lessonId }) => {
  // renderLessonCard answers the press itself (a second answer is refused by Telegram).
  await renderLessonCard(ctx, lessonId);
});
