// Corrections of a saved mark, opened from the roster (student → their marks → a mark):
// "Correct" → new value; "Delete (void)". Within the grace period the core fixes silently; after it
// the core wants a reason, asked in a conversation (reason-entry.ts); past the correction window the teacher is
// told who can still do it. The core decides which case applies; the bot only follows its answer.
import { Composer } from "grammy";
import { AppError, isAppError } from "../../../core/errors.ts";
import { correctMark, markHistory, voidMark } from "../../../core/journal/corrections.ts";
import type { BotContext } from "../../context.ts";
import { answer, startConversation } from "../../ui/index.ts";
import {
  fixCallback,
  fixValueCallback,
  markCallback,
  rosterCallback,
  studentCallback,
  voidCallback,
} from "./callbacks.ts";
import { onCallback, who } from "./common.ts";
import type { ReasonArgs } from "./reason-entry.ts";
import { REASON_CONVERSATION } from "./reason-entry.ts";
import { loadMarks, showFixKeypad, showMark, showRoster, showWindowClosed, studentName } from "./screens.ts";
import { button, issueCodes } from "./ui.ts";

export const correctionsFeature = new Composer<BotContext>();

async function load(ctx: BotContext, markId: number) {
  const { db, actor } = who(ctx);
  const history = await markHistory(db, actor, { markId });
  const data = await loadMarks(db, actor, history.lessonId);
  const current = history.chain.find((m) => m.markId === markId);
  if (!current) throw new AppError("NOT_FOUND", { markId });
  return { db, actor, history, data, current };
}

onCallback(correctionsFeature, markCallback, async (ctx, { markId, wt }) => {
  const { history, data } = await load(ctx, markId);
  await showMark(ctx, data, history, wt);
});

onCallback(correctionsFeature, fixCallback, async (ctx, { markId, wt }) => {
  const { history, data, current } = await load(ctx, markId);
  if (current.status !== "ACTIVE") {
    await showMark(ctx, data, history, wt);
    return;
  }
  await showFixKeypad(ctx, data, history, wt);
});

/** What to do when the core refused a change without a reason; false when the error is not one of these. */
async function handleRefusal(ctx: BotContext, err: unknown, args: ReasonArgs): Promise<boolean> {
  if (isAppError(err, "CORRECTION_WINDOW_CLOSED")) {
    const back = [
      [
        button(ctx.t("teacher-marks:buttons.backToStudent"), studentCallback.encode(args.back)),
        button(ctx.t("teacher-marks:buttons.backToRoster"), rosterCallback.encode(args.back)),
      ],
    ];
    await showWindowClosed(ctx, err.details.correctionWindowDays, back);
    return true;
  }
  // the period is closed; only the administration corrects its marks (with a reason).
  if (isAppError(err, "LOCKED_PERIOD")) {
    await answer(ctx, ctx.t("errors:LOCKED_PERIOD"), true);
    return true;
  }
  if (!isAppError(err, "VALIDATION")) return false;
  const codes = issueCodes(err.details);
  if (codes.includes("value/unchanged")) {
    await answer(ctx, ctx.t("teacher-marks:unchanged"), true);
    return true;
  }
  if (codes.includes("reason/required")) {
    await answer(ctx);
    await startConversation(ctx, REASON_CONVERSATION, args);
    return true;
  }
  return false;
}

onCallback(correctionsFeature, fixValueCallback, async (ctx, { markId, wt, v }) => {
  const { db, actor, data, history, current } = await load(ctx, markId);
  const name = studentName(data, history.studentId);
  const back = { lessonId: data.card.lessonId, wt, studentId: history.studentId };
  try {
    const res = await correctMark(db, actor, { markId, value: v });
    const fresh = await loadMarks(db, actor, data.card.lessonId);
    const line = ctx.t("teacher-marks:fixedSilently", { name, old: current.value, new: res.mark.value });
    await showRoster(ctx, fresh, wt, { lines: [line] });
  } catch (err) {
    const args: ReasonArgs = { kind: "fix", markId, value: v, name, old: current.value, back };
    if (!(await handleRefusal(ctx, err, args))) throw err;
  }
});

onCallback(correctionsFeature, voidCallback, async (ctx, { markId, wt }) => {
  const { db, actor, data, history, current } = await load(ctx, markId);
  const name = studentName(data, history.studentId);
  const back = { lessonId: data.card.lessonId, wt, studentId: history.studentId };
  try {
    await voidMark(db, actor, { markId });
    const fresh = await loadMarks(db, actor, data.card.lessonId);
    const line = ctx.t("teacher-marks:voidedSilently", { name, value: current.value });
    await showRoster(ctx, fresh, wt, { lines: [line] });
  } catch (err) {
    const args: ReasonArgs = { kind: "void", markId, value: null, name, old: current.value, back };
    if (!(await handleRefusal(ctx, err, args))) throw err;
  }
});
