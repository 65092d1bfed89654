// «📅 Сегодня»: a child's day — lessons with topics, marks (corrections as corrections), absences, homework
// given, and homework due that day; ‹ › walk to the previous and next day.
import type { TFunction } from "i18next";
import { addDays, type IsoDate } from "../../../core/dates.ts";
import { type StudentDayLesson, type StudentDayResult, studentDay } from "../../../core/family/index.ts";
import type { Language } from "../../../i18n.ts";
import type { InnerContext, LinkedContext } from "../../context.ts";
import type { Screen } from "../../ui/index.ts";
import { dayCallback } from "./callbacks.ts";
import { longDate, markText, shortDate, withdrawnText } from "./format.ts";

function lessonTitle(t: TFunction, l: StudentDayLesson): string {
  const time = l.startsAt ? ` ${l.startsAt}` : "";
  const flags: string[] = [];
  if (l.status === "CANCELLED") flags.push(t("family:lesson.cancelled"));
  if (l.substitute) flags.push(t("family:lesson.substitute", { name: l.substitute }));
  if (l.changed) flags.push(t("family:lesson.changed"));
  return `${l.slot}.${time} ${l.subjectName}${flags.length ? ` — ${flags.join(", ")}` : ""}`;
}

function attendanceText(t: TFunction, a: NonNullable<StudentDayLesson["attendance"]>): string {
  const base = a.status === "ABSENT" ? t("family:day.absent") : t("family:day.late");
  return a.reason ? `${base} (${t(`family:reasons.${a.reason}`)})` : base;
}

export function renderDay(t: TFunction, lng: Language, day: StudentDayResult, today: IsoDate): string {
  const title =
    day.date === today
      ? t("family:day.titleToday", { date: longDate(lng, day.date) })
      : t("family:day.title", { date: longDate(lng, day.date) });
  const lines = [title];
  if (day.lessons.length === 0) lines.push("", t("family:day.noLessons"));
  for (const l of day.lessons) {
    lines.push("", lessonTitle(t, l));
    if (l.topic) lines.push(`   ${t("family:day.topic", { topic: l.topic })}`);
    if (l.attendance) lines.push(`   ❗ ${attendanceText(t, l.attendance)}`);
    for (const m of l.marks) lines.push(`   ${t("family:day.mark", { mark: markText(t, m) })}`);
    for (const w of l.withdrawn) lines.push(`   ${withdrawnText(t, w)}`);
    for (const h of l.homework) {
      const files = h.files.length ? ` 📎${h.files.length}` : "";
      lines.push(`   ${t("family:day.homeworkGiven", { text: h.text, due: shortDate(lng, h.dueDate) })}${files}`);
    }
  }
  if (day.homeworkDue.length > 0) {
    lines.push("", t("family:day.homeworkDue"));
    for (const h of day.homeworkDue) lines.push(`• ${h.subjectName}: ${h.text}`);
  }
  return lines.join("\n");
}

export async function buildDayScreen(
  ctx: LinkedContext<InnerContext>,
  studentId: number,
  date: IsoDate,
  today: IsoDate,
): Promise<Screen> {
  const day = await studentDay(ctx.services.prisma, ctx.actor, { studentId, date });
  const prev = addDays(date, -1);
  const next = addDays(date, 1);
  const nav = [
    { text: `‹ ${shortDate(ctx.lng, prev)}`, callback_data: dayCallback.encode({ studentId, date: prev }) },
    ...(date !== today
      ? [{ text: ctx.t("family:day.backToToday"), callback_data: dayCallback.encode({ studentId, date: today }) }]
      : []),
    { text: `${shortDate(ctx.lng, next)} ›`, callback_data: dayCallback.encode({ studentId, date: next }) },
  ];
  return { text: renderDay(ctx.t, ctx.lng, day, today), keyboard: [nav] };
}
