// Reads an import source — one XLSX workbook or a folder of CSV files (one per sheet) — into a SchoolWorkbook of
// trimmed strings. Nothing is validated here except that sheets and required columns exist.
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import ExcelJS from "exceljs";
import { AppError } from "../errors.ts";
import { parseCsv } from "./csv.ts";
import {
  emptyWorkbook,
  type ImportError,
  OPTIONAL_COLUMNS,
  PLANS_COLUMNS,
  type PlansRow,
  type SchoolWorkbook,
  SETTINGS_COLUMNS,
  type SettingsRow,
  SHEET_NAMES,
  SHEETS,
  type SheetName,
} from "./sheets.ts";

export async function readSchoolSource(source: string): Promise<SchoolWorkbook> {
  const info = await stat(source).catch(() => null);
  if (!info) throw new AppError("NOT_FOUND", { path: source });
  if (info.isDirectory()) return readCsvFolder(source);
  if (/\.xlsx$/i.test(source)) return readXlsx(await readFile(source));
  throw new AppError("VALIDATION", { reason: "UNSUPPORTED_SOURCE", path: source });
}

export async function readCsvFolder(dir: string): Promise<SchoolWorkbook> {
  const files = await readdir(dir);
  const tables = new Map<string, string[][]>();
  for (const file of files) {
    const m = /^(.+)\.csv$/i.exec(file);
    if (!m) continue;
    tables.set(normalizeName(m[1]), parseCsv(await readFile(path.join(dir, file), "utf8")));
  }
  return tablesToWorkbook(tables);
}

export async function readXlsx(data: Buffer | ArrayBuffer): Promise<SchoolWorkbook> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(data as ArrayBuffer);
  const tables = new Map<string, string[][]>();
  for (const ws of book.worksheets) {
    const records: string[][] = [];
    for (let r = 1; r <= ws.rowCount; r++) {
      const row = ws.getRow(r);
      const cells: string[] = [];
      for (let c = 1; c <= Math.max(ws.columnCount, row.cellCount); c++) cells.push(cellText(row.getCell(c).value));
      records.push(cells);
    }
    tables.set(normalizeName(ws.name), records);
  }
  return tablesToWorkbook(tables);
}

function normalizeName(s: string): string {
  return s.trim().toLowerCase().replace(/\s+/g, "_");
}

const pad = (n: number) => String(n).padStart(2, "0");

/** A cell as the person typed it. Dates become ISO dates; a time-only cell (Excel's 1899-12-30 day) "HH:MM". */
export function cellText(value: ExcelJS.CellValue): string {
  if (value == null) return "";
  if (value instanceof Date) {
    if (value.getUTCFullYear() < 1900) return `${pad(value.getUTCHours())}:${pad(value.getUTCMinutes())}`;
    return value.toISOString().slice(0, 10);
  }
  if (typeof value === "object") {
    if ("richText" in value) return value.richText.map((p) => p.text).join("");
    if ("result" in value) return cellText((value.result ?? null) as ExcelJS.CellValue);
    if ("text" in value) return String(value.text);
    if ("error" in value) return "";
    return "";
  }
  return String(value);
}

function tablesToWorkbook(tables: Map<string, string[][]>): SchoolWorkbook {
  const wb = emptyWorkbook();
  const readErrors: ImportError[] = [];
  for (const sheet of SHEET_NAMES) {
    const records = tables.get(sheet);
    if (!records) {
      readErrors.push({ sheet, row: 0, column: "", code: "MISSING_SHEET", params: { sheet } });
      continue;
    }
    fillSheet(wb, sheet, records, readErrors);
  }
  const settings = tables.get("settings");
  if (settings) wb.settings = optionalRows(settings, SETTINGS_COLUMNS) as SettingsRow[];
  const plans = tables.get("plans");
  if (plans) wb.plans = optionalRows(plans, PLANS_COLUMNS) as PlansRow[];
  if (readErrors.length) wb.readErrors = readErrors;
  return wb;
}

/** An optional sheet's rows (missing columns read as empty cells). */
function optionalRows(records: string[][], columns: readonly string[]): Record<string, string | number>[] {
  const header = (records[0] ?? []).map(normalizeName);
  const rows: Record<string, string | number>[] = [];
  for (let r = 1; r < records.length; r++) {
    const cells = records[r];
    if (cells.every((c) => c.trim() === "")) continue;
    const out: Record<string, string | number> = { row: r + 1 };
    for (const column of columns) {
      const i = header.indexOf(column);
      out[column] = i < 0 ? "" : (cells[i] ?? "").trim();
    }
    rows.push(out);
  }
  return rows;
}

function fillSheet(wb: SchoolWorkbook, sheet: SheetName, records: string[][], readErrors: ImportError[]): void {
  const header = (records[0] ?? []).map(normalizeName);
  const index = new Map<string, number>();
  header.forEach((h, i) => {
    if (h && !index.has(h)) index.set(h, i);
  });
  const columns = SHEETS[sheet] as readonly string[];
  for (const column of columns) {
    if (!index.has(column) && !OPTIONAL_COLUMNS.has(column)) {
      readErrors.push({ sheet, row: 1, column, code: "MISSING_COLUMN", params: { column } });
    }
  }
  const rows = wb[sheet] as Array<Record<string, string | number>>;
  for (let r = 1; r < records.length; r++) {
    const cells = records[r];
    if (cells.every((c) => c.trim() === "")) continue;
    const out: Record<string, string | number> = { row: r + 1 };
    for (const column of columns) {
      const i = index.get(column);
      out[column] = i === undefined ? "" : (cells[i] ?? "").trim();
    }
    rows.push(out);
  }
}
