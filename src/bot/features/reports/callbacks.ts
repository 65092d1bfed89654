// Callback data of the reports screens (prefix "rp…"). `cls` is the class of a class teacher's screens
// (0: the administration's); every id is re-checked by the core on each press.
import { defineCallback } from "../../callback-data.ts";

/** The list of reports. */
export const reportsMenu = defineCallback("rp_m", { cls: "int" });
/** A report kind chosen: pick the span. */
export const reportKind = defineCallback("rp_k", { kind: "word", cls: "int" });
/** A span chosen (administration): pick the scope. */
export const reportSpan = defineCallback("rp_s", { kind: "word", span: "word" });
/** A scope kind that needs a choice: the list of grades, classes, subjects or teachers. */
export const reportScopeList = defineCallback("rp_c", { kind: "word", span: "word", scope: "word" });
/** The summary on screen, with the file buttons. */
export const reportSummary = defineCallback("rp_v", {
  kind: "word",
  span: "word",
  scope: "word",
  id: "int",
  cls: "int",
});
/** A file asked for. */
export const reportFile = defineCallback("rp_f", { kind: "word", span: "word", scope: "word", id: "int", fmt: "word" });
/** The printed journal: pick the class (administration), then the period, then the file. */
export const journalClasses = defineCallback("rp_j", {});
export const journalClass = defineCallback("rp_p", { classId: "int", cls: "int" });
export const journalFile = defineCallback("rp_q", { classId: "int", periodId: "int" });
