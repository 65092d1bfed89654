// The lesson card's buttons shared with other teacher features: the marks feature (teacher-marks/) handles
// `openMarksCallback` («Оценки») and may call `renderLessonCard` to return to the card.
import type { IsoDate } from "../../../core/dates.ts";
import { defineCallback } from "../../callback-data.ts";
import { subDay } from "../class-admin/callbacks.ts";

/** «Оценки» on the lesson card: handled by the marks feature. */
export const openMarksCallback = defineCallback("mk", { lessonId: "int" });

/** «‹ Уроки школы» on a card the administration opened: the school's lessons of that day (class-admin/substitute). */
export function schoolDayCallback(date: IsoDate): string {
  return subDay.encode({ date: Number(date.replaceAll("-", "")), slot: 0 });
}

export { lessonCardKeyboard, renderLessonCard } from "./lesson-card.ts";
