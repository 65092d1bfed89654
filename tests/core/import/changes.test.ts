import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toIsoDate } from "../../../src/core/dates.ts";
import { importSchool } from "../../../src/core/import/import-school.ts";
import { materializeLessons } from "../../../src/core/lessons/materialize.ts";
import { createTestDb, type TestDb } from "../../helpers/db.ts";
import { smallWorkbook } from "./fixtures.ts";

let db: TestDb;
let schoolId: number;
beforeAll(async () => {
  db = await createTestDb();
  ({ schoolId } = await importSchool(db.prisma, smallWorkbook(), { effectiveDate: "2026-08-20" }));
});
afterAll(async () => {
  await db.drop();
});

const studentOf = (ext: string) =>
  db.prisma.student.findFirstOrThrow({
    where: { schoolId, person: { externalId: ext } },
    include: { enrollments: { include: { class: true }, orderBy: { id: "asc" } }, subgroups: true, marks: true },
  });

describe("applying a changed file (R-33)", () => {
  it("starts enrollments at the year's start when the year has not begun", async () => {
    const s1 = await studentOf("S1");
    expect(s1.enrollments.map((e) => [e.class.name, toIsoDate(e.fromDate), e.toDate])).toEqual([
      ["7А", "2026-09-01", null],
    ]);
  });

  it("moves a student to another class: old enrollment ended, new one started, marks kept", async () => {
    await materializeLessons(db.prisma, schoolId, "2026-11-02", "2026-11-08");
    const lesson = await db.prisma.lesson.findFirstOrThrow({
      where: { schoolId, assignment: { class: { name: "7А" }, subgroupId: null } },
    });
    const s1 = await studentOf("S1");
    const teacher = await db.prisma.person.findFirstOrThrow({ where: { schoolId, externalId: "T1" } });
    await db.prisma.mark.create({
      data: {
        schoolId,
        studentId: s1.id,
        lessonId: lesson.id,
        subjectId: (await db.prisma.subject.findFirstOrThrow({ where: { schoolId, name: "Алгебра" } })).id,
        date: lesson.date,
        workType: "oral",
        weight: 1,
        value: "5",
        authorId: teacher.id,
      },
    });

    const wb = smallWorkbook();
    wb.students[0].class = "7Б";
    wb.students[0].subgroups = "";
    const res = await importSchool(db.prisma, wb, { schoolId, effectiveDate: "2026-11-16" });
    expect(res.counts.students).toEqual({ created: 0, updated: 1, unchanged: 2, ended: 0 });

    const moved = await studentOf("S1");
    expect(
      moved.enrollments.map((e) => [e.class.name, toIsoDate(e.fromDate), e.toDate && toIsoDate(e.toDate)]),
    ).toEqual([
      ["7А", "2026-09-01", "2026-11-16"],
      ["7Б", "2026-11-16", null],
    ]);
    expect(moved.subgroups.map((m) => m.toDate && toIsoDate(m.toDate))).toEqual(["2026-11-16"]);
    expect(moved.marks.map((m) => m.value)).toEqual(["5"]);
  });

  it("ends the enrollment of a student no longer in the file, without deleting anything", async () => {
    const wb = smallWorkbook();
    wb.students[0].class = "7Б";
    wb.students[0].subgroups = "";
    wb.students.splice(2, 1); // S3 leaves
    wb.guardians.splice(1, 1); // and so does their parent's guardianship
    const res = await importSchool(db.prisma, wb, { schoolId, effectiveDate: "2026-11-20" });
    expect(res.counts.students.ended).toBe(1);
    const s3 = await studentOf("S3");
    expect(s3.leftAt && toIsoDate(s3.leftAt)).toBe("2026-11-20");
    expect(s3.enrollments.map((e) => e.toDate && toIsoDate(e.toDate))).toEqual(["2026-11-20"]);
    const g = await db.prisma.guardianship.findFirstOrThrow({ where: { schoolId, student: { id: s3.id } } });
    expect(g.endedAt).not.toBeNull();
    // The teacher who was also a parent keeps the staff roles.
    const t2 = await db.prisma.person.findFirstOrThrow({
      where: { schoolId, externalId: "T2" },
      include: { staffRoles: true },
    });
    expect(t2.staffRoles).toHaveLength(2);
  });

  it("updates names, roles, class teacher and hours in place", async () => {
    const wb = smallWorkbook();
    wb.students[0].class = "7Б";
    wb.students[0].subgroups = "";
    wb.students.splice(2, 1);
    wb.guardians.splice(1, 1);
    wb.staff[0].last_name = "Иванова-Петрова";
    wb.staff[1].roles = "teacher";
    wb.classes[1].class_teacher = "T1";
    wb.assignments[0].hours_per_week = "4";
    const res = await importSchool(db.prisma, wb, { schoolId, effectiveDate: "2026-11-20" });
    expect(res.counts.staff).toMatchObject({ updated: 2, unchanged: 1 });
    expect(res.counts.classes).toMatchObject({ updated: 1, unchanged: 1 });
    expect(res.counts.assignments).toMatchObject({ updated: 1, unchanged: 3 });
    const t1 = await db.prisma.person.findFirstOrThrow({
      where: { schoolId, externalId: "T1" },
      include: { classesLed: true },
    });
    expect(t1.lastName).toBe("Иванова-Петрова");
    expect(t1.classesLed.map((c) => c.name).sort()).toEqual(["7А", "7Б"]);
    expect(await db.prisma.staffRole.count({ where: { schoolId, role: "DEPUTY" } })).toBe(0);
  });

  it("ends timetable entries no longer in the file and starts new ones on the effective date", async () => {
    await materializeLessons(db.prisma, schoolId, "2026-11-23", "2026-12-06");
    const wb = smallWorkbook();
    wb.students[0].class = "7Б";
    wb.students[0].subgroups = "";
    wb.students.splice(2, 1);
    wb.guardians.splice(1, 1);
    wb.staff[0].last_name = "Иванова-Петрова";
    wb.staff[1].roles = "teacher";
    wb.classes[1].class_teacher = "T1";
    wb.assignments[0].hours_per_week = "4";
    wb.timetable[0].weekday = "ср"; // 7А algebra moves from Monday to Wednesday
    const res = await importSchool(db.prisma, wb, { schoolId, effectiveDate: "2026-11-25" });
    expect(res.counts.timetable).toMatchObject({ created: 1, ended: 1, unchanged: 3 });
    const entries = await db.prisma.timetableEntry.findMany({
      where: { schoolId, assignment: { class: { name: "7А" }, subgroupId: null } },
      orderBy: { id: "asc" },
    });
    expect(entries.map((e) => [e.weekday, toIsoDate(e.validFrom), e.validTo && toIsoDate(e.validTo)])).toEqual([
      [1, "2026-09-01", "2026-11-25"],
      [3, "2026-11-25", null],
    ]);
    // Monday lessons after the change held nothing and are gone; the one with a mark stays.
    const mondays = await db.prisma.lesson.findMany({
      where: { schoolId, assignmentId: entries[0].assignmentId, slot: 1 },
      orderBy: { date: "asc" },
    });
    expect(mondays.map((l) => toIsoDate(l.date))).toEqual(["2026-11-02", "2026-11-23"]);
    expect(res.lessonsRemoved).toBe(1);
    expect(await db.prisma.mark.count({ where: { schoolId } })).toBe(1);
  });
});
