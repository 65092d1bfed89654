// R-29 the printed class journal (001 §5.2, §5.3) as an A4 PDF: a title page (portrait) with the contents and the
// number of sheets; per subject or subgroup the students × lesson dates with marks, the absence letter and the term mark
// (landscape; more dates than fit → more sheets), then its lessons' topics and homework; the summary sheet of
// term marks with the director's and the class teacher's signature lines. Every row has a fixed height and cut
// text, so the plan of sheets is known before drawing and the title page can list it. Pure: data in, bytes out.
import type { PrintedJournal, PrintedSubject } from "../../core/reports/printed-journal.ts";
import { createPdf, finishPdf, PDF_MARGIN } from "./pdf-tools.ts";

export interface PrintedJournalLabels {
  journal: string; // "CLASS JOURNAL"
  classLine: string; // "of class 5A"
  yearLine: string; // "school year 2025/2026"
  periodLine: string; // "Term I (01.09.2025 – 26.10.2025)"
  classTeacher: string; // "Class teacher"
  contents: string;
  section: string;
  teacher: string;
  sheets: string;
  marksPart: string; // "marks"
  topicsPart: string; // "topics and homework"
  summary: string; // "Summary of term marks"
  totalSheets: string; // "Sheets in all: {n}"
  no: string;
  student: string;
  termMark: string; // "Term"
  date: string;
  topic: string;
  homework: string;
  subgroup: string; // "group {n}"
  director: string; // "Headteacher"
  signature: string; // "signature"
  stamp: string; // "seal"
  page: string; // "Sheet {n} of {total}"
  noLessons: string;
}

const LAND = { w: 842, h: 595 };
const PORT = { w: 595, h: 842 };
const ROW = 14;
const TOPIC_ROW = 24;
const DATE_COL = 22;
const NO_COL = 20;
const NAME_COL = 150;
const TERM_COL = 36;
const BAND = 44; // the title band above a table
const DATE_HEADER = 34;
const FOOTER = 14;

const usableHeight = LAND.h - 2 * PDF_MARGIN - FOOTER;
const usableWidth = LAND.w - 2 * PDF_MARGIN;
export const STUDENTS_PER_PAGE = Math.floor((usableHeight - BAND - DATE_HEADER) / ROW);
export const DATES_PER_PAGE = Math.floor((usableWidth - NO_COL - NAME_COL - TERM_COL) / DATE_COL);
export const TOPICS_PER_PAGE = Math.floor((usableHeight - BAND - ROW) / TOPIC_ROW);
const SIGNATURES = 90;
const SUMMARY_HEADER = 100;
export const SUMMARY_ROWS_PER_PAGE = Math.floor((usableHeight - BAND - SUMMARY_HEADER) / ROW);

type Page =
  | { kind: "title" }
  | { kind: "marks"; subject: number; rows: [number, number]; dates: [number, number]; last: boolean }
  | { kind: "topics"; subject: number; lessons: [number, number] }
  | { kind: "summary"; rows: [number, number]; signatures: boolean };

function chunks(total: number, size: number): [number, number][] {
  if (total === 0) return [[0, 0]];
  const out: [number, number][] = [];
  for (let i = 0; i < total; i += size) out.push([i, Math.min(total, i + size)]);
  return out;
}

/** The sheets of the journal in order (exported for the page-count test). */
export function planJournal(j: PrintedJournal): Page[] {
  const pages: Page[] = [{ kind: "title" }];
  j.subjects.forEach((s, subject) => {
    const dateChunks = chunks(s.lessons.length, DATES_PER_PAGE);
    for (const rows of chunks(s.students.length, STUDENTS_PER_PAGE)) {
      dateChunks.forEach((dates, i) => {
        pages.push({ kind: "marks", subject, rows, dates, last: i === dateChunks.length - 1 });
      });
    }
    if (s.lessons.length > 0) {
      for (const lessons of chunks(s.lessons.length, TOPICS_PER_PAGE)) pages.push({ kind: "topics", subject, lessons });
    }
  });
  const rowChunks = chunks(j.students.length, SUMMARY_ROWS_PER_PAGE);
  rowChunks.forEach((rows, i) => {
    const last = i === rowChunks.length - 1;
    const used = BAND + SUMMARY_HEADER + (rows[1] - rows[0]) * ROW;
    const fits = used + SIGNATURES <= usableHeight;
    pages.push({ kind: "summary", rows, signatures: last && fits });
    if (last && !fits) pages.push({ kind: "summary", rows: [rows[1], rows[1]], signatures: true });
  });
  return pages;
}

const ddmm = (iso: string) => `${iso.slice(8, 10)}.${iso.slice(5, 7)}`;
const ddmmyyyy = (iso: string) => `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}`;
const fill = (s: string, params: Record<string, string | number>) =>
  s.replace(/\{(\w+)\}/g, (_, k) => String(params[k] ?? ""));

function subjectTitle(s: PrintedSubject, l: PrintedJournalLabels): string {
  return s.subgroup === null ? s.subjectName : `${s.subjectName} (${fill(l.subgroup, { n: s.subgroup })})`;
}

export function renderPrintedJournal(j: PrintedJournal, l: PrintedJournalLabels): Promise<Buffer> {
  const plan = planJournal(j);
  const { doc, done } = createPdf(`${l.journal} ${j.className}`, "portrait");
  const cell = (
    text: string,
    x: number,
    y: number,
    w: number,
    h: number,
    opts: { align?: "left" | "center" | "right"; bold?: boolean; size?: number; fillColor?: string } = {},
  ) => {
    if (opts.fillColor) doc.rect(x, y, w, h).fillAndStroke(opts.fillColor, "#333");
    else doc.rect(x, y, w, h).lineWidth(0.5).strokeColor("#333").stroke();
    if (!text) return;
    const size = opts.size ?? 8;
    doc
      .fillColor("black")
      .font(opts.bold ? "bold" : "regular")
      .fontSize(size);
    const lineH = doc.currentLineHeight();
    const lines = Math.max(1, Math.floor((h - 3) / lineH));
    const top = lines === 1 ? y + (h - lineH) / 2 : y + 2;
    doc.text(text, x + 2, top, {
      width: w - 4,
      height: lines * lineH + 0.5,
      align: opts.align ?? "left",
      ellipsis: "…",
    });
  };
  const vertical = (text: string, x: number, y: number, w: number, h: number, size = 7) => {
    doc.rect(x, y, w, h).fillAndStroke("#eeeeee", "#333").fillColor("black");
    doc.font("regular").fontSize(size);
    doc.save();
    doc.rotate(-90, { origin: [x, y + h] });
    doc.text(text, x + 3, y + h + (w - doc.currentLineHeight()) / 2, {
      width: h - 6,
      height: w,
      lineBreak: false,
      ellipsis: "…",
    });
    doc.restore();
  };
  const band = (title: string, sub: string) => {
    doc
      .font("bold")
      .fontSize(11)
      .fillColor("black")
      .text(title, PDF_MARGIN, PDF_MARGIN, { width: usableWidth, height: 16, ellipsis: "…" });
    doc
      .font("regular")
      .fontSize(8.5)
      .fillColor("#333")
      .text(sub, PDF_MARGIN, PDF_MARGIN + 17, { width: usableWidth, height: 12, ellipsis: "…" });
    doc.fillColor("black");
  };
  const classLine = `${j.className}, ${l.periodLine}`;

  // where each subject's sheets are, for the contents
  const sheetsOf = new Map<number, { marks: number[]; topics: number[] }>();
  const summarySheets: number[] = [];
  plan.forEach((p, i) => {
    if (p.kind === "marks" || p.kind === "topics") {
      const s = sheetsOf.get(p.subject) ?? { marks: [], topics: [] };
      (p.kind === "marks" ? s.marks : s.topics).push(i + 1);
      sheetsOf.set(p.subject, s);
    } else if (p.kind === "summary") summarySheets.push(i + 1);
  });
  const range = (pages: number[]) =>
    pages.length === 0 ? "—" : pages.length === 1 ? String(pages[0]) : `${pages[0]}–${pages.at(-1)}`;

  plan.forEach((p, index) => {
    if (index > 0) doc.addPage({ size: "A4", layout: "landscape", margins: doc.page.margins });
    if (p.kind === "title") {
      const w = PORT.w - 2 * PDF_MARGIN;
      let y = 70;
      doc.font("regular").fontSize(11).text(j.schoolName, PDF_MARGIN, y, { width: w, align: "center" });
      y += 60;
      doc.font("bold").fontSize(24).text(l.journal, PDF_MARGIN, y, { width: w, align: "center" });
      y += 40;
      doc.font("bold").fontSize(15).text(l.classLine, PDF_MARGIN, y, { width: w, align: "center" });
      y += 24;
      doc.font("regular").fontSize(12).text(l.yearLine, PDF_MARGIN, y, { width: w, align: "center" });
      y += 18;
      doc.text(l.periodLine, PDF_MARGIN, y, { width: w, align: "center" });
      y += 30;
      doc.fontSize(11).text(`${l.classTeacher}: ${j.classTeacher ?? "________________"}`, PDF_MARGIN, y, {
        width: w,
        align: "center",
      });
      y += 40;
      doc.font("bold").fontSize(12).text(l.contents, PDF_MARGIN, y, { width: w });
      y += 20;
      const cols = [w * 0.4, w * 0.28, w * 0.32];
      const head = [l.section, l.teacher, l.sheets];
      let x = PDF_MARGIN;
      head.forEach((h, i) => {
        cell(h, x, y, cols[i], ROW + 2, { bold: true, fillColor: "#eeeeee" });
        x += cols[i];
      });
      y += ROW + 2;
      const rows: string[][] = j.subjects.map((s, i) => {
        const sheets = sheetsOf.get(i) ?? { marks: [], topics: [] };
        return [
          subjectTitle(s, l),
          s.teacher,
          `${l.marksPart}: ${range(sheets.marks)}; ${l.topicsPart}: ${range(sheets.topics)}`,
        ];
      });
      rows.push([l.summary, "", range(summarySheets)]);
      const rowH = Math.min(ROW + 2, (PORT.h - 2 * PDF_MARGIN - FOOTER - 40 - y) / Math.max(rows.length, 1));
      for (const r of rows) {
        x = PDF_MARGIN;
        r.forEach((text, i) => {
          cell(text, x, y, cols[i], rowH, { size: rowH < 12 ? 6.5 : 8 });
          x += cols[i];
        });
        y += rowH;
      }
      y += 14;
      doc
        .font("bold")
        .fontSize(11)
        .text(fill(l.totalSheets, { n: plan.length }), PDF_MARGIN, y, { width: w });
      return;
    }
    if (p.kind === "marks") {
      const s = j.subjects[p.subject];
      band(`${subjectTitle(s, l)} — ${s.teacher}`, classLine);
      const lessons = s.lessons.slice(p.dates[0], p.dates[1]);
      let y = PDF_MARGIN + BAND;
      let x = PDF_MARGIN;
      cell(l.no, x, y, NO_COL, DATE_HEADER, { bold: true, fillColor: "#eeeeee", align: "center", size: 7 });
      x += NO_COL;
      cell(l.student, x, y, NAME_COL, DATE_HEADER, { bold: true, fillColor: "#eeeeee" });
      x += NAME_COL;
      for (const lesson of lessons) {
        vertical(ddmm(lesson.date), x, y, DATE_COL, DATE_HEADER);
        x += DATE_COL;
      }
      if (lessons.length === 0) {
        cell(l.noLessons, x, y, DATE_COL * 8, DATE_HEADER, { size: 7 });
        x += DATE_COL * 8;
      }
      if (p.last) vertical(l.termMark, x, y, TERM_COL, DATE_HEADER);
      y += DATE_HEADER;
      for (let r = p.rows[0]; r < p.rows[1]; r++) {
        const st = s.students[r];
        x = PDF_MARGIN;
        cell(String(st.no), x, y, NO_COL, ROW, { align: "center", size: 7.5 });
        x += NO_COL;
        cell(st.label, x, y, NAME_COL, ROW, { size: 7.5 });
        x += NAME_COL;
        for (let c = p.dates[0]; c < p.dates[1]; c++) {
          cell(s.cells[r][c], x, y, DATE_COL, ROW, { align: "center", size: s.cells[r][c].length > 3 ? 5.5 : 7.5 });
          x += DATE_COL;
        }
        if (lessons.length === 0) {
          cell("", x, y, DATE_COL * 8, ROW);
          x += DATE_COL * 8;
        }
        if (p.last) cell(s.termMarks[r], x, y, TERM_COL, ROW, { align: "center", bold: true, size: 8 });
        y += ROW;
      }
      return;
    }
    if (p.kind === "topics") {
      const s = j.subjects[p.subject];
      band(`${subjectTitle(s, l)} — ${l.topicsPart}`, `${classLine}. ${s.teacher}`);
      const cols = [NO_COL + 4, 52, (usableWidth - NO_COL - 56) * 0.55, (usableWidth - NO_COL - 56) * 0.45];
      let y = PDF_MARGIN + BAND;
      let x = PDF_MARGIN;
      [l.no, l.date, l.topic, l.homework].forEach((h, i) => {
        cell(h, x, y, cols[i], ROW, { bold: true, fillColor: "#eeeeee", size: 7.5 });
        x += cols[i];
      });
      y += ROW;
      for (let i = p.lessons[0]; i < p.lessons[1]; i++) {
        const lesson = s.lessons[i];
        x = PDF_MARGIN;
        [String(i + 1), ddmmyyyy(lesson.date), lesson.topic, lesson.homework].forEach((text, c) => {
          cell(text, x, y, cols[c], TOPIC_ROW, { size: 7.5, align: c < 2 ? "center" : "left" });
          x += cols[c];
        });
        y += TOPIC_ROW;
      }
      return;
    }
    // the summary sheet
    band(l.summary, classLine);
    const n = Math.max(j.summary.subjects.length, 1);
    const subjectCol = Math.min(40, (usableWidth - NO_COL - NAME_COL) / n);
    let y = PDF_MARGIN + BAND;
    if (p.rows[1] > p.rows[0]) {
      const headH = SUMMARY_HEADER;
      let x = PDF_MARGIN;
      cell(l.no, x, y, NO_COL, headH, { bold: true, fillColor: "#eeeeee", align: "center", size: 7 });
      x += NO_COL;
      cell(l.student, x, y, NAME_COL, headH, { bold: true, fillColor: "#eeeeee" });
      x += NAME_COL;
      for (const name of j.summary.subjects) {
        vertical(name, x, y, subjectCol, headH);
        x += subjectCol;
      }
      y += headH;
      for (let r = p.rows[0]; r < p.rows[1]; r++) {
        x = PDF_MARGIN;
        cell(String(j.students[r].no), x, y, NO_COL, ROW, { align: "center", size: 7.5 });
        x += NO_COL;
        cell(j.students[r].label, x, y, NAME_COL, ROW, { size: 7.5 });
        x += NAME_COL;
        for (const mark of j.summary.marks[r]) {
          cell(mark, x, y, subjectCol, ROW, { align: "center", bold: true, size: mark.length > 3 ? 6 : 8 });
          x += subjectCol;
        }
        y += ROW;
      }
    }
    if (p.signatures) {
      y += 28;
      const line = (role: string, name: string | null) => {
        doc.font("regular").fontSize(10).fillColor("black");
        doc.text(role, PDF_MARGIN, y, { width: 200, lineBreak: false });
        doc
          .moveTo(PDF_MARGIN + 210, y + 11)
          .lineTo(PDF_MARGIN + 380, y + 11)
          .lineWidth(0.6)
          .strokeColor("black")
          .stroke();
        doc
          .fontSize(6.5)
          .fillColor("#444")
          .text(l.signature, PDF_MARGIN + 210, y + 13, { width: 170, align: "center", lineBreak: false });
        doc
          .fontSize(10)
          .fillColor("black")
          .text(`/ ${name ?? "________________"} /`, PDF_MARGIN + 390, y, { width: 250, lineBreak: false });
        y += 30;
      };
      line(l.director, j.director);
      line(l.classTeacher, j.classTeacher);
      doc
        .font("regular")
        .fontSize(10)
        .text(l.stamp, PDF_MARGIN + 650, y - 45, { width: 80, lineBreak: false });
    }
  });
  finishPdf(doc, l.page);
  return done;
}
