// The import workbook's `settings` sheet: settings and rights per role loaded with the
// school, audited as an import; a sheet with errors lists every one with its row and nothing is applied.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { can } from "../../../src/core/access/permissions.ts";
import { actorForPerson } from "../../../src/core/accounts/actor-for-person.ts";
import { isAppError } from "../../../src/core/errors.ts";
import { importSchool } from "../../../src/core/import/import-school.ts";
import type { SettingsRow } from "../../../src/core/import/sheets.ts";
import { getSchool } from "../../../src/core/settings.ts";
import { createTestDb, type TestDb } from "../../helpers/db.ts";
import { smallWorkbook } from "./fixtures.ts";

let db: TestDb;
let schoolId: number;
beforeAll(async () => {
  db = await createTestDb();
  schoolId = (await importSchool(db.prisma, smallWorkbook(), { schoolName: "Школа", effectiveDate: "2026-11-24" }))
    .schoolId;
});
afterAll(async () => {
  await db.drop();
});

const rows = (list: Partial<SettingsRow>[]): SettingsRow[] =>
  list.map((r, i) => ({ row: i + 2, key: "", value: "", weight: "", label: "", rights: "", ...r }));

describe("R-07 R-16: the settings sheet", () => {
  it("loads the deadlines, thresholds, work types with labels, quiet hours and a role's rights; audited", async () => {
    const wb = smallWorkbook();
    wb.settings = rows([
      { key: "correction_window_days", value: "5" },
      { key: "term_grade_deadline_days", value: "3" },
      { key: "threshold", value: "5", weight: "4,5" },
      { key: "threshold", value: "4", weight: "3.5" },
      { key: "threshold", value: "3", weight: "2.5" },
      { key: "grades_without_marks", value: "1" },
      { key: "quiet_hours", value: "22:00-7:00" },
      { key: "work_type", value: "oral", weight: "1" },
      { key: "work_type", value: "control", weight: "2.5", label: "Контрольная работа (четвертная)" },
      { key: "pass_fail_subject", value: "Физкультура" },
      { key: "rights", value: "teacher", rights: "report.school, invite.family.all" },
    ]);
    const res = await importSchool(db.prisma, wb, { schoolId, effectiveDate: "2026-11-24" });
    expect(res.changed).toBe(true);
    const s = (await getSchool(db.prisma, schoolId)).settings;
    expect(s).toMatchObject({
      correctionWindowDays: 5,
      termGradeDeadlineDays: 3,
      gradesWithoutMarks: [1],
      quietHoursDefault: { from: "22:00", to: "07:00" },
      passFailSubjects: ["Физкультура"],
      rolePermissions: { TEACHER: ["report.school", "invite.family.all"] },
    });
    expect(s.thresholds).toEqual([
      { mark: "5", min: 4.5 },
      { mark: "4", min: 3.5 },
      { mark: "3", min: 2.5 },
    ]);
    expect(s.workTypes).toEqual([
      { code: "oral", weight: 1, written: false },
      { code: "control", weight: 2.5, written: true, label: "Контрольная работа (четвертная)" },
    ]);
    const audit = await db.prisma.auditEvent.findFirstOrThrow({
      where: { schoolId, action: "school.settings.update" },
    });
    expect(audit.data).toMatchObject({ source: "import", correctionWindowDays: { old: 7, new: 5 } });
    // the rights take effect for the school's teachers
    const teacher = await db.prisma.staffRole.findFirstOrThrow({ where: { schoolId, role: "TEACHER" } });
    const actor = await actorForPerson(db.prisma, teacher.personId);
    expect(can(actor, "report.school")).toBe(true);
    expect(can(actor, "period.close")).toBe(actor.roles.some((r) => r !== "TEACHER" && r !== "SECRETARY"));
    // the same file again changes nothing
    expect((await importSchool(db.prisma, wb, { schoolId, effectiveDate: "2026-11-24" })).changed).toBe(false);
  });

  it("every error is listed with its row; nothing is applied", async () => {
    const before = (await getSchool(db.prisma, schoolId)).settings;
    const wb = smallWorkbook();
    wb.settings = rows([
      { key: "correction_window_days", value: "семь" },
      { key: "colour", value: "blue" },
      { key: "rights", value: "STUDENT", rights: "report.school" },
      { key: "rights", value: "TEACHER", rights: "journal.write.students" },
      { key: "threshold", value: "6", weight: "5" },
    ]);
    const err = await importSchool(db.prisma, wb, { schoolId, effectiveDate: "2026-11-24" }).catch((e) => e);
    expect(isAppError(err, "IMPORT_INVALID")).toBe(true);
    const errors = (err.details as { errors: { sheet: string; row: number; code: string }[] }).errors;
    expect(errors.map((e) => [e.sheet, e.row, e.code])).toEqual([
      ["settings", 2, "BAD_NUMBER"],
      ["settings", 3, "UNKNOWN_SETTING"],
      ["settings", 4, "BAD_ROLE"],
      ["settings", 5, "BAD_PERMISSION"],
      ["settings", 6, "BAD_SETTING"],
    ]);
    expect((await getSchool(db.prisma, schoolId)).settings).toEqual(before);
  });

  it("thresholds out of order are refused as a whole", async () => {
    const wb = smallWorkbook();
    wb.settings = rows([
      { key: "threshold", value: "5", weight: "3" },
      { key: "threshold", value: "4", weight: "4" },
    ]);
    const err = await importSchool(db.prisma, wb, { schoolId, effectiveDate: "2026-11-24" }).catch((e) => e);
    expect(isAppError(err, "IMPORT_INVALID")).toBe(true);
    expect((err.details as { errors: { row: number; code: string }[] }).errors).toEqual([
      expect.objectContaining({ row: 2, code: "BAD_SETTING" }),
    ]);
  });
});

describe("R-19: the plans sheet", () => {
  const planRows = (list: [string, string, string, string, string][]) =>
    list.map(([teacher, cls, order, topic, hours], i) => ({
      row: i + 2,
      teacher,
      subject: "Алгебра",
      class: cls,
      subgroup: "",
      order,
      topic,
      hours,
    }));

  it("loads a plan per assignment; rows naming no assignment or with bad numbers are all listed", async () => {
    const bad = smallWorkbook();
    bad.plans = planRows([
      ["T1", "7А", "1", "Линейные уравнения", "2"],
      ["T9", "7А", "2", "Чужая тема", "1"],
      ["T1", "7А", "x", "Системы", "1"],
    ]);
    const err = await importSchool(db.prisma, bad, { schoolId, effectiveDate: "2026-11-24" }).catch((e) => e);
    expect(isAppError(err, "IMPORT_INVALID")).toBe(true);
    expect(
      (err.details as { errors: { sheet: string; row: number; code: string }[] }).errors.map((e) => [
        e.sheet,
        e.row,
        e.code,
      ]),
    ).toEqual([
      ["plans", 3, "NO_ASSIGNMENT"],
      ["plans", 4, "BAD_NUMBER"],
    ]);
    expect(await db.prisma.planItem.count()).toBe(0);

    const wb = smallWorkbook();
    wb.plans = planRows([
      ["T1", "7А", "1", "Линейные уравнения", "2"],
      ["T1", "7А", "2", "Системы уравнений", "3"],
      ["T1", "7Б", "1", "Линейные уравнения", "2"],
    ]);
    const res = await importSchool(db.prisma, wb, { schoolId, effectiveDate: "2026-11-24" });
    expect(res.changed).toBe(true);
    const items = await db.prisma.planItem.findMany({
      where: { schoolId },
      orderBy: [{ assignmentId: "asc" }, { number: "asc" }],
      select: { number: true, topic: true, hours: true },
    });
    expect(items).toEqual([
      { number: 1, topic: "Линейные уравнения", hours: 2 },
      { number: 2, topic: "Системы уравнений", hours: 3 },
      { number: 1, topic: "Линейные уравнения", hours: 2 },
    ]);
    expect(await db.prisma.auditEvent.count({ where: { schoolId, action: "plan.load" } })).toBe(2);
    expect((await importSchool(db.prisma, wb, { schoolId, effectiveDate: "2026-11-24" })).changed).toBe(false);
  });
});
