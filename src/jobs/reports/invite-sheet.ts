// The printable invite sheet for a parents' meeting (R-08): one slip per family with the child's name, each
// invited person with their personal deep link, and a short instruction; dashed lines to cut the slips apart.
// A pure renderer: translated labels and links in, an A4 PDF out (DejaVu for Cyrillic), no database.
import { createRequire } from "node:module";
import PDFDocument from "pdfkit";

export interface InviteSheetPerson {
  /** The person's name as the sheet prints it. */
  name: string;
  /** Already translated: "mother", "student"… */
  role: string;
  /** https://t.me/<bot>?start=<code> */
  link: string;
}

export interface InviteSheetFamily {
  studentName: string;
  people: InviteSheetPerson[];
}

export interface InviteSheetData {
  /** "Invitations to the e-journal — 7B" */
  title: string;
  /** School name, date: a line under the title. */
  subtitle?: string;
  labels: {
    /** "Student" */
    student: string;
  };
  /** Printed on every slip; may hold line breaks. */
  instruction: string;
  families: InviteSheetFamily[];
}

const require = createRequire(import.meta.url);
const FONT_DIR = "dejavu-fonts-ttf/ttf";
export const INVITE_SHEET_FONTS = {
  regular: require.resolve(`${FONT_DIR}/DejaVuSans.ttf`),
  bold: require.resolve(`${FONT_DIR}/DejaVuSans-Bold.ttf`),
  mono: require.resolve(`${FONT_DIR}/DejaVuSansMono.ttf`),
};

const MARGIN = 42;

const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const GAP = 14;

/** Renders the sheet; resolves to the PDF bytes. */
export function renderInviteSheet(data: InviteSheetData): Promise<Buffer> {
  const doc = new PDFDocument({
    size: "A4",
    margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
    info: { Title: data.title, Creator: "Classbook" },
    bufferPages: false,
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("data", (chunk: Buffer) => chunks.push(chunk));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  doc.registerFont("regular", INVITE_SHEET_FONTS.regular);
  doc.registerFont("bold", INVITE_SHEET_FONTS.bold);
  doc.registerFont("mono", INVITE_SHEET_FONTS.mono);

  const width = doc.page.width - 2 * MARGIN;
  const bottom = () => doc.page.height - MARGIN;

  doc.font("bold").fontSize(15).text(data.title, { width });
  if (data.subtitle) doc.moveDown(0.2).font("regular").fontSize(10).fillColor("#555").text(data.subtitle, { width });
  doc.fillColor("black").moveDown(0.6);

  for (const family of data.families) {
    const height = slipHeight(doc, family, data, width);
    if (doc.y + height > bottom() && doc.y > MARGIN + 1) doc.addPage();
    drawSlip(doc, family, data, width);
  }
  doc.end();
  return done;
}

function slipHeight(doc: PDFKit.PDFDocument, family: InviteSheetFamily, data: InviteSheetData, width: number) {
  let h = GAP * 2;
  doc.font("bold").fontSize(12);
  h += doc.heightOfString(`${data.labels.student}: ${family.studentName}`, { width }) + 6;
  for (const p of family.people) {
    doc.font("regular").fontSize(10.5);
    h += doc.heightOfString(`${capitalised(p.role)}: ${p.name}`, { width }) + 2;
    doc.font("mono").fontSize(10);
    h += doc.heightOfString(p.link, { width: width - 12 }) + 6;
  }
  doc.font("regular").fontSize(9);
  h += doc.heightOfString(data.instruction, { width }) + 4;
  return h;
}

function drawSlip(doc: PDFKit.PDFDocument, family: InviteSheetFamily, data: InviteSheetData, width: number) {
  const left = MARGIN;
  doc.y += GAP;
  doc.font("bold").fontSize(12).text(`${data.labels.student}: ${family.studentName}`, left, doc.y, { width });
  doc.moveDown(0.3);
  for (const p of family.people) {
    doc
      .font("regular")
      .fontSize(10.5)
      .text(`${capitalised(p.role)}: ${p.name}`, left, doc.y, { width });
    doc.y += 2;
    doc
      .font("mono")
      .fontSize(10)
      .fillColor("#1a4d8f")
      .text(p.link, left + 12, doc.y, { width: width - 12, link: p.link, underline: false });
    doc.fillColor("black");
    doc.y += 6;
  }
  doc.font("regular").fontSize(9).fillColor("#333").text(data.instruction, left, doc.y, { width });
  doc.fillColor("black");
  doc.y += GAP;
  // the cut line
  doc
    .save()
    .moveTo(left, doc.y)
    .lineTo(left + width, doc.y)
    .dash(4, { space: 3 })
    .strokeColor("#999")
    .lineWidth(0.7)
    .stroke()
    .restore();
  doc.x = left;
}
