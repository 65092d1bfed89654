// Callback data of the family screens. Every id is re-checked by the core; a tampered id gets FORBIDDEN.
import { defineCallback } from "../../callback-data.ts";

/** A view of the diary: "day" | "marks" | "homework" | "timetable". */
export type DiaryView = "day" | "marks" | "homework" | "timetable";
export const DIARY_VIEWS: readonly DiaryView[] = ["day", "marks", "homework", "timetable"];

/** Today (or another day) of a child: date as YYYY-MM-DD. */
export const dayCallback = defineCallback("fyday", { studentId: "int", date: "word" });
/** Marks by subject for the current period. */
export const marksCallback = defineCallback("fymk", { studentId: "int" });
/** One subject's marks. */
export const subjectCallback = defineCallback("fysub", { studentId: "int", subjectId: "int" });
/** Homework due in a range. */
export const homeworkCallback = defineCallback("fyhw", { studentId: "int" });
/** The files of the homework due in a range, sent as documents/photos. */
export const filesCallback = defineCallback("fyfile", { studentId: "int", from: "word", to: "word" });
/** The timetable of the week containing weekOf. */
export const timetableCallback = defineCallback("fytt", { studentId: "int", weekOf: "word" });
/** Switch to another child, showing the same view. */
export const switchCallback = defineCallback("fysw", { studentId: "int", view: "word" });

/** «Согласен» / «Не согласен» on a guardian's invite; the code itself stays server-side. */
export const acceptInviteCallback = defineCallback("fyok", { inviteId: "int" });
export const declineInviteCallback = defineCallback("fyno", { inviteId: "int" });
/** A linked guardian: show the notice to give consent (again); then «Согласен» / «Не согласен». */
export const consentNoticeCallback = defineCallback("fycn", {});
export const giveConsentCallback = defineCallback("fycg", {});
export const keepWithoutConsentCallback = defineCallback("fyck", {});
/** Withdraw consent: ask, then confirm or cancel. */
export const withdrawAskCallback = defineCallback("fywa", {});
export const withdrawConfirmCallback = defineCallback("fywy", {});
export const withdrawCancelCallback = defineCallback("fywn", {});

/** Settings: set `key` to `value` (validated by the core), or open a sub-menu (`key` "menu"). */
export const settingCallback = defineCallback("fyset", { key: "word", value: "word" });
