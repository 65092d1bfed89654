// Callback data of the teacher's day, lesson card, attendance, prompt, topic and homework buttons. Every id in
// them is re-checked by the core on each press. No grammY here: the jobs layer builds the prompt's buttons too.
import { defineCallback } from "./codec.ts";

/** «‹ day ›»: the teacher's lessons of a date (YYYY-MM-DD). */
export const dayCallback = defineCallback("tlday", { date: "word" });
/** A lesson of the day list → its card. */
export const cardCallback = defineCallback("tlcard", { lessonId: "int" });

/** "Attendance": opens the roster from the saved attendance. */
export const attendanceOpenCallback = defineCallback("tlatt", { lessonId: "int" });
/**
 * A tap on a student: `state` is the whole roster's draft before the tap (see attendance-state.ts), `fp` the
 * roster's fingerprint, `page` the page shown.
 */
export const attendanceTapCallback = defineCallback("tla", {
  lessonId: "int",
  idx: "int",
  page: "int",
  state: "word",
  fp: "word",
});
export const attendancePageCallback = defineCallback("tlap", {
  lessonId: "int",
  page: "int",
  state: "word",
  fp: "word",
});
export const attendanceSaveCallback = defineCallback("tlas", { lessonId: "int", state: "word", fp: "word" });

/** The lesson-start prompt: "All present", "Mark the absent" (= attendanceOpenCallback), prompts off/on. */
export const allPresentCallback = defineCallback("tlall", { lessonId: "int" });
export const promptOffCallback = defineCallback("tloff", { lessonId: "int" });
export const promptOnCallback = defineCallback("tlon", { lessonId: "int" });

/** The "Topic and homework" screen; the plan's next item as the topic in one tap; typed topic; homework. */
export const topicScreenCallback = defineCallback("tlth", { lessonId: "int" });
export const planTopicCallback = defineCallback("tlplan", { lessonId: "int", planItemId: "int" });
export const typeTopicCallback = defineCallback("tltopic", { lessonId: "int" });
export const homeworkCallback = defineCallback("tlhw", { lessonId: "int" });
/** Buttons of a homework draft (inside its conversation): action and an argument (student index, date index). */
export const homeworkDraftCallback = defineCallback("tlhwx", { action: "word", arg: "int" });
/** "Cancel" of a typed topic (inside its conversation). */
export const topicCancelCallback = defineCallback("tltx", { lessonId: "int" });
