// The import workbook's optional `settings` sheet → a school-settings patch. Every row is
// checked; any error is reported with its row and nothing of the file is applied. Keys:
//   grace_minutes, correction_window_days, term_grade_deadline_days, term_grade_reminder_days, written_work_days:
//     a whole number in `value`;
//   threshold: the mark in `value` (2..5), the minimum average in `weight`;
//   grades_without_marks: grades in `value` ("1, 2"; empty = none);
//   quiet_hours: "21:00-07:00" in `value` (empty = none);
//   work_type: the code in `value`, its `weight` and optional `label` (rows replace the list of work types);
//   pass_fail_subject: a subject name in `value` (one row per subject);
//   rights: a staff role in `value` (TEACHER, DEPUTY...), its rights in `rights` ("report.school, period.close").
import { CONFIGURABLE_PERMISSIONS, STAFF_ROLES } from "../access/permissions.ts";
import { checkSettingsPatch, type SchoolSettingsPatch } from "../school-settings/update-school-settings.ts";
import { DEFAULT_WORK_TYPES } from "../settings.ts";
import type { ImportError, ImportErrorCode, SettingsRow } from "./sheets.ts";

const INTEGER_KEYS: Record<string, keyof SchoolSettingsPatch> = {
  grace_minutes: "graceMinutes",
  correction_window_days: "correctionWindowDays",
  term_grade_deadline_days: "termGradeDeadlineDays",
  term_grade_reminder_days: "termGradeReminderDaysBefore",
  written_work_days: "writtenWorkDays",
};

const list = (s: string) =>
  s
    .split(/[,;]/)
    .map((x) => x.trim())
    .filter(Boolean);
const decimal = (s: string) => (/^\d+([.,]\d+)?$/.test(s) ? Number(s.replace(",", ".")) : null);

export function parseSettingsSheet(rows: SettingsRow[]): { errors: ImportError[]; patch: SchoolSettingsPatch } {
  const errors: ImportError[] = [];
  const add = (row: number, column: string, code: ImportErrorCode, params: Record<string, string | number> = {}) =>
    errors.push({ sheet: "settings", row, column, code, params });
  const patch: Record<string, unknown> = {};
  const rowOf: Record<string, number> = {};
  const thresholds: { min: number; mark: string }[] = [];
  const workTypes: { code: string; weight: number; written: boolean; label?: string }[] = [];
  const passFail: string[] = [];
  const rights: Record<string, string[]> = {};
  for (const r of rows) {
    const key = r.key.trim().toLowerCase();
    const target = INTEGER_KEYS[key];
    if (target) {
      if (!/^\d+$/.test(r.value)) add(r.row, "value", "BAD_NUMBER", { value: r.value });
      else patch[target] = Number(r.value);
      rowOf[target] = r.row;
    } else if (key === "threshold") {
      const min = decimal(r.weight);
      if (!/^[2345]$/.test(r.value)) add(r.row, "value", "BAD_SETTING", { setting: "threshold" });
      else if (min === null) add(r.row, "weight", "BAD_NUMBER", { value: r.weight });
      else thresholds.push({ mark: r.value, min });
      rowOf.thresholds ??= r.row;
    } else if (key === "grades_without_marks") {
      const grades = list(r.value);
      if (grades.some((g) => !/^\d{1,2}$/.test(g))) add(r.row, "value", "BAD_NUMBER", { value: r.value });
      else patch.gradesWithoutMarks = grades.map(Number);
      rowOf.gradesWithoutMarks = r.row;
    } else if (key === "quiet_hours") {
      const m = /^(\d{1,2}:\d{2})\s*[-–—]\s*(\d{1,2}:\d{2})$/.exec(r.value);
      const pad = (t: string) => t.padStart(5, "0");
      if (r.value === "") patch.quietHoursDefault = { from: "00:00", to: "00:00" };
      else if (!m) add(r.row, "value", "BAD_TIME", { value: r.value });
      else patch.quietHoursDefault = { from: pad(m[1]), to: pad(m[2]) };
      rowOf.quietHoursDefault = r.row;
    } else if (key === "work_type") {
      const weight = decimal(r.weight);
      if (weight === null) add(r.row, "weight", "BAD_NUMBER", { value: r.weight });
      else {
        const known = DEFAULT_WORK_TYPES.find((w) => w.code === r.value);
        workTypes.push({
          code: r.value,
          weight,
          written: known?.written ?? false,
          ...(r.label ? { label: r.label } : {}),
        });
      }
      rowOf.workTypes ??= r.row;
    } else if (key === "pass_fail_subject") {
      if (!r.value) add(r.row, "value", "REQUIRED");
      else passFail.push(r.value);
      rowOf.passFailSubjects ??= r.row;
    } else if (key === "rights") {
      const role = r.value.trim().toUpperCase();
      const perms = list(r.rights);
      const unknown = perms.filter((p) => !(CONFIGURABLE_PERMISSIONS as readonly string[]).includes(p));
      if (!(STAFF_ROLES as readonly string[]).includes(role)) add(r.row, "value", "BAD_ROLE", { value: r.value });
      else if (unknown.length) add(r.row, "rights", "BAD_PERMISSION", { value: unknown.join(", ") });
      else rights[role] = perms;
      rowOf.rolePermissions ??= r.row;
    } else {
      add(r.row, "key", "UNKNOWN_SETTING", { value: r.key });
    }
  }
  if (thresholds.length) patch.thresholds = thresholds;
  if (workTypes.length) patch.workTypes = workTypes;
  if (passFail.length) patch.passFailSubjects = passFail;
  if (Object.keys(rights).length) patch.rolePermissions = rights;
  if (errors.length) return { errors, patch: {} };
  const checked = checkSettingsPatch(patch);
  if (!checked.ok) {
    for (const issue of checked.issues) {
      const key = issue.path.split(".")[0];
      add(rowOf[key] ?? 0, "value", "BAD_SETTING", { setting: key });
    }
    return { errors, patch: {} };
  }
  return { errors, patch: checked.patch };
}
