// Callback data of the administration's period screens. The core re-checks the period and the right.
import { defineCallback } from "../../callback-data.ts";

/** /periods: the year's periods. */
export const periodListCallback = defineCallback("pcl", {});
/** The check before closing a period. */
export const periodCheckCallback = defineCallback("pcc", { periodId: "int" });
/** «🔒 Закрыть период» (after the check). */
export const periodCloseCallback = defineCallback("pcx", { periodId: "int" });
