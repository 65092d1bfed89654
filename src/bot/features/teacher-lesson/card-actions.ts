// The lesson card's buttons shared with other teacher features: the marks feature (teacher-marks/) handles
// `openMarksCallback` («Оценки») and may call `renderLessonCard` to return to the card.
import { defineCallback } from "../../callback-data.ts";

/** «Оценки» on the lesson card: handled by the marks feature. */
export const openMarksCallback = defineCallback("mk", { lessonId: "int" });

export { lessonCardKeyboard, renderLessonCard } from "./lesson-card.ts";
