// Callback data of the term-marks screens. Every id is re-checked by the core on each press; period 0 means
// the current period of the school. The sheet's own callback is defined next to the lesson card's buttons.
import { defineCallback } from "../../callback-data.ts";

export { termSheetCallback } from "../teacher-lesson/card-actions.ts";

/** «✅ Принять все предложения». */
export const termAcceptCallback = defineCallback("tga", { assignmentId: "int", periodId: "int", page: "int" });
/** A student of the sheet → the value picker. */
export const termStudentCallback = defineCallback("tgp", {
  assignmentId: "int",
  periodId: "int",
  studentId: "int",
  page: "int",
});
/** A value for one student: 2..5, na, osv, pass, fail (see format.ts). */
export const termValueCallback = defineCallback("tgv", {
  assignmentId: "int",
  periodId: "int",
  studentId: "int",
  page: "int",
  value: "word",
});
/** /terms: the teacher's classes and subjects. */
export const termListCallback = defineCallback("tgl", {});
