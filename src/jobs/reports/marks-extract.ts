// The printable extract of a leaving student's marks (R-33, 000 §7.7). A pure renderer: translated labels and
// the core's extract in, an A4 PDF out (DejaVu for Cyrillic), no database.
import PDFDocument from "pdfkit";
import { INVITE_SHEET_FONTS } from "./invite-sheet.ts";

export interface MarksExtractSheet {
  title: string;
  /** Lines under the title: school, student, classes, leaving order. */
  header: string[];
  columns: { subject: string; marks: string; average: string; terms: string[] };
  rows: { subject: string; marks: string; average: string; terms: string[] }[];
  /** "No marks for the year." */
  empty: string;
  footer: string;
}

const MARGIN = 40;

export function renderMarksExtract(data: MarksExtractSheet): Promise<Buffer> {
  const doc = new PDFDocument({
    size: "A4",
    layout: "landscape",
    margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
    info: { Title: data.title, Creator: "Classbook" },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("data", (chunk: Buffer) => chunks.push(chunk));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  doc.registerFont("regular", INVITE_SHEET_FONTS.regular);
  doc.registerFont("bold", INVITE_SHEET_FONTS.bold);
  const width = doc.page.width - 2 * MARGIN;
  doc.font("bold").fontSize(14).text(data.title, { width });
  doc.moveDown(0.3).font("regular").fontSize(10);
  for (const line of data.header) doc.text(line, { width });
  doc.moveDown(0.6);

  const termW = 44;
  const avgW = 56;
  const subjW = 150;
  const marksW = width - subjW - avgW - termW * data.columns.terms.length;
  const cells = (r: MarksExtractSheet["rows"][number]) => [
    { text: r.subject, w: subjW },
    { text: r.marks, w: marksW },
    { text: r.average, w: avgW },
    ...r.terms.map((t) => ({ text: t, w: termW })),
  ];
  const drawRow = (r: MarksExtractSheet["rows"][number], font: string) => {
    doc.font(font).fontSize(9);
    const parts = cells(r);
    const h = Math.max(...parts.map((c) => doc.heightOfString(c.text || " ", { width: c.w - 6 }))) + 6;
    if (doc.y + h > doc.page.height - MARGIN) doc.addPage();
    const y = doc.y;
    let x = MARGIN;
    for (const c of parts) {
      doc.rect(x, y, c.w, h).lineWidth(0.5).strokeColor("#888").stroke();
      doc.fillColor("black").text(c.text, x + 3, y + 3, { width: c.w - 6 });
      x += c.w;
    }
    doc.x = MARGIN;
    doc.y = y + h;
  };
  drawRow(data.columns, "bold");
  for (const r of data.rows) drawRow(r, "regular");
  if (data.rows.length === 0) doc.moveDown(0.5).font("regular").fontSize(10).text(data.empty, MARGIN, doc.y);
  doc.moveDown(1.2).font("regular").fontSize(9).fillColor("#333").text(data.footer, MARGIN, doc.y, { width });
  doc.end();
  return done;
}
