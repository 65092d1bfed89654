// a re-import that moves, admits or drops a student records the same movements as the bot does, under
// the order given to the import; the first import of a school records none.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toIsoDate } from "../../../src/core/dates.ts";
import { importSchool } from "../../../src/core/import/import-school.ts";
import { numberRows } from "../../../src/core/import/sheets.ts";
import { createTestDb, type TestDb } from "../../helpers/db.ts";
import { smallWorkbook } from "../import/fixtures.ts";

let db: TestDb;
let schoolId: number;
beforeAll(async () => {
  db = await createTestDb();
  ({ schoolId } = await importSchool(db.prisma, smallWorkbook(), { effectiveDate: "2026-08-20" }));
});
afterAll(() => db.drop());

describe("R-33 movement by re-import", () => {
  it("R-33: the first import records no movement", async () => {
    expect(await db.prisma.studentMovement.count()).toBe(0);
  });

  it("R-33: transfer, admission and leaving by re-import are recorded with the order", async () => {
    const wb = smallWorkbook();
    wb.students[0].class = "7Б";
    wb.students[0].subgroups = "";
    wb.students.splice(2, 1); // S3 leaves
    wb.guardians.splice(1, 1);
    wb.students.push(
      ...numberRows("students", [
        { id: "S9", last_name: "Новиков", first_name: "Олег", middle_name: "", class: "7А", subgroups: "" },
      ]),
    );
    await importSchool(db.prisma, wb, {
      schoolId,
      effectiveDate: "2026-11-16",
      order: { number: "51", date: "2026-11-13" },
    });
    const rows = await db.prisma.studentMovement.findMany({ orderBy: { id: "asc" } });
    const classes = new Map((await db.prisma.classGroup.findMany()).map((c) => [c.id, c.name]));
    const ext = new Map(
      (await db.prisma.student.findMany({ include: { person: true } })).map((st) => [st.id, st.person.externalId]),
    );
    expect(
      rows.map((m) => [
        ext.get(m.studentId),
        m.kind,
        m.fromClassId && classes.get(m.fromClassId),
        m.toClassId && classes.get(m.toClassId),
        toIsoDate(m.date),
        m.orderNo,
        toIsoDate(m.orderDate),
      ]),
    ).toEqual([
      ["S1", "TRANSFER", "7А", "7Б", "2026-11-16", "51", "2026-11-13"],
      ["S9", "ADMISSION", null, "7А", "2026-11-16", "51", "2026-11-13"],
      ["S3", "LEAVING", "7Б", null, "2026-11-16", "51", "2026-11-13"],
    ]);
  });
});
