// How marks screens name things: work types in the teacher's language, students as «Фамилия И.», the lesson
// as «7Б · Алгебра · 12.01, 1-й урок», values as stored («н/а» included).
import { NOT_ATTESTED } from "../../../core/grading/mark-values.ts";
import type { LessonCard } from "../../../core/journal/lesson-card.ts";
import type { SchoolSettings, WorkType } from "../../../core/settings.ts";
import type { InnerContext } from "../../context.ts";
import { shortNames } from "../../render-person.ts";

/** The school's work types, the teacher's default first. */
export function orderedWorkTypes(settings: SchoolSettings, preferred: string | null): WorkType[] {
  const list = [...settings.workTypes];
  const i = preferred ? list.findIndex((w) => w.code === preferred) : -1;
  if (i > 0) list.unshift(...list.splice(i, 1));
  return list;
}

/** A work type's name; a school's own code without a translation is shown as is. */
export function workTypeName(ctx: InnerContext, code: string): string {
  return ctx.t(`teacher-marks:workTypes.${code}`, { defaultValue: code });
}

export function weightText(weight: number): string {
  return String(Number(weight.toFixed(2)));
}

/** «Алексеев Артём» → «Алексеев А.». */
export function shortName(name: string): string {
  const [last, first] = name.split(" ");
  return first ? `${last} ${first.slice(0, 1)}.` : last;
}

/** The roster's short names by student id, each told apart from the others («Иванов Ал.» / «Иванов Ан.»). */
export function rosterNames(students: readonly { studentId: number; name: string }[]): Map<number, string> {
  const names = shortNames(students.map((s) => s.name));
  return new Map(students.map((s, i) => [s.studentId, names[i]]));
}

/** ISO date → «12.01». */
export function dayMonth(iso: string): string {
  return `${iso.slice(8, 10)}.${iso.slice(5, 7)}`;
}

export function lessonTitle(ctx: InnerContext, card: LessonCard): string {
  const group = card.subgroupNo ? ctx.t("teacher-marks:subgroup", { no: card.subgroupNo }) : "";
  return ctx.t("teacher-marks:lessonTitle", {
    className: card.className,
    group,
    subject: card.subjectName,
    date: dayMonth(card.date),
    slot: card.slot,
  });
}

/** The values a keypad offers: the school's scale, and «н/а» where the school allows it. */
export function keypadValues(settings: SchoolSettings): string[] {
  return [...settings.scale, ...(settings.allowNotAttested ? [NOT_ATTESTED] : [])];
}

export function allowedText(settings: SchoolSettings): string {
  return keypadValues(settings).join(", ");
}
