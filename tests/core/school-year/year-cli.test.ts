// R-32 from the command line: `year create` prepares the next year, `year close --dry-run` prints who moves
// where and changes nothing, `year close` applies it; the held back are named by their import ids.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { yearCommand } from "../../../src/cli/year.ts";
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

async function run(...args: string[]) {
  const lines: string[] = [];
  const code = await yearCommand(args, { prisma: db.prisma, lng: "ru", out: (s) => lines.push(s) });
  return { code, text: lines.join("\n") };
}

describe("R-32 npm run cli -- year", () => {
  it("R-32: creates the next year, shows the dry run, then applies it", async () => {
    const school = ["--school", String(schoolId)];
    expect(
      (await run("create", ...school, "--name", "2027/2028", "--starts", "2027-09-01", "--ends", "2028-05-31")).code,
    ).toBe(0);
    const close = [
      ...school,
      "--from",
      "2026/2027",
      "--to",
      "2027/2028",
      "--order",
      "112-у от 29.05.2027",
      "--held-back",
      "S2",
    ];
    const dry = await run("close", ...close, "--dry-run");
    expect(dry.code).toBe(0);
    expect(dry.text).toContain("Перевод учащихся из 2026/2027 в 2027/2028, приказ № 112-у от 29.05.2027:");
    expect(dry.text).toContain("  7А → 8А: 1");
    expect(dry.text).toContain("(повторное обучение): 1");
    expect(dry.text).toContain("будут созданы классы нового года: 7А, 8А, 8Б");
    expect(dry.text).toContain("Пробный запуск: ничего не изменено.");
    expect(await db.prisma.studentMovement.count()).toBe(0);

    const applied = await run("close", ...close);
    expect(applied.code).toBe(0);
    expect(applied.text).toContain("Готово: год закрыт, учащихся переведено: 3.");
    const year = await db.prisma.academicYear.findFirstOrThrow({ where: { schoolId, name: "2026/2027" } });
    expect(year.closedAt).not.toBeNull();
    expect((await run("close", ...close)).code).toBe(1);
    expect((await run("close", ...school)).code).toBe(2);
  });

  it("R-32: the new year's workbook (timetable, assignments) imports over the promoted classes; no one moves again", async () => {
    const wb = smallWorkbook();
    const rename: Record<string, string> = { "7А": "8А", "7Б": "8Б" };
    wb.periods = numberRows("periods", [
      { year: "2027/2028", kind: "quarter", number: 1, starts: "2027-09-01", ends: "2027-10-25" },
    ]);
    wb.classes = numberRows("classes", [
      { name: "7А", grade: 7, class_teacher: "" },
      { name: "8А", grade: 8, class_teacher: "T1" },
      { name: "8Б", grade: 8, class_teacher: "T2" },
    ]);
    for (const st of wb.students) st.class = st.id === "S2" ? "7А" : rename[String(st.class)];
    for (const st of wb.students) if (st.id === "S2") st.subgroups = "";
    for (const a of wb.assignments) a.class = rename[String(a.class)];
    for (const r of wb.timetable) r.class = rename[String(r.class)];
    const before = await db.prisma.mark.count();
    const res = await importSchool(db.prisma, wb, { schoolId, effectiveDate: "2027-08-20" });
    expect(res.counts.students).toMatchObject({ created: 0, ended: 0 });
    expect(res.counts.assignments.created).toBe(4);
    expect(
      await db.prisma.studentMovement.count({ where: { kind: { in: ["TRANSFER", "ADMISSION", "LEAVING"] } } }),
    ).toBe(0);
    // the old year keeps its classes and its journal
    expect(await db.prisma.classGroup.count({ where: { schoolId, year: { name: "2026/2027" } } })).toBe(2);
    expect(await db.prisma.mark.count()).toBe(before);
  });
});
