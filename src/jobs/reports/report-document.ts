// A report as a neutral document — title, summary lines and tables of strings and numbers — and its two pure
// renderers: XLSX (exceljs: a sheet per table, numbers as numbers, frozen header) and PDF (pdfkit, DejaVu,
// landscape when a table is wide, cells that never overflow, page numbers). Labels arrive translated.
import ExcelJS from "exceljs";
import {
  createPdf,
  DEFAULT_TABLE_STYLE,
  drawTable,
  finishPdf,
  fitWidths,
  PDF_MARGIN,
  type TableColumn,
} from "./pdf-tools.ts";

export type Cell = string | number | null;

export interface DocTable {
  title: string;
  /** Sheet name in the workbook (≤ 31 chars, no []:*?/\). */
  sheet: string;
  columns: { header: string; width: number; numeric?: boolean }[];
  rows: Cell[][];
  /** Shown instead of an empty table. */
  empty?: string;
}

export interface ReportDocument {
  title: string;
  subtitle: string;
  summary: [string, Cell][];
  tables: DocTable[];
  /** "Page {n} of {total}" */
  pageLabel: string;
  summarySheet: string;
}

const cellText = (v: Cell) => (v === null ? "—" : typeof v === "number" ? String(v).replace(".", ",") : v);

/** The printable width (in "characters") above which a table goes landscape. */
const PORTRAIT_CHARS = 95;

export function renderReportPdf(data: ReportDocument): Promise<Buffer> {
  const wide = data.tables.some((t) => t.columns.reduce((n, c) => n + c.width, 0) > PORTRAIT_CHARS);
  const layout = wide ? "landscape" : "portrait";
  const { doc, done } = createPdf(data.title, layout);
  doc
    .font("bold")
    .fontSize(14)
    .text(data.title, PDF_MARGIN, PDF_MARGIN, { width: doc.page.width - 2 * PDF_MARGIN });
  doc.font("regular").fontSize(9.5).fillColor("#444").text(data.subtitle).fillColor("black").moveDown(0.6);
  const summaryWidths = fitWidths(doc, [3, 1]);
  drawTable(
    doc,
    [
      { header: "", width: summaryWidths[0] },
      { header: "", width: summaryWidths[1], align: "right" },
    ],
    data.summary.map(([k, v]) => [k, cellText(v)]),
    { style: { ...DEFAULT_TABLE_STYLE, fontSize: 9 }, header: false },
  );
  for (const table of data.tables) {
    doc.moveDown(0.8);
    if (doc.y > doc.page.height - 120) doc.addPage({ size: "A4", layout, margins: doc.page.margins });
    doc
      .font("bold")
      .fontSize(11)
      .text(table.title, PDF_MARGIN, doc.y, { width: doc.page.width - 2 * PDF_MARGIN });
    doc.moveDown(0.3);
    if (table.rows.length === 0) {
      doc
        .font("regular")
        .fontSize(9)
        .text(table.empty ?? "—", PDF_MARGIN);
      continue;
    }
    const widths = fitWidths(
      doc,
      table.columns.map((c) => c.width),
    );
    const columns: TableColumn[] = table.columns.map((c, i) => ({
      header: c.header,
      width: widths[i],
      align: c.numeric ? "right" : "left",
    }));
    drawTable(
      doc,
      columns,
      table.rows.map((r) => r.map(cellText)),
      { layout },
    );
  }
  finishPdf(doc, data.pageLabel);
  return done;
}

export async function renderReportXlsx(data: ReportDocument): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "Classbook";
  const summary = wb.addWorksheet(data.summarySheet);
  summary.addRow([data.title]).font = { bold: true, size: 13 };
  summary.addRow([data.subtitle]);
  summary.addRow([]);
  for (const [k, v] of data.summary) summary.addRow([k, v ?? "—"]);
  summary.getColumn(1).width = 60;
  summary.getColumn(2).width = 16;
  const used = new Set([data.summarySheet]);
  for (const table of data.tables) {
    let name = table.sheet.replace(/[[\]:*?/\\]/g, " ").slice(0, 31);
    for (let i = 2; used.has(name); i++) name = `${table.sheet.slice(0, 28)} ${i}`;
    used.add(name);
    const ws = wb.addWorksheet(name, { views: [{ state: "frozen", ySplit: 1 }] });
    const header = ws.addRow(table.columns.map((c) => c.header));
    header.font = { bold: true };
    header.alignment = { wrapText: true, vertical: "middle" };
    table.columns.forEach((c, i) => {
      ws.getColumn(i + 1).width = Math.max(6, Math.min(60, c.width * 1.1));
    });
    for (const row of table.rows) ws.addRow(row.map((v) => (v === null ? "" : v)));
    if (table.rows.length > 0)
      ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: table.columns.length } };
  }
  const out = await wb.xlsx.writeBuffer();
  return Buffer.from(out as ArrayBuffer);
}
