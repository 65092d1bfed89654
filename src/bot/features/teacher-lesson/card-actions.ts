// The lesson card's buttons shared with other teacher features: the marks feature (teacher-marks/) handles
// `openMarksCallback` («Оценки») and may call `renderLessonCard` to return to the card.
import type { InlineKeyboardButton } from "grammy/types";
import type { TFunction } from "i18next";
import type { IsoDate } from "../../../core/dates.ts";
import { defineCallback } from "../../callback-data.ts";
import { subDay } from "../class-admin/callbacks.ts";

/** «Оценки» on the lesson card: handled by the marks feature. */
export const openMarksCallback = defineCallback("mk", { lessonId: "int" });

/** «🎓 Итоговые» on the lesson card: the term sheet of the lesson's assignment (period 0 = the current one). */
export const termSheetCallback = defineCallback("tgs", { assignmentId: "int", periodId: "int", page: "int" });

export function termSheetButton(t: TFunction, assignmentId: number): InlineKeyboardButton {
  return {
    text: t("term-grades:open"),
    callback_data: termSheetCallback.encode({ assignmentId, periodId: 0, page: 0 }),
  };
}

/** «‹ Уроки школы» on a card the administration opened: the school's lessons of that day (class-admin/substitute). */
export function schoolDayCallback(date: IsoDate): string {
  return subDay.encode({ date: Number(date.replaceAll("-", "")), slot: 0 });
}

export { lessonCardKeyboard, renderLessonCard } from "./lesson-card.ts";
