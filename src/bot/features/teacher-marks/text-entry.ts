// Marks for the whole roster typed in one message (journal order or by surname, see parse-marks-text.ts), a
// preview with names, "Save" / "Correct". Every problem is listed and nothing is saved while there is
// one. A conversation: one core call per step through conversation.external; any command leaves it.
import type { Conversation } from "@grammyjs/conversations";
import { createConversation } from "@grammyjs/conversations";
import { Composer } from "grammy";
import { addMarks, lessonMarkValue } from "../../../core/journal/marks.ts";
import type { BotContext, InnerContext } from "../../context.ts";
import { answer, startConversation } from "../../ui/index.ts";
import { previewCallback, rosterCallback, textEntryCallback, undoCallback } from "./callbacks.ts";
import { isLeaving, onCallback, who } from "./common.ts";
import { allowedText, lessonTitle } from "./format.ts";
import { type EntryProblem, type ParsedMarks, parseMarksText } from "./parse-marks-text.ts";
import { loadMarks, type MarksData, requireMarksWritable, requireWorkType, workTypeParams } from "./screens.ts";
import { button, markup, outcome, unwrap } from "./ui.ts";

export const TEXT_ENTRY_CONVERSATION = "teacher-marks-text";

export interface TextEntryArgs {
  lessonId: number;
  wt: string;
}

export function problemText(ctx: InnerContext, data: MarksData, p: EntryProblem): string {
  const allowed = allowedText(data.settings);
  switch (p.kind) {
    case "absent":
      if (p.name === null) return ctx.t("teacher-marks:problems.absentExtra", { no: p.no });
      return p.no === null
        ? ctx.t("teacher-marks:problems.absentNamed", { name: p.name })
        : ctx.t("teacher-marks:problems.absentAt", { no: p.no, name: p.name });
    case "value":
      if (p.name === null) return ctx.t("teacher-marks:problems.valueExtra", { no: p.no, value: p.value, allowed });
      return p.no === null
        ? ctx.t("teacher-marks:problems.valueNamed", { name: p.name, value: p.value, allowed })
        : ctx.t("teacher-marks:problems.valueAt", { no: p.no, name: p.name, value: p.value, allowed });
    case "ambiguous":
      return ctx.t("teacher-marks:problems.ambiguous", {
        query: p.query,
        names: p.names.join(", "),
        example: p.example,
      });
    case "count":
      return ctx.t("teacher-marks:problems.count", { got: p.got, expected: p.expected });
    case "unknown":
    case "noValue":
      return ctx.t(`teacher-marks:problems.${p.kind}`, { query: p.query });
    case "duplicate":
      return ctx.t("teacher-marks:problems.duplicate", { name: p.name });
    case "orphan":
      return ctx.t("teacher-marks:problems.orphan", { value: p.value });
    default:
      return ctx.t(`teacher-marks:problems.${p.kind}`);
  }
}

function previewText(ctx: InnerContext, data: MarksData, wt: string, parsed: ParsedMarks): string {
  // A mark for a student marked absent at this lesson is allowed (a written work handed in later, an answer
  // after "late" was meant) but is usually a slip of the line: say so on the line and under the list.
  const absent = new Set(data.card.students.filter((s) => s.attendance?.status === "ABSENT").map((s) => s.studentId));
  const lines = parsed.entries.map((e) =>
    ctx.t(absent.has(e.studentId) ? "teacher-marks:previewLineAbsent" : "teacher-marks:previewLine", {
      no: e.no,
      name: e.name,
      value: e.value,
    }),
  );
  lines.push("");
  const absentMarked = parsed.entries.filter((e) => absent.has(e.studentId)).length;
  if (absentMarked > 0) lines.push(ctx.t("teacher-marks:previewAbsentWarning", { count: absentMarked }), "");
  lines.push(ctx.t("teacher-marks:previewTotal", { count: parsed.entries.length }));
  if (parsed.skipped > 0) lines.push(ctx.t("teacher-marks:previewSkipped", { count: parsed.skipped }));
  const workType = requireWorkType(data, wt);
  return ctx.t("teacher-marks:preview", {
    lesson: lessonTitle(ctx, data.card),
    ...workTypeParams(ctx, workType),
    lines: lines.join("\n"),
  });
}

async function textEntry(conversation: Conversation<BotContext, InnerContext>, ctx: InnerContext, args: TextEntryArgs) {
  const { lessonId, wt } = args;
  const { db, actor } = who(ctx);
  const loaded = await conversation.external(() =>
    outcome(async () => {
      const data = await loadMarks(db, actor, lessonId);
      requireMarksWritable(data);
      requireWorkType(data, wt);
      return data;
    }),
  );
  const data = unwrap(loaded);
  await answer(ctx);
  const workType = requireWorkType(data, wt);
  const roster = data.card.students.map((s) => ({ studentId: s.studentId, no: s.no, name: s.name }));
  const example = roster
    .slice(0, 2)
    .map((s, i) => `${s.name.split(" ")[0]} ${data.settings.scale[data.settings.scale.length - 1 - i] ?? ""}`)
    .join(", ");
  await ctx.reply(
    ctx.t("teacher-marks:textPrompt", {
      lesson: lessonTitle(ctx, data.card),
      ...workTypeParams(ctx, workType),
      count: roster.length,
      example,
    }),
  );
  const toValue = (token: string) => lessonMarkValue(token, data.settings);
  let pending: { parsed: ParsedMarks; messageId: number } | null = null;

  for (;;) {
    const next = await conversation.wait();
    const press = previewCallback.parse(next.callbackQuery?.data);
    if (press && press.lessonId === lessonId) {
      const onPreview = pending !== null && next.callbackQuery?.message?.message_id === pending.messageId;
      if (!onPreview || !pending) {
        await answer(next, next.t("teacher-marks:stalePreview"), true);
        continue;
      }
      if (press.op === "edit") {
        await answer(next);
        await next.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
        await next.reply(next.t("teacher-marks:sendCorrected"));
        pending = null;
        continue;
      }
      const entries = pending.parsed.entries.map((e) => ({ studentId: e.studentId, value: e.value }));
      const res = await conversation.external(() =>
        outcome(() => addMarks(db, who(next).actor, { lessonId, workType: wt, entries })),
      );
      if (!res.ok) {
        await answer(next);
        await next.reply(next.t(`errors:${res.code}`));
        pending = null;
        continue;
      }
      const ids = res.value.marks.map((m) => m.markId);
      const lines = [
        next.t("teacher-marks:savedMany", {
          count: ids.length,
          workType: workTypeParams(next, workType).workType,
          lesson: lessonTitle(next, data.card),
        }),
      ];
      if (res.value.lateEntry) lines.push(next.t("teacher-marks:lateEntry", { days: data.settings.writtenWorkDays }));
      lines.push(next.t("teacher-marks:undoHint", { minutes: data.settings.graceMinutes }));
      await answer(next);
      await next.editMessageText(lines.join("\n"), {
        reply_markup: markup([
          [
            button(
              next.t("teacher-marks:buttons.undo"),
              undoCallback.encode({ lessonId, wt, from: Math.min(...ids), to: Math.max(...ids) }),
            ),
          ],
          [button(next.t("teacher-marks:openRoster"), rosterCallback.encode({ lessonId, wt }))],
        ]),
      });
      return;
    }
    if (isLeaving(next)) await conversation.halt({ next: true });
    const text = next.message?.text;
    if (!text) {
      await next.reply(next.t("teacher-marks:sendCorrected"));
      continue;
    }
    const parsed = parseMarksText(text, roster, toValue);
    if (parsed.problems.length > 0) {
      const lines = parsed.problems.map((p) => problemText(next, data, p));
      await next.reply([next.t("teacher-marks:problemsTitle"), ...lines].join("\n").slice(0, 4000));
      continue;
    }
    const sent = await next.reply(previewText(next, data, wt, parsed), {
      reply_markup: markup([
        [
          button(next.t("teacher-marks:buttons.save"), previewCallback.encode({ lessonId, op: "save" })),
          button(next.t("teacher-marks:buttons.edit"), previewCallback.encode({ lessonId, op: "edit" })),
        ],
      ]),
    });
    pending = { parsed, messageId: sent.message_id };
  }
}

export const textEntryConversation = createConversation<BotContext, InnerContext>(textEntry, TEXT_ENTRY_CONVERSATION);

export const textEntryFeature = new Composer<BotContext>();

onCallback(textEntryFeature, textEntryCallback, async (ctx, { lessonId, wt }) => {
  // The conversation answers the press (its context of this update is another object than this one): a refusal
  // of its first core call is then the only answer.
  await startConversation(ctx, TEXT_ENTRY_CONVERSATION, { lessonId, wt } satisfies TextEntryArgs);
});

/** A preview button pressed when no list is waiting (the conversation was left or finished). */
onCallback(textEntryFeature, previewCallback, async (ctx) => {
  await answer(ctx, ctx.t("teacher-marks:stalePreview"), true);
});
