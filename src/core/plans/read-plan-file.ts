// Reads a thematic plan file (XLSX: the first sheet, or CSV) into rows of order, topic and hours. Headers in
// English or Russian (order/№/номер, topic/тема, hours/часы); nothing is validated here (loadThematicPlan does).
import ExcelJS from "exceljs";
import { AppError } from "../errors.ts";
import { parseCsv } from "../import/csv.ts";
import { cellText } from "../import/read-source.ts";
import type { PlanRowInput } from "./load-thematic-plan.ts";

const HEADERS: Record<string, "order" | "topic" | "hours"> = {
  order: "order",
  "№": "order",
  номер: "order",
  n: "order",
  topic: "topic",
  тема: "topic",
  hours: "hours",
  часы: "hours",
  часов: "hours",
  "кол-во_часов": "hours",
};

function toRows(records: string[][]): PlanRowInput[] {
  const header = (records[0] ?? []).map((h) => HEADERS[h.trim().toLowerCase().replace(/\s+/g, "_")]);
  if (!header.includes("order") || !header.includes("topic")) {
    throw new AppError("VALIDATION", { errors: [{ row: 1, column: "", code: "MISSING_COLUMN" }] });
  }
  const rows: PlanRowInput[] = [];
  for (let r = 1; r < records.length; r++) {
    const cells = records[r];
    if (cells.every((c) => c.trim() === "")) continue;
    const get = (col: "order" | "topic" | "hours") => {
      const i = header.indexOf(col);
      return i < 0 ? "" : (cells[i] ?? "").trim();
    };
    rows.push({ row: r + 1, order: get("order"), topic: get("topic"), hours: get("hours") });
  }
  return rows;
}

export async function readPlanFile(bytes: Buffer, filename: string): Promise<PlanRowInput[]> {
  if (/\.csv$/i.test(filename)) return toRows(parseCsv(bytes.toString("utf8")));
  if (!/\.xlsx$/i.test(filename)) {
    throw new AppError("VALIDATION", { errors: [{ row: 0, column: "", code: "UNSUPPORTED_FILE" }] });
  }
  const book = new ExcelJS.Workbook();
  try {
    await book.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw new AppError("VALIDATION", { errors: [{ row: 0, column: "", code: "UNSUPPORTED_FILE" }] });
  }
  const ws = book.worksheets[0];
  const records: string[][] = [];
  if (ws) {
    for (let r = 1; r <= ws.rowCount; r++) {
      const row = ws.getRow(r);
      const cells: string[] = [];
      for (let c = 1; c <= Math.max(ws.columnCount, row.cellCount); c++) cells.push(cellText(row.getCell(c).value));
      records.push(cells);
    }
  }
  return toRows(records);
}
