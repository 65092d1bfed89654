// Import of a 1,000-student school on a fresh schema: the generated workbook written to XLSX and read back,
// the first import, a re-import of the same file (nothing changes) and an import with some changes.
import path from "node:path";
import { buildDemoWorkbook } from "../src/core/demo/build-workbook.ts";
import { importSchool } from "../src/core/import/import-school.ts";
import { readSchoolSource } from "../src/core/import/read-source.ts";
import { writeWorkbookXlsx } from "../src/core/import/write-template.ts";
import { benchDatabase } from "./helpers.ts";

const TODAY = "2026-11-24";

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const out = await fn();
  return [out, Math.round(performance.now() - started)];
}

export async function benchImport(): Promise<Record<string, number | string>> {
  const db = await benchDatabase("import");
  const { prisma } = db;
  try {
    const [wb, buildMs] = await timed(async () => buildDemoWorkbook(TODAY, { classes: 37 }));
    const file = path.join(db.tmpDir, "school.xlsx");
    const [, writeMs] = await timed(() => writeWorkbookXlsx(file, wb));
    const [read, readMs] = await timed(() => readSchoolSource(file));
    const [first, firstMs] = await timed(() => importSchool(prisma, read, { effectiveDate: "2026-09-01" }));
    const [again, againMs] = await timed(() =>
      importSchool(prisma, read, { schoolId: first.schoolId, effectiveDate: TODAY }),
    );
    if (again.changed) throw new Error("re-import of the same file changed something");
    // 30 students move class, 50 are renamed, 20 leave.
    const changed = buildDemoWorkbook(TODAY, { classes: 37 });
    for (let i = 0; i < 30; i++) changed.students[i * 30].class = changed.students[i * 30 + 29].class;
    for (let i = 0; i < 50; i++) changed.students[i * 20 + 1].last_name += "-Иванова";
    const leaving = new Set(changed.students.slice(-20).map((s) => s.id));
    changed.students = changed.students.filter((s) => !leaving.has(s.id));
    changed.guardians = changed.guardians.filter((g) => !leaving.has(g.students));
    const [diff, diffMs] = await timed(() =>
      importSchool(prisma, changed, { schoolId: first.schoolId, effectiveDate: TODAY }),
    );
    return {
      students: wb.students.length,
      guardians: wb.guardians.length,
      staff: wb.staff.length,
      classes: wb.classes.length,
      "timetable rows": wb.timetable.length,
      "generate workbook, ms": buildMs,
      "write XLSX, ms": writeMs,
      "read XLSX, ms": readMs,
      "first import, ms": firstMs,
      "re-import (no change), ms": againMs,
      "import with 100 changes, ms": diffMs,
      "changed import: students updated/ended": `${diff.counts.students.updated}/${diff.counts.students.ended}`,
    };
  } finally {
    await db.close();
  }
}
