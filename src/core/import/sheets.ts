// The sheets of a school import file, their columns, and the raw workbook the readers produce: every cell as a
// trimmed string, every row with its number as the person sees it in the spreadsheet (the header is row 1).

export const SHEETS = {
  periods: ["year", "kind", "number", "starts", "ends"],
  bells: ["number", "starts", "ends"],
  subjects: ["name", "short"],
  staff: ["id", "last_name", "first_name", "middle_name", "roles"],
  classes: ["name", "grade", "class_teacher"],
  students: ["id", "last_name", "first_name", "middle_name", "class", "subgroups"],
  guardians: ["id", "last_name", "first_name", "middle_name", "students", "relation"],
  assignments: ["teacher", "subject", "class", "subgroup", "hours_per_week"],
  timetable: ["class", "subgroup", "weekday", "lesson", "subject", "teacher", "room"],
} as const;

export type SheetName = keyof typeof SHEETS;
export const SHEET_NAMES = Object.keys(SHEETS) as SheetName[];
export type ColumnOf<S extends SheetName> = (typeof SHEETS)[S][number];

/** Columns that may be missing from a file (an empty cell means "none"). */
export const OPTIONAL_COLUMNS: ReadonlySet<string> = new Set([
  "middle_name",
  "subgroups",
  "relation",
  "subgroup",
  "room",
  "class_teacher",
  "short",
]);

export type SheetRow<S extends SheetName> = { row: number } & Record<ColumnOf<S>, string>;

/**
 * The optional `settings` sheet (R-07, R-14..R-16): one setting a row — `key`, `value`, and for a work type its
 * `weight` and `label`, for a threshold its mark (`value`) and minimum average (`weight`), for a role its `rights`.
 */
export const SETTINGS_COLUMNS = ["key", "value", "weight", "label", "rights"] as const;
export type SettingsRow = { row: number } & Record<(typeof SETTINGS_COLUMNS)[number], string>;

/** The optional `plans` sheet: thematic plans, a row per topic of an assignment (teacher × subject × class). */
export const PLANS_COLUMNS = ["teacher", "subject", "class", "subgroup", "order", "topic", "hours"] as const;
export type PlansRow = { row: number } & Record<(typeof PLANS_COLUMNS)[number], string>;

export type SchoolWorkbook = { [S in SheetName]: SheetRow<S>[] } & {
  /** The optional settings sheet; absent = the school's settings stay as they are. */
  settings?: SettingsRow[];
  /** The optional plans sheet; an assignment without rows keeps its plan. */
  plans?: PlansRow[];
  /** Problems found while reading the file (a missing sheet or column); validation reports them first. */
  readErrors?: ImportError[];
};

export interface ImportError {
  sheet: SheetName | "settings" | "plans" | "";
  /** 1-based spreadsheet row including the header row; 0 when the error is about the whole sheet. */
  row: number;
  column: string;
  code: ImportErrorCode;
  params: Record<string, string | number>;
}

export const IMPORT_ERROR_CODES = [
  "MISSING_SHEET",
  "MISSING_COLUMN",
  "REQUIRED",
  "TOO_LONG",
  "BAD_DATE",
  "BAD_TIME",
  "BAD_NUMBER",
  "OUT_OF_RANGE",
  "BAD_YEAR",
  "YEAR_MISMATCH",
  "BAD_KIND",
  "BAD_ROLE",
  "BAD_WEEKDAY",
  "BAD_CLASS_NAME",
  "GRADE_MISMATCH",
  "BAD_SUBGROUPS",
  "DATES_REVERSED",
  "TIMES_REVERSED",
  "DUPLICATE",
  "DUPLICATE_ID",
  "ID_NAME_MISMATCH",
  "UNKNOWN_STAFF",
  "UNKNOWN_CLASS",
  "UNKNOWN_SUBJECT",
  "UNKNOWN_STUDENT",
  "UNKNOWN_BELL",
  "NOT_A_TEACHER",
  "NO_ASSIGNMENT",
  "TEACHER_BUSY",
  "CLASS_BUSY",
  "NO_PERIODS",
  "UNKNOWN_SETTING",
  "BAD_SETTING",
  "BAD_PERMISSION",
] as const;

export type ImportErrorCode = (typeof IMPORT_ERROR_CODES)[number];

export function emptyWorkbook(): SchoolWorkbook {
  return {
    periods: [],
    bells: [],
    subjects: [],
    staff: [],
    classes: [],
    students: [],
    guardians: [],
    assignments: [],
    timetable: [],
  };
}

/** Builds a sheet's rows from plain objects, numbering them as a spreadsheet would (first data row = 2). */
export function numberRows<S extends SheetName>(
  sheet: S,
  rows: Array<Partial<Record<ColumnOf<S>, string | number | null>>>,
): SheetRow<S>[] {
  return rows.map((r, i) => {
    const out: Record<string, string | number> = { row: i + 2 };
    for (const col of SHEETS[sheet] as readonly string[]) {
      const v = (r as Record<string, string | number | null | undefined>)[col];
      out[col] = v == null ? "" : String(v);
    }
    return out as SheetRow<S>;
  });
}
