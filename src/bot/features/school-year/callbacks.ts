// Callback data of the school-year screens (prefix "sy…"). Every id is re-checked by the core when pressed.
import { defineCallback } from "../../callback-data.ts";

/** The classes of the year (student movement). */
export const syClasses = defineCallback("syc", {});
/** A class's students. */
export const syClass = defineCallback("sycl", { classId: "int" });
/** A student's card. */
export const syStudent = defineCallback("syst", { studentId: "int" });
/** Starts a movement: action "transfer" | "subgroup" | "leave" for a student, "admit" for a class (id). */
export const syMove = defineCallback("symv", { action: "word", id: "int" });
/** The marks extract of a student as a PDF. */
export const syExtract = defineCallback("syext", { studentId: "int" });
/** Starts a new calendar change. */
export const syCalendarNew = defineCallback("sycaln", {});
/** Starts adding an event to the school calendar. */
export const syEventNew = defineCallback("syevn", {});
