// Adding an event to the school calendar (R-24), from /news: the kind, for whom (the school, a parallel, a
// class), the date with an optional time, the title, then one core call.
import { isTime } from "../../../core/dates.ts";
import { isAppError } from "../../../core/errors.ts";
import { calendarClasses } from "../../../core/school-year/calendar.ts";
import { addSchoolEvent } from "../../../core/school-year/news.ts";
import { parseDayMonthYear } from "../../../core/school-year/order.ts";
import type { InnerContext } from "../../context.ts";
import { type Choice, choiceKeyboard, choose, deps, type NmConversation, waitText } from "../notices-messages/steps.ts";

export const EVENT_CONVERSATION = "sy-event";

type Kind = "MEETING" | "EXAM" | "HOLIDAY" | "EVENT";

export async function eventConversation(conversation: NmConversation, ctx: InnerContext) {
  const t = ctx.t;
  const classes = await conversation.external((c) => {
    const { db, actor } = deps(c);
    return calendarClasses(db, actor);
  });
  const kinds: Choice[] = (["MEETING", "EXAM", "HOLIDAY", "EVENT"] as const).map((k) => ({
    value: k,
    text: t(`school-year:news.kindName.${k}`),
  }));
  await ctx.reply(t("school-year:news.pickKind"), { reply_markup: choiceKeyboard(ctx, kinds, { perRow: 2 }) });
  const kind = (await choose(conversation, kinds)) as Kind;

  const grades = [...new Set(classes.map((c) => c.grade))];
  const scopes: Choice[] = [
    { value: "school", text: t("school-year:news.scopeSchool") },
    ...grades.map((g) => ({ value: `g${g}`, text: t("school-year:news.scopeParallel", { grade: g }) })),
    ...classes.map((c) => ({ value: `c${c.classId}`, text: c.name })),
  ];
  await ctx.reply(t("school-year:news.pickScope"), { reply_markup: choiceKeyboard(ctx, scopes, { perRow: 4 }) });
  const scope = await choose(conversation, scopes);
  const target =
    scope === "school"
      ? { scope: "SCHOOL" as const }
      : scope.startsWith("g")
        ? { scope: "PARALLEL" as const, grade: Number(scope.slice(1)) }
        : { scope: "CLASS" as const, classId: Number(scope.slice(1)) };

  await ctx.reply(t("school-year:news.askDate"), { reply_markup: choiceKeyboard(ctx, []) });
  let date = "";
  let time: string | undefined;
  for (;;) {
    const { ctx: answer, text } = await waitText(conversation, (c) => c.reply(t("school-year:news.askDate")));
    const [d, tm] = text.split(/\s+/);
    const parsed = parseDayMonthYear(d ?? "");
    if (parsed && (tm === undefined || isTime(tm))) {
      date = parsed;
      time = tm;
      break;
    }
    await answer.reply(t("school-year:news.badDate"));
  }
  await ctx.reply(t("school-year:news.askTitle"));
  const { text: rawTitle } = await waitText(conversation, (c) => c.reply(t("school-year:news.askTitle")));
  const title = rawTitle.slice(0, 200);
  const res = await conversation.external(async (c) => {
    const { db, actor } = deps(c);
    try {
      return {
        ok: true as const,
        ...(await addSchoolEvent(db, actor, { kind, date, ...(time ? { time } : {}), title, ...target })),
      };
    } catch (err) {
      if (!isAppError(err)) throw err;
      return { ok: false as const, code: err.code };
    }
  });
  if (!res.ok) {
    await ctx.reply(t(`errors:${res.code}`));
    return;
  }
  const where = scopes.find((s) => s.value === scope)?.text ?? "";
  const day = `${date.slice(8, 10)}.${date.slice(5, 7)}.${date.slice(0, 4)}`;
  await ctx.reply(t("school-year:news.added", { line: `${day}${time ? ` ${time}` : ""} — ${title} (${where})` }));
}
