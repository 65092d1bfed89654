// journal.xlsx: the same data as journal.json, one sheet per kind, for a person with a spreadsheet. Column
// headers are the JSON field names (the archive is a record, not a screen; the printed journal is the PDF).
import ExcelJS from "exceljs";
import type { ArchiveProducer } from "./producer.ts";

type Row = Record<string, unknown>;

function addSheet(book: ExcelJS.Workbook, name: string, rows: Row[], columns: string[]): void {
  const sheet = book.addWorksheet(name);
  sheet.columns = columns.map((key) => ({ header: key, key, width: key === "text" || key === "topic" ? 50 : 14 }));
  for (const r of rows) {
    sheet.addRow(
      Object.fromEntries(columns.map((c) => [c, Array.isArray(r[c]) ? (r[c] as unknown[]).join(", ") : r[c]])),
    );
  }
  sheet.views = [{ state: "frozen", ySplit: 1 }];
}

export const journalXlsxProducer: ArchiveProducer = {
  name: "journal.xlsx",
  retention: "journal",
  async produce(ctx) {
    const j = await ctx.journal();
    const book = new ExcelJS.Workbook();
    book.creator = "Classbook";
    // Fixed, so that the same journal gives the same file.
    book.created = new Date(j.scope.closedAt);
    book.modified = book.created;
    const cols = (rows: Row[], fallback: string[]) => (rows[0] ? Object.keys(rows[0]) : fallback);
    addSheet(book, "students", j.students, cols(j.students, ["id", "name", "classes"]));
    addSheet(book, "lessons", j.lessons, cols(j.lessons, ["id"]));
    addSheet(book, "homework", j.homework, cols(j.homework, ["id"]));
    addSheet(book, "marks", j.marks, cols(j.marks, ["id"]));
    addSheet(book, "attendance", j.attendance, cols(j.attendance, ["id"]));
    addSheet(book, "term-marks", j.termMarks, cols(j.termMarks, ["id"]));
    return Buffer.from(await book.xlsx.writeBuffer());
  },
};
