// «🗓 Расписание»: the week of a child with bells and rooms, cancellations, substitutions and changes against the
// regular timetable (R-20), days off from the school calendar; ‹ неделя › walk the weeks.
import type { TFunction } from "i18next";
import { addDays, type IsoDate, weekStart } from "../../../core/dates.ts";
import type { StudentLesson } from "../../../core/family/index.ts";
import { type StudentTimetableResult, studentTimetable } from "../../../core/family/index.ts";
import type { Language } from "../../../i18n.ts";
import type { InnerContext, LinkedContext } from "../../context.ts";
import type { Screen } from "../../ui/index.ts";
import { timetableCallback } from "./callbacks.ts";
import { shortDate, weekdayShort } from "./format.ts";

function lessonLine(t: TFunction, l: StudentLesson): string {
  const flags: string[] = [];
  if (l.status === "CANCELLED") flags.push(t("family:lesson.cancelled"));
  if (l.substitute) flags.push(t("family:lesson.substitute", { name: l.substitute }));
  if (l.changed) flags.push(t("family:lesson.changed"));
  if (l.roomChanged) flags.push(t("family:lesson.roomChanged"));
  const room = l.room
    ? `, ${t("family:lesson.room", { room: l.room, context: /^\d/.test(l.room) ? undefined : "named" })}`
    : "";
  const time = l.startsAt ? ` ${l.startsAt}` : "";
  return `  ${l.slot}.${time} ${l.subjectName}${room}${flags.length ? ` — ${flags.join(", ")}` : ""}`;
}

export function renderTimetable(t: TFunction, lng: Language, r: StudentTimetableResult, today: IsoDate): string {
  const lines = [
    t("family:timetable.title", { from: shortDate(lng, r.weekStart), to: shortDate(lng, addDays(r.weekStart, 6)) }),
  ];
  for (const d of r.days) {
    const weekend = d.weekday >= 6;
    if (weekend && d.lessons.length === 0 && !d.dayOff && d.date !== today) continue;
    const mark = d.date === today ? ` — ${t("family:timetable.today")}` : "";
    lines.push("", `${weekdayShort(lng, d.date)}, ${shortDate(lng, d.date)}${mark}`);
    if (d.dayOff) lines.push(`  ${t(`family:timetable.${d.dayOff}`)}${d.note ? `: ${d.note}` : ""}`);
    else if (d.lessons.length === 0) lines.push(`  ${t("family:timetable.noLessons")}`);
    for (const l of d.lessons) lines.push(lessonLine(t, l));
  }
  return lines.join("\n");
}

export async function buildTimetableScreen(
  ctx: LinkedContext<InnerContext>,
  studentId: number,
  weekOf: IsoDate,
  today: IsoDate,
): Promise<Screen> {
  const r = await studentTimetable(ctx.services.prisma, ctx.actor, { studentId, weekOf });
  const prev = addDays(r.weekStart, -7);
  const next = addDays(r.weekStart, 7);
  const nav = [
    { text: ctx.t("family:timetable.prevWeek"), callback_data: timetableCallback.encode({ studentId, weekOf: prev }) },
    ...(weekStart(today) !== r.weekStart
      ? [
          {
            text: ctx.t("family:timetable.thisWeek"),
            callback_data: timetableCallback.encode({ studentId, weekOf: today }),
          },
        ]
      : []),
    { text: ctx.t("family:timetable.nextWeek"), callback_data: timetableCallback.encode({ studentId, weekOf: next }) },
  ];
  return { text: renderTimetable(ctx.t, ctx.lng, r, today), keyboard: [nav] };
}
