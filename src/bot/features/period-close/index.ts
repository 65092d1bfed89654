// Period close by the administration, /periods or «🗓 Периоды» under «🏫 Школа сегодня»: the year's periods
// and their state; a period's check (lessons without topic, students without term marks, marks entered late) as
// counts with the first items; then «🔒 Закрыть период», which locks its marks (teachers are told by the
// `period.closed` outbox handler). The core decides who may (period.close).
import { Composer } from "grammy";
import type { InlineKeyboardButton } from "grammy/types";
import { type PeriodCloseCheck, periodCloseCheck, periodsOverview } from "../../../core/journal/period-close-check.ts";
import { closePeriod } from "../../../core/journal/periods.ts";
import type { BotContext, LinkedContext } from "../../context.ts";
import { type Screen, show } from "../../ui/index.ts";
import { refuse } from "../teacher-lesson/respond.ts";
import { dm, periodName, periodShort } from "../term-grades/format.ts";
import { refusingWith } from "../term-grades/guard.ts";
import { periodCheckCallback, periodCloseCallback, periodListCallback } from "./callbacks.ts";

const periodGuarded = (handler: (ctx: LinkedContext) => Promise<void>) => refusingWith("period-close:refused", handler);

async function listScreen(ctx: LinkedContext): Promise<Screen> {
  const { periods, current } = await periodsOverview(ctx.services.prisma, ctx.actor);
  if (periods.length === 0) return { text: ctx.t("period-close:none") };
  const lines = [ctx.t("period-close:title"), ""];
  for (const p of periods) {
    const state = p.closedAt
      ? ctx.t("period-close:closedOn", { date: dm(p.closedAt.slice(0, 10)) })
      : ctx.t(p.periodId === current ? "period-close:current" : "period-close:open");
    lines.push(
      ctx.t("period-close:line", { period: periodName(ctx.t, p), from: dm(p.startsOn), to: dm(p.endsOn), state }),
    );
  }
  lines.push("", ctx.t("period-close:pick"));
  const buttons = periods.map(
    (p): InlineKeyboardButton => ({
      text: `${p.closedAt ? "🔒 " : ""}${periodShort(ctx.t, p)}`,
      callback_data: periodCheckCallback.encode({ periodId: p.periodId }),
    }),
  );
  const keyboard: InlineKeyboardButton[][] = [];
  for (let i = 0; i < buttons.length; i += 3) keyboard.push(buttons.slice(i, i + 3));
  return { text: lines.join("\n"), keyboard };
}

function checkText(ctx: BotContext, c: PeriodCloseCheck): string {
  const t = ctx.t;
  const lines = [
    t("period-close:checkTitle", {
      period: periodName(t, c.period),
      from: dm(c.period.startsOn),
      to: dm(c.period.endsOn),
    }),
  ];
  if (c.period.closedAt) lines.push(t("period-close:alreadyClosed", { date: dm(c.period.closedAt.slice(0, 10)) }));
  lines.push("", t("period-close:noTopic", { count: c.lessonsWithoutTopic.count }));
  for (const l of c.lessonsWithoutTopic.first) {
    lines.push(
      t("period-close:lessonItem", {
        date: dm(l.date),
        lesson: `${l.className} ${l.subjectName}`,
        teacher: l.teacherName,
      }),
    );
  }
  lines.push(
    "",
    t("period-close:missingTerms", { count: c.missingTermGrades.count, assignments: c.missingTermGrades.assignments }),
  );
  for (const g of c.missingTermGrades.first) {
    lines.push(
      t("period-close:gapItem", {
        lesson: `${g.className} ${g.subjectName}`,
        teacher: g.teacherName,
        missing: g.missing,
        students: g.students,
      }),
    );
  }
  lines.push("", t("period-close:lateMarks", { count: c.lateMarks.count }));
  for (const m of c.lateMarks.first) {
    lines.push(
      t("period-close:lateItem", {
        date: dm(m.date),
        entered: dm(m.enteredOn),
        lesson: `${m.className} ${m.subjectName}`,
        teacher: m.teacherName,
      }),
    );
  }
  lines.push(t("period-close:lateTerms", { count: c.lateTermGrades.count, deadline: dm(c.deadline) }));
  lines.push("", t(c.clean ? "period-close:clean" : "period-close:notClean"));
  return lines.join("\n");
}

function checkScreen(ctx: BotContext, c: PeriodCloseCheck): Screen {
  const keyboard: InlineKeyboardButton[][] = [];
  if (!c.period.closedAt) {
    keyboard.push([
      { text: ctx.t("period-close:close"), callback_data: periodCloseCallback.encode({ periodId: c.period.periodId }) },
    ]);
  }
  keyboard.push([{ text: ctx.t("period-close:back"), callback_data: periodListCallback.encode({}) }]);
  return { text: checkText(ctx, c), keyboard };
}

export const periodCloseFeature = new Composer<BotContext>();

periodCloseFeature.chatType("private").command(
  "periods",
  periodGuarded(async (ctx) => {
    await show(ctx, await listScreen(ctx));
  }),
);

periodCloseFeature.callbackQuery(
  periodListCallback.pattern,
  periodGuarded(async (ctx) => {
    await show(ctx, await listScreen(ctx));
  }),
);

periodCloseFeature.callbackQuery(
  periodCheckCallback.pattern,
  periodGuarded(async (ctx) => {
    const data = periodCheckCallback.parse(ctx.callbackQuery?.data);
    if (!data) return refuse(ctx, "period-close:refused");
    const check = await periodCloseCheck(ctx.services.prisma, ctx.actor, data);
    await show(ctx, checkScreen(ctx, check));
  }),
);

periodCloseFeature.callbackQuery(
  periodCloseCallback.pattern,
  periodGuarded(async (ctx) => {
    const data = periodCloseCallback.parse(ctx.callbackQuery?.data);
    if (!data) return refuse(ctx, "period-close:refused");
    const res = await closePeriod(ctx.services.prisma, ctx.actor, data);
    const text = ctx.t(res.alreadyClosed ? "period-close:wasClosed" : "period-close:closed", {
      period: periodName(ctx.t, res.period),
    });
    await show(ctx, {
      text,
      keyboard: [[{ text: ctx.t("period-close:back"), callback_data: periodListCallback.encode({}) }]],
    });
  }),
);
