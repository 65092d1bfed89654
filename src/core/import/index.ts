// The school import: read a source, validate it, apply it as a difference.
export type { ApplyResult, ImportCounts, SheetCounts } from "./apply-workbook.ts";
export { type ImportOptions, type ImportResult, importSchool } from "./import-school.ts";
export { type ParsedWorkbook, parseWorkbook, validateWorkbook } from "./parse-workbook.ts";
export { readCsvFolder, readSchoolSource, readXlsx } from "./read-source.ts";
export {
  emptyWorkbook,
  IMPORT_ERROR_CODES,
  type ImportError,
  type ImportErrorCode,
  numberRows,
  type SchoolWorkbook,
  SHEET_NAMES,
  SHEETS,
  type SheetName,
  type SheetRow,
} from "./sheets.ts";
export { writeTemplate, writeWorkbookXlsx } from "./write-template.ts";
