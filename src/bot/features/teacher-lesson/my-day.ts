// «📋 Мой день» and /today: the teacher's lessons of a day in school time, the current one first and marked,
// each a button with its state; ‹ day › to reach past days for late entry (R-11 flags, never blocks).
// /today from someone who does not teach goes on to the next feature (families answer it).

import { Composer } from "grammy";
import type { InlineKeyboardButton } from "grammy/types";
import { addDays, type IsoDate } from "../../../core/dates.ts";
import { type LessonItem, teacherDay } from "../../../core/journal/lessons.ts";
import type { BotContext, InnerContext, LinkedContext } from "../../context.ts";
import { menuLabels } from "../../keyboards/main-menu.ts";
import { type Screen, show } from "../../ui/index.ts";
import { cardCallback, dayCallback } from "./callbacks.ts";
import { groupLabel, longDate, weekdayDate } from "./format.ts";
import { guarded, isTeacher, refuse } from "./respond.ts";

export const myDay = new Composer<BotContext>();

function stateIcons(ctx: InnerContext, l: LessonItem): string {
  const icons: string[] = [];
  if (l.status === "CANCELLED") return ` ${ctx.t("teacher-lesson:day.icons.cancelled")}`;
  if (l.state.attendanceTaken) icons.push(ctx.t("teacher-lesson:day.icons.attendance"));
  if (l.state.marksCount > 0) icons.push(ctx.t("teacher-lesson:day.icons.marks", { count: l.state.marksCount }));
  if (l.state.topic) icons.push(ctx.t("teacher-lesson:day.icons.topic"));
  if (l.state.homework) icons.push(ctx.t("teacher-lesson:day.icons.homework"));
  if (l.substitutedBy) icons.push(ctx.t("teacher-lesson:day.icons.substituted"));
  else if (l.late) icons.push(ctx.t("teacher-lesson:day.icons.late"));
  return icons.length ? ` · ${icons.join(" ")}` : "";
}

function lessonLine(ctx: InnerContext, l: LessonItem): string {
  const group = groupLabel(ctx.t, l.className, l.subgroupNo);
  const parts = [
    ctx.t("teacher-lesson:day.line", {
      mark: l.current ? ctx.t("teacher-lesson:day.currentMark") : "",
      slot: l.slot,
      time: l.startsAt && l.endsAt ? `${l.startsAt}–${l.endsAt}` : "",
      group,
      subject: l.subjectName,
      room: l.room
        ? ctx.t("teacher-lesson:day.room", { room: l.room, context: /^\d/.test(l.room) ? undefined : "named" })
        : "",
    }),
  ];
  if (l.current) parts.push(ctx.t("teacher-lesson:day.now"));
  if (l.substitute) parts.push(ctx.t("teacher-lesson:day.substitute"));
  if (l.status === "CANCELLED") parts.push(ctx.t("teacher-lesson:day.cancelled"));
  else if (l.substitutedBy) {
    // handed over: the substitute fills it in, so nothing is missing on the regular teacher's side
    parts.push(ctx.t("teacher-lesson:day.substitutedBy", { name: l.substitutedBy.name }));
  } else {
    const missing: string[] = [];
    if (!l.state.attendanceTaken) missing.push(ctx.t("teacher-lesson:day.missing.attendance"));
    if (!l.state.topic) missing.push(ctx.t("teacher-lesson:day.missing.topic"));
    if (l.late) parts.push(ctx.t("teacher-lesson:day.lateEntry", { what: missing.join(", ") }));
  }
  return parts.join(" ");
}

function lessonButton(ctx: InnerContext, l: LessonItem): InlineKeyboardButton {
  return {
    text: ctx.t("teacher-lesson:day.button", {
      mark: l.current ? ctx.t("teacher-lesson:day.currentMark") : "",
      slot: l.slot,
      group: groupLabel(ctx.t, l.className, l.subgroupNo),
      subject: l.subjectShort || l.subjectName,
      state: stateIcons(ctx, l),
    }),
    callback_data: cardCallback.encode({ lessonId: l.lessonId }),
  };
}

export function dayScreen(ctx: InnerContext, day: { date: IsoDate; today: IsoDate; lessons: LessonItem[] }): Screen {
  const lessons = [...day.lessons.filter((l) => l.current), ...day.lessons.filter((l) => !l.current)];
  const title = ctx.t(day.date === day.today ? "teacher-lesson:day.titleToday" : "teacher-lesson:day.title", {
    date: longDate(day.date, ctx.lng),
  });
  const lines = [title, ""];
  if (lessons.length === 0) lines.push(ctx.t("teacher-lesson:day.empty"));
  else {
    lines.push(...lessons.map((l) => lessonLine(ctx, l)));
    lines.push("", ctx.t("teacher-lesson:day.hint"));
  }
  const prev = addDays(day.date, -1);
  const next = addDays(day.date, 1);
  const nav: InlineKeyboardButton[] = [
    { text: `‹ ${weekdayDate(prev, ctx.lng)}`, callback_data: dayCallback.encode({ date: prev }) },
  ];
  if (day.date !== day.today) {
    nav.push({ text: ctx.t("teacher-lesson:day.today"), callback_data: dayCallback.encode({ date: day.today }) });
  }
  nav.push({ text: `${weekdayDate(next, ctx.lng)} ›`, callback_data: dayCallback.encode({ date: next }) });
  return { text: lines.join("\n"), keyboard: [...lessons.map((l) => [lessonButton(ctx, l)]), nav] };
}

export async function showDay(ctx: LinkedContext<InnerContext>, date?: IsoDate): Promise<void> {
  const day = await teacherDay(ctx.services.prisma, ctx.actor, date ? { date } : {});
  await show(ctx, dayScreen(ctx, day));
}

const privateChat = myDay.chatType("private");

privateChat.command("today", async (ctx, next) => {
  if (!isTeacher(ctx)) return next();
  await guarded<InnerContext>((c) => showDay(c))(ctx);
});

privateChat.hears(menuLabels("myDay"), async (ctx, next) => {
  if (!isTeacher(ctx)) return next();
  await guarded<InnerContext>((c) => showDay(c))(ctx);
});

myDay.callbackQuery(
  dayCallback.pattern,
  guarded(async (ctx) => {
    const data = dayCallback.parse(ctx.callbackQuery?.data);
    if (!data || !isTeacher(ctx) || !/^\d{4}-\d{2}-\d{2}$/.test(data.date)) return refuse(ctx);
    await showDay(ctx, data.date);
  }),
);
