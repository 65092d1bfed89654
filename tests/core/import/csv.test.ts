import { mkdir, mkdtemp, rm, unlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCsv } from "../../../src/core/import/csv.ts";
import { parseClassName, parseSubgroups, parseWeekday } from "../../../src/core/import/fields.ts";
import { importSchool } from "../../../src/core/import/import-school.ts";
import { readSchoolSource } from "../../../src/core/import/read-source.ts";
import { type SchoolWorkbook, SHEETS, type SheetName } from "../../../src/core/import/sheets.ts";
import { createTestDb, type TestDb } from "../../helpers/db.ts";
import { smallWorkbook } from "./fixtures.ts";

let db: TestDb;
let dir: string;
beforeAll(async () => {
  db = await createTestDb();
  dir = await mkdtemp(path.join(os.tmpdir(), "cb-csv-"));
});
afterAll(async () => {
  await db.drop();
  await rm(dir, { recursive: true, force: true });
});

const quote = (v: string) => (/[;,"\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

/** Writes the workbook as one CSV per sheet; odd sheets with ";" and a BOM, as Russian Excel saves them. */
async function writeCsvFolder(wb: SchoolWorkbook, folder: string): Promise<void> {
  let i = 0;
  for (const sheet of Object.keys(SHEETS) as SheetName[]) {
    const sep = i++ % 2 ? ";" : ",";
    const cols = SHEETS[sheet] as readonly string[];
    const lines = [cols.join(sep)];
    for (const row of wb[sheet] as Array<Record<string, string>>) lines.push(cols.map((c) => quote(row[c])).join(sep));
    await writeFile(path.join(folder, `${sheet}.csv`), `${sep === ";" ? "\uFEFF" : ""}${lines.join("\r\n")}\r\n`);
  }
}

describe("CSV folder import", () => {
  it("reads a folder of comma and semicolon CSV files and imports it", async () => {
    const folder = path.join(dir, "school");
    await mkdir(folder);
    await writeCsvFolder(smallWorkbook(), folder);
    const wb = await readSchoolSource(folder);
    expect(wb.readErrors).toBeUndefined();
    expect(wb.students[0]).toMatchObject({ row: 2, id: "S1", subgroups: "Английский язык:1" });
    expect(wb.assignments[2].hours_per_week).toBe("1,5");
    const res = await importSchool(db.prisma, wb, { effectiveDate: "2026-09-01" });
    expect(res.counts.students.created).toBe(3);
    expect(res.counts.timetable.created).toBe(4);
    const hours = await db.prisma.teachingAssignment.findMany({ where: { subgroupId: { not: null } } });
    expect(hours.map((a) => a.hoursPerWeek.toNumber())).toEqual([1.5, 1.5]);
  });

  it("reports a missing sheet file and a missing column", async () => {
    const folder = path.join(dir, "broken");
    await mkdir(folder);
    await writeCsvFolder(smallWorkbook(), folder);
    await unlink(path.join(folder, "bells.csv"));
    await writeFile(path.join(folder, "subjects.csv"), "title,short\nАлгебра,Алг.\n");
    const wb = await readSchoolSource(folder);
    expect(wb.readErrors).toEqual([
      { sheet: "bells", row: 0, column: "", code: "MISSING_SHEET", params: { sheet: "bells" } },
      { sheet: "subjects", row: 1, column: "name", code: "MISSING_COLUMN", params: { column: "name" } },
    ]);
  });
});

describe("parsers", () => {
  it.each([
    [
      "a,b,c\n1,2,3",
      [
        ["a", "b", "c"],
        ["1", "2", "3"],
      ],
    ],
    [
      'a;b\r\n"x;y";"he said ""hi"""\r\n',
      [
        ["a", "b"],
        ["x;y", 'he said "hi"'],
      ],
    ],
    ['\uFEFFa,b\n"multi\nline",2\n\n3,4', [["a", "b"], ["multi\nline", "2"], [], ["3", "4"]]],
  ])("parseCsv %j", (text, expected) => {
    expect(parseCsv(text)).toEqual(expected);
  });

  it.each([
    ["1", 1],
    ["7", 7],
    ["пн", 1],
    ["ВТ", 2],
    ["Ср.", 3],
    ["пятница", 5],
    ["вс", 7],
    ["0", null],
    ["8", null],
    ["пон", null],
  ])("weekday %s → %s", (input, expected) => {
    expect(parseWeekday(input)).toBe(expected);
  });

  it("class names and subgroups", () => {
    expect(parseClassName("7 б")).toEqual({ grade: 7, letter: "Б", name: "7Б" });
    expect(parseClassName("12А")).toBeNull();
    expect(parseSubgroups("Английский язык:1; Информатика:2")).toEqual([
      { subject: "Английский язык", number: 1 },
      { subject: "Информатика", number: 2 },
    ]);
    expect(parseSubgroups("Английский язык-1")).toBeNull();
  });
});
