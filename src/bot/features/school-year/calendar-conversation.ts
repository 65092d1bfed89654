// A calendar change by order, started from /holidays: what (days off, quarantine, a moved school day),
// where (a quarantine: the school or one class), the dates, the weekday whose timetable a moved day follows, a
// comment for families, the order typed in one line, then one core call.
import { isAppError } from "../../../core/errors.ts";
import { type CalendarChangeInput, calendarClasses, changeCalendar } from "../../../core/school-year/calendar.ts";
import { parseDateRange } from "../../../core/school-year/date-range.ts";
import type { InnerContext } from "../../context.ts";
import { choiceCallback } from "../notices-messages/callbacks.ts";
import {
  type Choice,
  choiceKeyboard,
  choose,
  deps,
  type NmConversation,
  step,
  waitText,
} from "../notices-messages/steps.ts";
import { askOrder } from "./move-conversation.ts";

export const CALENDAR_CONVERSATION = "sy-calendar";

type Kind = CalendarChangeInput["kind"];

export async function calendarConversation(conversation: NmConversation, ctx: InnerContext) {
  const t = ctx.t;
  const kinds: Choice[] = (["HOLIDAY", "QUARANTINE", "WORKDAY"] as const).map((k) => ({
    value: k,
    text: t(`school-year:calendar.kind.${k}`),
  }));
  await ctx.reply(t("school-year:calendar.pickKind"), { reply_markup: choiceKeyboard(ctx, kinds) });
  const kind = (await choose(conversation, kinds)) as Kind;

  let classId: number | undefined;
  let className = "";
  if (kind === "QUARANTINE") {
    const classes = await conversation.external((c) => {
      const { db, actor } = deps(c);
      return calendarClasses(db, actor);
    });
    const scopes: Choice[] = [
      { value: "school", text: t("school-year:calendar.scopeSchool") },
      ...classes.map((c) => ({ value: `c${c.classId}`, text: c.name })),
    ];
    await ctx.reply(t("school-year:calendar.pickScope"), { reply_markup: choiceKeyboard(ctx, scopes, { perRow: 4 }) });
    const scope = await choose(conversation, scopes);
    if (scope !== "school") {
      classId = Number(scope.slice(1));
      className = scopes.find((s) => s.value === scope)?.text ?? "";
    }
  }

  const prompt = t(kind === "WORKDAY" ? "school-year:calendar.askDay" : "school-year:calendar.askDates");
  await ctx.reply(prompt, { reply_markup: choiceKeyboard(ctx, []) });
  let range: { from: string; to: string };
  for (;;) {
    const { ctx: answer, text } = await waitText(conversation, (c) => c.reply(prompt));
    const r = parseDateRange(text);
    if (r && (kind !== "WORKDAY" || r.from === r.to)) {
      range = r;
      break;
    }
    await answer.reply(t("school-year:calendar.badDates"));
  }

  let weekdayAs: number | undefined;
  if (kind === "WORKDAY") {
    const days: Choice[] = [1, 2, 3, 4, 5, 6].map((d) => ({
      value: `w${d}`,
      text: t(`school-year:weekdayButton.${d}`),
    }));
    await ctx.reply(t("school-year:calendar.pickWeekday"), { reply_markup: choiceKeyboard(ctx, days, { perRow: 6 }) });
    weekdayAs = Number((await choose(conversation, days)).slice(1));
  }

  const noNote = choiceKeyboard(ctx, [{ value: "nonote", text: t("school-year:calendar.noNote") }]);
  await ctx.reply(t("school-year:calendar.askNote"), { reply_markup: noNote });
  const noteAnswer = await step(
    conversation,
    (c) => typeof c.message?.text === "string" || choiceCallback.parse(c.callbackQuery?.data)?.value === "nonote",
  );
  let note: string | undefined;
  if (noteAnswer.callbackQuery) {
    await noteAnswer.answerCallbackQuery();
    await noteAnswer.editMessageReplyMarkup().catch(() => undefined);
  } else note = noteAnswer.message!.text!.trim().slice(0, 200);

  const order = await askOrder(conversation, ctx);
  const outcome = await conversation.external(async (c) => {
    const { db, actor } = deps(c);
    try {
      const r = await changeCalendar(db, actor, {
        kind,
        from: range.from,
        to: range.to,
        ...(classId ? { classId } : {}),
        ...(weekdayAs ? { weekdayAs } : {}),
        ...(note ? { note } : {}),
        order,
      });
      return { ok: true as const, ...r };
    } catch (err) {
      if (!isAppError(err)) throw err;
      return { ok: false as const, code: err.code };
    }
  });
  if (!outcome.ok) {
    await ctx.reply(t(`errors:${outcome.code}`));
    return;
  }
  await ctx.reply(
    t("school-year:calendar.done", {
      what: calendarItemText(t, {
        kind,
        from: range.from,
        to: range.to,
        className: outcome.className,
        weekdayAs: weekdayAs ?? null,
        note: note ?? null,
        orderNo: order.number,
        orderDate: order.date,
      }).replace(/^• /, ""),
      cancelled: outcome.cancelled,
      scheduled: outcome.scheduled,
      kept: outcome.kept,
      where: outcome.className
        ? t("school-year:calendar.doneWhere.class", { className: outcome.className || className })
        : t("school-year:calendar.doneWhere.school"),
    }),
  );
}

const dotted = (iso: string) => `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}`;

/** One line of the list of calendar changes. */
export function calendarItemText(
  t: InnerContext["t"],
  o: {
    kind: Kind;
    from: string;
    to: string;
    className: string | null;
    weekdayAs: number | null;
    note: string | null;
    orderNo: string;
    orderDate: string;
  },
): string {
  return t(`school-year:calendar.item.${o.kind}`, {
    dates: o.from === o.to ? dotted(o.from) : `${dotted(o.from)}–${dotted(o.to)}`,
    where: o.className ?? t("school-year:calendar.wholeSchool"),
    weekday: o.weekdayAs ? t(`school-year:weekday.${o.weekdayAs}`) : "",
    note: o.note ? t("school-year:calendar.noteLine", { note: o.note }) : "",
    orderNo: o.orderNo,
    orderDate: dotted(o.orderDate),
  });
}
