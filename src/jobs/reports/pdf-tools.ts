// Shared pdfkit pieces of the report renderers: a document with the DejaVu fonts (Cyrillic), a paginated table
// whose cells never overflow (text wraps up to a few lines, then is cut with «…»), and page numbers stamped at
// the end. Pure: no database, no translation.
import PDFDocument from "pdfkit";
import { INVITE_SHEET_FONTS } from "./invite-sheet.ts";

export const PDF_MARGIN = 30;

export type Layout = "portrait" | "landscape";

export function createPdf(title: string, layout: Layout): { doc: PDFKit.PDFDocument; done: Promise<Buffer> } {
  const doc = new PDFDocument({
    size: "A4",
    layout,
    margins: { top: PDF_MARGIN, bottom: PDF_MARGIN, left: PDF_MARGIN, right: PDF_MARGIN },
    info: { Title: title, Creator: "Classbook" },
    bufferPages: true,
    autoFirstPage: true,
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("data", (chunk: Buffer) => chunks.push(chunk));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  doc.registerFont("regular", INVITE_SHEET_FONTS.regular);
  doc.registerFont("bold", INVITE_SHEET_FONTS.bold);
  doc.font("regular");
  return { doc, done };
}

/** Stamps "label N / M" (the label may hold {n} and {total}) at the bottom of every page, then ends. */
export function finishPdf(doc: PDFKit.PDFDocument, pageLabel: string): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0; // writing inside the bottom margin must not open a new page
    const text = pageLabel.replace("{n}", String(i + 1)).replace("{total}", String(range.count));
    doc
      .font("regular")
      .fontSize(7.5)
      .fillColor("#444")
      .text(text, PDF_MARGIN, doc.page.height - bottom + 8, {
        width: doc.page.width - 2 * PDF_MARGIN,
        align: "right",
        lineBreak: false,
      });
    doc.page.margins.bottom = bottom;
  }
  doc.fillColor("black");
  doc.end();
}

export interface TableColumn {
  header: string;
  /** Width in points. */
  width: number;
  align?: "left" | "center" | "right";
  /** Header drawn turned by 90° (narrow columns with long names). */
  vertical?: boolean;
}

export interface TableStyle {
  fontSize: number;
  /** Lines a cell may take before it is cut with «…». */
  maxLines: number;
  padding: number;
  /** Header height for vertical headers. */
  headerHeight?: number;
}

export const DEFAULT_TABLE_STYLE: TableStyle = { fontSize: 8, maxLines: 3, padding: 2.5 };

function cellHeight(doc: PDFKit.PDFDocument, text: string, width: number, style: TableStyle): number {
  const lineHeight = doc.currentLineHeight(true);
  const h = text ? doc.heightOfString(text, { width: width - 2 * style.padding }) : lineHeight;
  return Math.min(h, lineHeight * style.maxLines) + 2 * style.padding;
}

function drawCell(
  doc: PDFKit.PDFDocument,
  text: string,
  x: number,
  y: number,
  width: number,
  height: number,
  align: "left" | "center" | "right",
  style: TableStyle,
) {
  doc.rect(x, y, width, height).lineWidth(0.5).strokeColor("#555").stroke();
  if (!text) return;
  doc.fillColor("black").text(text, x + style.padding, y + style.padding, {
    width: width - 2 * style.padding,
    height: height - 2 * style.padding,
    align,
    ellipsis: "…",
    lineBreak: true,
  });
}

function drawHeader(doc: PDFKit.PDFDocument, columns: TableColumn[], x0: number, style: TableStyle): void {
  doc.font("bold").fontSize(style.fontSize);
  const hasVertical = columns.some((c) => c.vertical);
  const flat = Math.max(...columns.filter((c) => !c.vertical).map((c) => cellHeight(doc, c.header, c.width, style)), 0);
  const height = hasVertical ? Math.max(style.headerHeight ?? 80, flat) : flat;
  let x = x0;
  const y = doc.y;
  for (const c of columns) {
    doc.rect(x, y, c.width, height).fillAndStroke("#e8e8e8", "#555");
    doc.fillColor("black");
    if (c.vertical) {
      doc.save();
      doc.rotate(-90, { origin: [x, y + height] });
      doc.text(c.header, x + style.padding, y + height + (c.width - doc.currentLineHeight()) / 2, {
        width: height - 2 * style.padding,
        height: c.width,
        ellipsis: "…",
        lineBreak: false,
      });
      doc.restore();
    } else {
      doc.text(c.header, x + style.padding, y + style.padding, {
        width: c.width - 2 * style.padding,
        height: height - 2 * style.padding,
        align: c.align ?? "left",
        ellipsis: "…",
      });
    }
    x += c.width;
  }
  doc.y = y + height;
  doc.font("regular").fontSize(style.fontSize);
}

/**
 * Draws a table from the current y, starting new pages (with the header repeated) as rows run out of room.
 * `onNewPage` draws what sits above the table on a continuation page (e.g. the title).
 */
export function drawTable(
  doc: PDFKit.PDFDocument,
  columns: TableColumn[],
  rows: string[][],
  opts: { style?: TableStyle; x?: number; onNewPage?: () => void; layout?: Layout; header?: boolean } = {},
): void {
  const style = opts.style ?? DEFAULT_TABLE_STYLE;
  const x0 = opts.x ?? PDF_MARGIN;
  const bottom = () => doc.page.height - doc.page.margins.bottom - 6;
  const header = opts.header ?? true;
  if (header) drawHeader(doc, columns, x0, style);
  for (const row of rows) {
    doc.font("regular").fontSize(style.fontSize);
    const height = Math.max(...columns.map((c, i) => cellHeight(doc, row[i] ?? "", c.width, style)));
    if (doc.y + height > bottom()) {
      doc.addPage({
        size: "A4",
        margins: doc.page.margins,
        layout: opts.layout ?? (doc.page.width > doc.page.height ? "landscape" : "portrait"),
      });
      opts.onNewPage?.();
      if (header) drawHeader(doc, columns, x0, style);
      doc.font("regular").fontSize(style.fontSize);
    }
    let x = x0;
    const y = doc.y;
    columns.forEach((c, i) => {
      drawCell(doc, row[i] ?? "", x, y, c.width, height, c.align ?? "left", style);
      x += c.width;
    });
    doc.y = y + height;
  }
  doc.x = x0;
}

/** Scales relative widths to the page width between the margins. */
export function fitWidths(doc: PDFKit.PDFDocument, relative: number[]): number[] {
  const total = relative.reduce((a, b) => a + b, 0);
  const width = doc.page.width - 2 * PDF_MARGIN;
  return relative.map((w) => (w / total) * width);
}
