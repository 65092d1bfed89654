// Callback data of the student directory (prefix "sd…"). Every id is re-checked by the core when pressed.
import type { InlineKeyboardButton } from "grammy/types";
import { defineCallback } from "../../callback-data.ts";
import type { InnerContext } from "../../context.ts";
import { button } from "../../ui/index.ts";

/** The classes of the year. */
export const sdClasses = defineCallback("sdc", {});
/** A class's students. */
export const sdClass = defineCallback("sdcl", { classId: "int" });
/** A student's page: who they are and the diary views. */
export const sdStudent = defineCallback("sdst", { studentId: "int" });

/** The row under a diary view opened from the directory: back to the student's page. */
export function backToStudentRow(ctx: InnerContext, studentId: number): InlineKeyboardButton[] {
  return [button(ctx.t("students:backToStudent"), sdStudent.encode({ studentId }))];
}
