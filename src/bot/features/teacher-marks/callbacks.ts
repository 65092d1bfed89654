// Callback data of the marks screens. Every id is re-checked by the core when pressed (a tampered id gets a
// refusal, never data). The work type travels along so each screen knows which kind of mark is being given.
// «Оценки» on the lesson card (`openMarksCallback`, prefix "mk") lives in teacher-lesson/card-actions.ts.
import { defineCallback } from "../../callback-data.ts";

/** Work type chosen → the roster for that work type. */
export const rosterCallback = defineCallback("mkw", { lessonId: "int", wt: "word" });
/** A student on the roster: their marks of the lesson, or the value keypad when they have none. */
export const studentCallback = defineCallback("mks", { lessonId: "int", wt: "word", studentId: "int" });
/** «Поставить ещё» on a student's marks: the value keypad. */
export const keypadCallback = defineCallback("mkn", { lessonId: "int", wt: "word", studentId: "int" });
/** A value on the keypad (2..5, "na" for «н/а»): saved at once. */
export const valueCallback = defineCallback("mkv", { lessonId: "int", wt: "word", studentId: "int", v: "word" });
/** «💬 с комментарием»: the value and a comment typed in one message. */
export const commentCallback = defineCallback("mkc", { lessonId: "int", wt: "word", studentId: "int" });
/** «⌨️ Ввести списком»: the whole roster typed in one message. */
export const textEntryCallback = defineCallback("mkt", { lessonId: "int", wt: "word" });
/** Save / edit on the preview of a typed list (handled inside the text-entry conversation). */
export const previewCallback = defineCallback("mkp", { lessonId: "int", op: "word" });
/** «Отменить» on a save confirmation: the marks from..to of this lesson created together by the presser. */
export const undoCallback = defineCallback("mku", { lessonId: "int", from: "int", to: "int", wt: "word" });
/** A saved mark: its details with «Исправить» / «Удалить». */
export const markCallback = defineCallback("mkm", { markId: "int", wt: "word" });
/** «Исправить»: the keypad for the new value. */
export const fixCallback = defineCallback("mkx", { markId: "int", wt: "word" });
/** The new value of a mark being corrected. */
export const fixValueCallback = defineCallback("mkxv", { markId: "int", wt: "word", v: "word" });
/** «Удалить (аннулировать)». */
export const voidCallback = defineCallback("mkd", { markId: "int", wt: "word" });
/** «‹ К уроку»: back to the lesson card. */
export const backToCardCallback = defineCallback("mkb", { lessonId: "int" });

/** Keypad words ↔ values: callback data allows no Cyrillic, so «н/а» travels as "na". */
export function valueWord(value: string): string {
  return /^[0-9]+$/.test(value) ? value : "na";
}
