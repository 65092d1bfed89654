// The import workbook's optional `plans` sheet: thematic plans, one row per topic — the assignment named by
// its teacher (staff id), subject, class and subgroup as on the `assignments` sheet, then order, topic, hours.
// Checked against the file's own assignments; every error listed with its row.
import { checkPlanRows } from "../plans/load-thematic-plan.ts";
import type { ParsedWorkbook } from "./parse-workbook.ts";
import type { ImportError, ImportErrorCode, PlansRow } from "./sheets.ts";

export interface ParsedPlan {
  teacher: string;
  subject: string;
  className: string;
  subgroup: number | null;
  items: { number: number; topic: string; hours: number }[];
}

const keyOf = (teacher: string, subject: string, className: string, subgroup: number | null) =>
  `${teacher}|${subject.toLowerCase()}|${className.toUpperCase()}|${subgroup ?? ""}`;

export function parsePlansSheet(
  rows: PlansRow[],
  data: ParsedWorkbook | null,
): { errors: ImportError[]; plans: ParsedPlan[] } {
  const errors: ImportError[] = [];
  const add = (row: number, column: string, code: ImportErrorCode, params: Record<string, string | number> = {}) =>
    errors.push({ sheet: "plans", row, column, code, params });
  const known = new Map(
    (data?.assignments ?? []).map((a) => [keyOf(a.teacher, a.subject, a.className, a.subgroup), a]),
  );
  const groups = new Map<string, { plan: Omit<ParsedPlan, "items">; rows: PlansRow[] }>();
  for (const r of rows) {
    const subgroup = r.subgroup ? (/^\d$/.test(r.subgroup) ? Number(r.subgroup) : Number.NaN) : null;
    if (Number.isNaN(subgroup)) {
      add(r.row, "subgroup", "BAD_NUMBER", { value: r.subgroup });
      continue;
    }
    const key = keyOf(r.teacher, r.subject, r.class, subgroup);
    const a = known.get(key);
    if (!a) {
      add(r.row, "teacher", "NO_ASSIGNMENT", {
        teacher: r.teacher,
        subject: r.subject,
        class: r.class,
        subgroup: r.subgroup || "—",
      });
      continue;
    }
    const g = groups.get(key) ?? {
      plan: { teacher: a.teacher, subject: a.subject, className: a.className, subgroup: a.subgroup },
      rows: [],
    };
    g.rows.push(r);
    groups.set(key, g);
  }
  const plans: ParsedPlan[] = [];
  for (const g of groups.values()) {
    const checked = checkPlanRows(g.rows.map((r) => ({ row: r.row, order: r.order, topic: r.topic, hours: r.hours })));
    for (const e of checked.errors) {
      const code: ImportErrorCode =
        e.code === "DUPLICATE"
          ? "DUPLICATE"
          : e.code === "TOO_LONG"
            ? "TOO_LONG"
            : e.code === "REQUIRED"
              ? "REQUIRED"
              : "BAD_NUMBER";
      add(e.row, e.column, code, {});
    }
    if (checked.errors.length === 0) plans.push({ ...g.plan, items: checked.items });
  }
  return { errors, plans };
}
