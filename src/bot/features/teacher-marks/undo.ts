// «Отменить» on a save confirmation: within the grace period the marks saved together are withdrawn silently
// (undoMarks); after it the person is told the grace period has passed and shown the correction path.
import { Composer } from "grammy";
import { isAppError } from "../../../core/errors.ts";
import { undoMarks } from "../../../core/journal/corrections.ts";
import type { BotContext } from "../../context.ts";
import { answer } from "../../ui/index.ts";
import { rosterCallback, undoCallback } from "./callbacks.ts";
import { onCallback, who } from "./common.ts";
import { loadMarks, showRoster } from "./screens.ts";
import { button, issueCodes, markup } from "./ui.ts";

export const undoFeature = new Composer<BotContext>();

onCallback(undoFeature, undoCallback, async (ctx, { lessonId, from, to, wt }) => {
  const { db, actor } = who(ctx);
  const data = await loadMarks(db, actor, lessonId);
  // The marks of this lesson saved together by the presser: ids from..to, same author, same instant.
  const mine = data.card.students
    .flatMap((s) => s.marks)
    .filter((m) => m.id >= from && m.id <= to && m.authorId === actor.personId)
    .sort((a, b) => a.id - b.id);
  const batch = mine.filter((m) => m.createdAt === mine[0]?.createdAt);
  if (batch.length === 0) {
    await answer(ctx, ctx.t("teacher-marks:alreadyUndone"), true);
    return;
  }
  try {
    const res = await undoMarks(db, actor, { markIds: batch.map((m) => m.id) });
    const fresh = await loadMarks(db, actor, lessonId);
    const lines = [ctx.t("teacher-marks:undone", { count: res.undone.length })];
    await showRoster(ctx, fresh, wt, { lines });
  } catch (err) {
    if (!isAppError(err, "VALIDATION") || !issueCodes(err.details).some((c) => c.endsWith("/grace_passed"))) throw err;
    await answer(ctx);
    const text = ctx.t("teacher-marks:gracePassed", { minutes: data.settings.graceMinutes });
    await ctx.reply(text, {
      reply_markup: markup([[button(ctx.t("teacher-marks:openRoster"), rosterCallback.encode({ lessonId, wt }))]]),
    });
  }
});
