// The reason for a correction or a withdrawal after the grace period, typed in one message. Any command,
// menu button or other button leaves the conversation (and is handled as usual); nothing is changed then.
import type { Conversation } from "@grammyjs/conversations";
import { createConversation } from "@grammyjs/conversations";
import { normaliseMarkInput } from "../../../core/grading/mark-values.ts";
import { correctMark, voidMark } from "../../../core/journal/corrections.ts";
import type { BotContext, InnerContext } from "../../context.ts";
import { rosterCallback, studentCallback } from "./callbacks.ts";
import { isLeaving, who } from "./common.ts";
import { button, markup, outcome } from "./ui.ts";

export const REASON_CONVERSATION = "teacher-marks-reason";

export interface ReasonArgs {
  kind: "fix" | "void";
  markId: number;
  /** The new value (callback word) for a fix. */
  value: string | null;
  name: string;
  old: string;
  back: { lessonId: number; wt: string; studentId: number };
}

const MAX_REASON = 500;

async function reasonEntry(conversation: Conversation<BotContext, InnerContext>, ctx: InnerContext, args: ReasonArgs) {
  const prompt =
    args.kind === "fix"
      ? ctx.t("teacher-marks:askReasonFix", {
          old: args.old,
          new: normaliseMarkInput(args.value ?? "") ?? args.value,
          name: args.name,
        })
      : ctx.t("teacher-marks:askReasonVoid", { value: args.old, name: args.name });
  await ctx.reply(prompt);
  for (;;) {
    const next = await conversation.wait();
    if (isLeaving(next)) await conversation.halt({ next: true });
    const reason = next.message?.text?.trim() ?? "";
    if (!reason || reason.length > MAX_REASON) {
      await next.reply(next.t("teacher-marks:reasonEmpty"));
      continue;
    }
    const { db, actor } = who(next);
    const res = await conversation.external(() =>
      outcome(async () => {
        if (args.kind === "fix") {
          const r = await correctMark(db, actor, { markId: args.markId, value: args.value ?? "", reason });
          return { value: r.mark.value };
        }
        await voidMark(db, actor, { markId: args.markId, reason });
        return { value: args.old };
      }),
    );
    const keyboard = markup([
      [
        button(next.t("teacher-marks:buttons.backToStudent"), studentCallback.encode(args.back)),
        button(next.t("teacher-marks:buttons.backToRoster"), rosterCallback.encode(args.back)),
      ],
    ]);
    if (res.ok) {
      const text =
        args.kind === "fix"
          ? next.t("teacher-marks:corrected", { name: args.name, old: args.old, new: res.value.value, reason })
          : next.t("teacher-marks:voided", { name: args.name, value: args.old, reason });
      await next.reply(text, { reply_markup: keyboard });
    } else if (res.code === "CORRECTION_WINDOW_CLOSED") {
      const days = typeof res.details.correctionWindowDays === "number" ? res.details.correctionWindowDays : 7;
      await next.reply(next.t("teacher-marks:windowClosed", { days }), { reply_markup: keyboard });
    } else {
      await next.reply(next.t(`errors:${res.code}`), { reply_markup: keyboard });
    }
    return;
  }
}

export const reasonConversation = createConversation<BotContext, InnerContext>(reasonEntry, REASON_CONVERSATION);
