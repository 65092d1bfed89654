import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatImportErrors } from "../../../src/cli/import.ts";
import { AppError } from "../../../src/core/errors.ts";
import { importSchool } from "../../../src/core/import/import-school.ts";
import { validateWorkbook } from "../../../src/core/import/parse-workbook.ts";
import type { ImportError } from "../../../src/core/import/sheets.ts";
import { translator } from "../../../src/i18n.ts";
import { createTestDb, type TestDb } from "../../helpers/db.ts";
import { smallWorkbook, snapshot } from "./fixtures.ts";

let db: TestDb;
beforeAll(async () => {
  db = await createTestDb();
});
afterAll(async () => {
  await db.drop();
});

function badWorkbook() {
  const wb = smallWorkbook();
  wb.periods[1].ends = "2026-13-40"; // bad date, row 3
  wb.students[2].class = "8Г"; // unknown class, row 4
  wb.timetable[0].weekday = "понедельникк"; // bad weekday, row 2
  wb.staff.push({ ...wb.staff[0], row: 5, first_name: "Мариам" }); // duplicate id, row 5
  wb.timetable[3].weekday = "9"; // bad weekday, row 5
  return wb;
}

async function importError(p: Promise<unknown>): Promise<ImportError[]> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("IMPORT_INVALID");
    return (err as AppError).details.errors as ImportError[];
  }
  throw new Error("import did not fail");
}

describe("a workbook with bad rows", () => {
  it("is refused with every error by sheet, row and column, and nothing is written", async () => {
    const errors = await importError(importSchool(db.prisma, badWorkbook(), { schoolName: "Школа" }));
    expect(errors).toEqual(
      expect.arrayContaining([
        { sheet: "periods", row: 3, column: "ends", code: "BAD_DATE", params: { value: "2026-13-40" } },
        { sheet: "students", row: 4, column: "class", code: "UNKNOWN_CLASS", params: { value: "8Г" } },
        { sheet: "timetable", row: 2, column: "weekday", code: "BAD_WEEKDAY", params: { value: "понедельникк" } },
        { sheet: "timetable", row: 5, column: "weekday", code: "BAD_WEEKDAY", params: { value: "9" } },
        { sheet: "staff", row: 5, column: "id", code: "DUPLICATE", params: { value: "T1", firstRow: 2 } },
      ]),
    );
    expect(errors).toHaveLength(5);
    expect(await db.prisma.school.count()).toBe(0);
    expect(await db.prisma.person.count()).toBe(0);
    expect(await db.prisma.auditEvent.count()).toBe(0);
  });

  it("leaves an existing school exactly as it was", async () => {
    const { schoolId } = await importSchool(db.prisma, smallWorkbook(), { effectiveDate: "2026-10-01" });
    const before = await snapshot(db.prisma);
    const wb = badWorkbook();
    wb.students[0].last_name = "Сидорова"; // a good change next to bad rows is not applied either
    await importError(importSchool(db.prisma, wb, { schoolId }));
    expect(await snapshot(db.prisma)).toEqual(before);
  });

  it("checks references across sheets", () => {
    const wb = smallWorkbook();
    wb.classes[0].class_teacher = "X9";
    wb.guardians[0].students = "S1, S9";
    wb.assignments[0].teacher = "D1"; // the director is not a teacher
    wb.timetable[1].teacher = "T2"; // no assignment T2 × Алгебра × 7Б
    wb.timetable.push({ ...wb.timetable[0], row: 6, lesson: "7" });
    const codes = validateWorkbook(wb).map((e) => `${e.sheet}:${e.row}:${e.column}:${e.code}`);
    expect(codes).toEqual(
      expect.arrayContaining([
        "classes:2:class_teacher:UNKNOWN_STAFF",
        "guardians:2:students:UNKNOWN_STUDENT",
        "assignments:2:teacher:NOT_A_TEACHER",
        "timetable:3:subject:NO_ASSIGNMENT",
        "timetable:6:lesson:UNKNOWN_BELL",
      ]),
    );
  });

  it("reports a missing sheet and a missing column", () => {
    const wb = smallWorkbook();
    wb.readErrors = [
      { sheet: "bells", row: 0, column: "", code: "MISSING_SHEET", params: { sheet: "bells" } },
      { sheet: "staff", row: 1, column: "roles", code: "MISSING_COLUMN", params: { column: "roles" } },
    ];
    expect(
      validateWorkbook(wb)
        .slice(0, 2)
        .map((e) => e.code),
    ).toEqual(["MISSING_SHEET", "MISSING_COLUMN"]);
  });

  it("prints the errors in Russian and in English", () => {
    const errors = validateWorkbook(badWorkbook());
    const ru = formatImportErrors(errors, translator("ru") as never);
    const en = formatImportErrors(errors, translator("en") as never);
    expect(ru).toContain("Лист «students», строка 4, столбец «class»: класса «8Г» нет на листе classes");
    expect(en).toContain("Sheet “students”, row 4, column “class”: class “8Г” is not on sheet classes");
    for (const line of [...ru, ...en]) expect(line).not.toMatch(/codes\.|\{\{/);
  });
});
