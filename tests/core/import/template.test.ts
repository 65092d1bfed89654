import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importSchool } from "../../../src/core/import/import-school.ts";
import { validateWorkbook } from "../../../src/core/import/parse-workbook.ts";
import { readSchoolSource } from "../../../src/core/import/read-source.ts";
import { SHEET_NAMES } from "../../../src/core/import/sheets.ts";
import { writeTemplate } from "../../../src/core/import/write-template.ts";
import { createTestDb, type TestDb } from "../../helpers/db.ts";
import { smallWorkbook, snapshot } from "./fixtures.ts";

let db: TestDb;
let dir: string;
beforeAll(async () => {
  db = await createTestDb();
  dir = await mkdtemp(path.join(os.tmpdir(), "cb-import-"));
});
afterAll(async () => {
  await db.drop();
  await rm(dir, { recursive: true, force: true });
});

describe("import template", () => {
  it("writes every sheet with its header and one example row, and the template imports", async () => {
    const file = path.join(dir, "template.xlsx");
    await writeTemplate(file, new Date("2026-11-24T00:00:00Z"));
    const wb = await readSchoolSource(file);
    expect(wb.readErrors).toBeUndefined();
    for (const sheet of SHEET_NAMES) expect(wb[sheet]).toHaveLength(1);
    expect(wb.timetable[0]).toMatchObject({ row: 2, weekday: "пн", subgroup: "1" });
    expect(validateWorkbook(wb)).toEqual([]);

    const res = await importSchool(db.prisma, wb, { schoolName: "Школа", effectiveDate: "2026-11-24" });
    expect(res.changed).toBe(true);
    for (const sheet of SHEET_NAMES) expect(res.counts[sheet].created).toBe(1);
    const events = await db.prisma.auditEvent.findMany({ where: { schoolId: res.schoolId } });
    expect(events.map((e) => e.action)).toEqual(["school.import"]);
    expect((events[0].data as { counts: unknown }).counts).toEqual(res.counts);
    const member = await db.prisma.subgroupMember.findFirstOrThrow({ include: { subgroup: true } });
    expect(member.subgroup.number).toBe(1);
  });
});

describe("re-import of the same file", () => {
  it("changes nothing: every row, every count and the audit trail stay as they were", async () => {
    const wb = smallWorkbook();
    const first = await importSchool(db.prisma, wb, { schoolName: "Гимназия", effectiveDate: "2026-10-01" });
    expect(first.counts.students.created).toBe(3);
    expect(first.counts.timetable.created).toBe(4);
    const before = await snapshot(db.prisma);

    const again = await importSchool(db.prisma, smallWorkbook(), {
      schoolId: first.schoolId,
      effectiveDate: "2026-11-24",
    });
    expect(again.changed).toBe(false);
    for (const sheet of SHEET_NAMES) {
      expect(again.counts[sheet]).toMatchObject({ created: 0, updated: 0, ended: 0 });
    }
    expect(again.counts.students.unchanged).toBe(3);
    expect(again.counts.guardians.unchanged).toBe(2);
    expect(await snapshot(db.prisma)).toEqual(before);
  });

  it("a staff member who is also a parent is one person with both roles", async () => {
    const t2 = await db.prisma.person.findFirstOrThrow({
      where: { externalId: "T2", school: { name: "Гимназия" } },
      include: { staffRoles: true, guardianships: true },
    });
    expect(t2.staffRoles.map((r) => r.role).sort()).toEqual(["DEPUTY", "TEACHER"]);
    expect(t2.guardianships).toHaveLength(1);
  });
});
