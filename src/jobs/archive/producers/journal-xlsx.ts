// journal.xlsx: the same data as journal.json, one sheet per kind, for a person with a spreadsheet. Column
// headers are the JSON field names (the archive is a record, not a screen; the printed journal is the PDF).
// Written with exceljs' streaming writer, row by row: a quarter of a large school is some 100,000 rows.
import { PassThrough } from "node:stream";
import ExcelJS from "exceljs";
import type { ArchiveProducer } from "./producer.ts";

type Row = Record<string, unknown>;

function addSheet(book: ExcelJS.stream.xlsx.WorkbookWriter, name: string, rows: Row[], fallback: string[]): void {
  const columns = rows[0] ? Object.keys(rows[0]) : fallback;
  const sheet = book.addWorksheet(name, { views: [{ state: "frozen", ySplit: 1 }] });
  sheet.columns = columns.map((key) => ({ header: key, key, width: key === "text" || key === "topic" ? 50 : 14 }));
  for (const r of rows) {
    sheet.addRow(columns.map((c) => (Array.isArray(r[c]) ? (r[c] as unknown[]).join(", ") : r[c]))).commit();
  }
  sheet.commit();
}

export const journalXlsxProducer: ArchiveProducer = {
  name: "journal.xlsx",
  retention: "journal",
  async produce(ctx) {
    const j = await ctx.journal();
    const stream = new PassThrough();
    const chunks: Buffer[] = [];
    stream.on("data", (c: Buffer) => chunks.push(c));
    const ended = new Promise<void>((resolve, reject) => {
      stream.on("end", resolve);
      stream.on("error", reject);
    });
    const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useSharedStrings: false, useStyles: false });
    book.creator = "Classbook";
    book.created = new Date(j.scope.closedAt);
    book.modified = book.created;
    addSheet(book, "students", j.students, ["id", "name", "classes"]);
    addSheet(book, "lessons", j.lessons, ["id"]);
    addSheet(book, "homework", j.homework, ["id"]);
    addSheet(book, "marks", j.marks, ["id"]);
    addSheet(book, "attendance", j.attendance, ["id"]);
    addSheet(book, "term-marks", j.termMarks, ["id"]);
    await book.commit();
    await ended;
    return Buffer.concat(chunks);
  },
};
