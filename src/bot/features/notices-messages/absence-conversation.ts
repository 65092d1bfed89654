// the "write" menu button → "report an absence": which child, which days (today, tomorrow, both, or typed dates),
// the reason (illness; family circumstances and "other" are excused, "other" needs a comment), an optional
// comment, then the core's reportAbsence. The class teacher is told by the jobs layer and confirms in /class.

import { addDays } from "../../../core/dates.ts";
import { NOTICE_MAX_DAYS, NOTICE_PAST_DAYS, reportAbsence } from "../../../core/journal/absence-notices.ts";
import { schoolNow } from "../../../core/journal/common.ts";
import type { InnerContext } from "../../context.ts";
import { answer as answerPress } from "../../ui/index.ts";
import { choiceCallback } from "./callbacks.ts";
import { pickChild } from "./message-conversation.ts";
import { formatDateRange, parseDateRange } from "./parse-dates.ts";
import { type Choice, choiceKeyboard, choose, deps, type NmConversation, step, waitText } from "./steps.ts";

export const ABSENCE_CONVERSATION = "nm-absence";

export async function absenceConversation(conversation: NmConversation, ctx: InnerContext): Promise<void> {
  const t = ctx.t;
  const child = await pickChild(conversation, ctx, "notices:absence.pickChild");
  if (!child) return;
  const today = await conversation.external(async (c) => {
    const { db, actor } = deps(c);
    return (await schoolNow(db, actor.schoolId)).local.date;
  });
  const tomorrow = addDays(today, 1);

  const dayChoices: Choice[] = [
    { value: "today", text: t("notices:absence.today") },
    { value: "tomorrow", text: t("notices:absence.tomorrow") },
    { value: "both", text: t("notices:absence.todayTomorrow") },
    { value: "other", text: t("notices:absence.other") },
  ];
  await ctx.reply(t("notices:absence.pickDates", { child: child.name }), {
    reply_markup: choiceKeyboard(ctx, dayChoices, { perRow: 2 }),
  });
  const days = await choose(conversation, dayChoices);
  let range = {
    today: { from: today, to: today },
    tomorrow: { from: tomorrow, to: tomorrow },
    both: { from: today, to: tomorrow },
    other: null,
  }[days as "today" | "tomorrow" | "both" | "other"];
  if (!range) {
    await ctx.reply(t("notices:absence.askDates"), { reply_markup: choiceKeyboard(ctx, []) });
    const limits = { maxDays: NOTICE_MAX_DAYS, pastDays: NOTICE_PAST_DAYS };
    const hint = (c: InnerContext) =>
      c.reply(t("notices:absence.badDates", { max: NOTICE_MAX_DAYS, past: NOTICE_PAST_DAYS }));
    for (;;) {
      const answer = await waitText(conversation, hint);
      range = parseDateRange(answer.text, today, limits);
      if (range) break;
      await hint(answer.ctx);
    }
  }

  const reasons: Choice[] = (["ILLNESS", "EXCUSED", "OTHER"] as const).map((r) => ({
    value: r,
    text: t(`notices:absence.reason.${r}`),
  }));
  await ctx.reply(t("notices:absence.pickReason"), { reply_markup: choiceKeyboard(ctx, reasons) });
  const picked = await choose(conversation, reasons);
  const reason = picked === "ILLNESS" ? "ILLNESS" : "EXCUSED";

  let comment: string | undefined;
  if (picked === "OTHER") {
    await ctx.reply(t("notices:absence.askCommentRequired"), { reply_markup: choiceKeyboard(ctx, []) });
    comment = (await waitText(conversation, (c) => c.reply(t("notices:absence.askCommentRequired")))).text;
  } else {
    const skip = choiceKeyboard(ctx, [{ value: "nocomment", text: t("notices:absence.noComment") }]);
    await ctx.reply(t("notices:absence.askComment"), { reply_markup: skip });
    const answer = await step(
      conversation,
      (c) =>
        typeof c.message?.text === "string" || c.callbackQuery?.data === choiceCallback.encode({ value: "nocomment" }),
      (c) => c.reply(t("notices:absence.askComment"), { reply_markup: skip }),
    );
    if (answer.callbackQuery) {
      await answerPress(answer);
      await answer.editMessageReplyMarkup().catch(() => undefined);
    } else comment = answer.message?.text?.trim();
  }
  const dates = range;
  const notice = await conversation.external((c) => {
    const { db, actor } = deps(c);
    return reportAbsence(db, actor, {
      studentId: child.studentId,
      from: dates.from,
      to: dates.to,
      reason,
      ...(comment ? { comment: comment.slice(0, 500) } : {}),
    });
  });
  await ctx.reply(
    t("notices:absence.done", {
      child: child.name,
      dates: formatDateRange(notice.from, notice.to),
      // what the parent picked (or wrote), not the journal's code it maps to ("family circumstances" → EXCUSED)
      reason: picked === "OTHER" && comment ? comment : t(`notices:absence.reason.${picked}`),
    }),
  );
}
