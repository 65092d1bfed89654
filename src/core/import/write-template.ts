// Writes the import template: one XLSX sheet per import sheet, its header and one example row. Every column is
// formatted as text so spreadsheets keep dates and times as typed.
import ExcelJS from "exceljs";
import { templateExample } from "../demo/template-example.ts";
import { PLANS_COLUMNS, type SchoolWorkbook, SETTINGS_COLUMNS, SHEET_NAMES, SHEETS } from "./sheets.ts";

/** Writes a workbook (the template by default) as XLSX. */
export async function writeWorkbookXlsx(file: string, wb: SchoolWorkbook): Promise<void> {
  const book = new ExcelJS.Workbook();
  for (const sheet of SHEET_NAMES) {
    const columns = SHEETS[sheet] as readonly string[];
    const ws = book.addWorksheet(sheet);
    ws.columns = columns.map((c) => ({ header: c, key: c, width: Math.max(12, c.length + 4), style: { numFmt: "@" } }));
    ws.getRow(1).font = { bold: true };
    for (const row of wb[sheet] as Array<Record<string, string | number>>) {
      ws.addRow(columns.map((c) => String(row[c] ?? "")));
    }
  }
  if (wb.settings) {
    const ws = book.addWorksheet("settings");
    ws.columns = SETTINGS_COLUMNS.map((c) => ({ header: c, key: c, width: 24, style: { numFmt: "@" } }));
    ws.getRow(1).font = { bold: true };
    for (const row of wb.settings) ws.addRow(SETTINGS_COLUMNS.map((c) => row[c]));
  }
  if (wb.plans) {
    const ws = book.addWorksheet("plans");
    ws.columns = PLANS_COLUMNS.map((c) => ({ header: c, key: c, width: 20, style: { numFmt: "@" } }));
    ws.getRow(1).font = { bold: true };
    for (const row of wb.plans) ws.addRow(PLANS_COLUMNS.map((c) => row[c]));
  }
  await book.xlsx.writeFile(file);
}

export async function writeTemplate(file: string, today: Date = new Date()): Promise<void> {
  const startYear = today.getUTCMonth() >= 7 ? today.getUTCFullYear() : today.getUTCFullYear() - 1;
  await writeWorkbookXlsx(file, templateExample(startYear));
}
