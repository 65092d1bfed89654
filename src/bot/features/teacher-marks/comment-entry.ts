// "💬 with a comment" on the value keypad: the mark and its comment typed in one message ("4 did not learn
// the rule"), saved for that student; the roster is shown again with "Undo".
import type { Conversation } from "@grammyjs/conversations";
import { createConversation } from "@grammyjs/conversations";
import { Composer } from "grammy";
import { addMarks, lessonMarkValue } from "../../../core/journal/marks.ts";
import type { BotContext, InnerContext } from "../../context.ts";
import { answer, startConversation } from "../../ui/index.ts";
import { commentCallback } from "./callbacks.ts";
import { isLeaving, onCallback, who } from "./common.ts";
import { allowedText, workTypeName } from "./format.ts";
import {
  loadMarks,
  requireMarksWritable,
  requireWorkType,
  showRoster,
  studentName,
  studentOf,
  workTypeParams,
} from "./screens.ts";
import { outcome, unwrap } from "./ui.ts";

export const COMMENT_CONVERSATION = "teacher-marks-comment";

export interface CommentArgs {
  lessonId: number;
  wt: string;
  studentId: number;
}

const MAX_COMMENT = 500;

async function commentEntry(
  conversation: Conversation<BotContext, InnerContext>,
  ctx: InnerContext,
  args: CommentArgs,
) {
  const { lessonId, wt, studentId } = args;
  const { db, actor } = who(ctx);
  const data = unwrap(
    await conversation.external(() =>
      outcome(async () => {
        const d = await loadMarks(db, actor, lessonId);
        requireMarksWritable(d);
        return d;
      }),
    ),
  );
  await answer(ctx);
  const student = studentOf(data, studentId);
  if (!student) {
    await ctx.reply(ctx.t("teacher-marks:notOnRoster"));
    return;
  }
  const workType = requireWorkType(data, wt);
  await ctx.reply(ctx.t("teacher-marks:commentPrompt", { name: student.name, ...workTypeParams(ctx, workType) }));
  for (;;) {
    const next = await conversation.wait();
    if (isLeaving(next)) await conversation.halt({ next: true });
    const text = next.message?.text?.trim() ?? "";
    const [first = "", ...rest] = text.split(/\s+/);
    const value = lessonMarkValue(first, data.settings);
    const comment = rest.join(" ").trim();
    if (value === null || !comment) {
      await next.reply(next.t("teacher-marks:commentBad", { allowed: allowedText(data.settings) }));
      continue;
    }
    if (comment.length > MAX_COMMENT) {
      await next.reply(next.t("teacher-marks:commentTooLong"));
      continue;
    }
    const res = await conversation.external(() =>
      outcome(async () => {
        const saved = await addMarks(db, actor, { lessonId, workType: wt, entries: [{ studentId, value, comment }] });
        return { saved, fresh: await loadMarks(db, actor, lessonId) };
      }),
    );
    if (!res.ok) {
      await next.reply(next.t(`errors:${res.code}`));
      return;
    }
    const mark = res.value.saved.marks[0];
    const line = next.t("teacher-marks:savedWithComment", {
      name: studentName(data, studentId),
      value: mark.value,
      workType: workTypeName(next, wt),
      comment,
    });
    await showRoster(next, res.value.fresh, wt, { lines: [line], undo: { from: mark.markId, to: mark.markId } });
    return;
  }
}

export const commentConversation = createConversation<BotContext, InnerContext>(commentEntry, COMMENT_CONVERSATION);

export const commentFeature = new Composer<BotContext>();

onCallback(commentFeature, commentCallback, async (ctx, { lessonId, wt, studentId }) => {
  // The conversation answers the press (its context of this update is another object than this one): a refusal
  // of its first core call is then the only answer.
  await startConversation(ctx, COMMENT_CONVERSATION, { lessonId, wt, studentId } satisfies CommentArgs);
});
