import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fromIsoDate } from "../../../src/core/dates.ts";
import { isAppError } from "../../../src/core/errors.ts";
import { journalFillingReport } from "../../../src/core/reports/journal-filling-report.ts";
import { createTestDb, type TestDb } from "../../helpers/db.ts";
import { type ReportSchool, seedOtherSchool, seedReportSchool } from "./fixture.ts";

describe("journal filling report", () => {
  let db: TestDb;
  let f: ReportSchool;

  beforeAll(async () => {
    db = await createTestDb();
    f = await seedReportSchool(db.prisma);
    await seedOtherSchool(db.prisma);
    const p = db.prisma;
    const schoolId = f.schoolId;
    const lesson = (assignmentId: number, date: string, extra: Record<string, unknown> = {}) =>
      p.lesson.create({ data: { schoolId, assignmentId, date: fromIsoDate(date), slot: 1, ...extra } });
    const { a5math, a5rus, a5eng1, a6math } = f.assignments;
    const filled = { topic: "Дроби", topicSetAt: new Date(), attendanceTakenAt: new Date(), status: "HELD" as const };
    const l1 = await lesson(a5math, "2025-10-06", filled); // fully filled
    const l2 = await lesson(a5math, "2025-10-07", { topic: "  " }); // only a mark
    await lesson(a5eng1, "2025-10-08"); // nothing
    await lesson(a5rus, "2025-10-09", { status: "CANCELLED" }); // not counted
    const l5 = await lesson(a6math, "2025-10-08", { topic: "Проценты" }); // given by a substitute
    await lesson(a5math, "2025-10-13"); // outside the range
    await p.homework.create({
      data: { schoolId, lessonId: l1.id, text: "№ 12", dueDate: fromIsoDate("2025-10-07"), authorId: f.people.t1 },
    });
    await p.substitution.create({
      data: { schoolId, lessonId: l5.id, substituteId: f.people.t4, grantedById: f.people.director },
    });
    const mark = (lessonId: number, date: string, studentId: number, value: string, status = "ACTIVE" as const) =>
      p.mark.create({
        data: {
          schoolId,
          lessonId,
          date: fromIsoDate(date),
          studentId,
          subjectId: f.subjects.math,
          workType: "oral",
          weight: 1,
          value,
          authorId: f.people.t1,
          status,
        },
      });
    const { s1, s2, s3 } = f.students;
    await mark(l1.id, "2025-10-06", s1, "5");
    await mark(l1.id, "2025-10-06", s2, "4");
    await mark(l2.id, "2025-10-07", s1, "4");
    await p.mark.create({
      data: {
        schoolId,
        lessonId: l2.id,
        date: fromIsoDate("2025-10-07"),
        studentId: s3,
        subjectId: f.subjects.math,
        workType: "oral",
        weight: 1,
        value: "3",
        authorId: f.people.t1,
        status: "VOIDED",
      },
    });
  });
  afterAll(() => db.drop());

  it("R-26 lessons without topic, homework, attendance; share of teachers with entries", async () => {
    const r = await journalFillingReport(db.prisma, f.deputy, { from: "2025-10-06", to: "2025-10-10" });
    expect(r.lessons).toEqual({ total: 4, withoutTopic: 2, withoutHomework: 3, withoutAttendance: 3 });
    expect(r.teachers).toEqual({ total: 3, withEntries: 2, withEntriesPct: 66.7 });
    const byId = new Map(r.byTeacher.map((t) => [t.teacherId, t]));
    expect(byId.get(f.people.t1)).toMatchObject({ lessons: 2, withoutTopic: 1, withoutHomework: 1, hasEntries: true });
    expect(byId.get(f.people.t3)).toMatchObject({ lessons: 1, withoutTopic: 1, hasEntries: false });
    expect(byId.get(f.people.t4)).toMatchObject({
      lessons: 1,
      withoutTopic: 0,
      withoutAttendance: 1,
      hasEntries: true,
    });
    expect(byId.has(f.people.t2)).toBe(false); // only a cancelled lesson
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it("R-26 students without marks and with a single mark, per subject they had lessons in", async () => {
    const r = await journalFillingReport(db.prisma, f.deputy, { from: "2025-10-06", to: "2025-10-10" });
    const { s1, s2, s3, s6, s7 } = f.students;
    const { math, eng } = f.subjects;
    const pairs = (rows: typeof r.studentsWithoutMarks) => rows.map((x) => [x.studentId, x.subjectId]);
    // s3's only mathematics mark was voided; English group 1 (s1, s2) had a lesson without marks; s3 is in
    // group 2, which had none; s4 left and s5 came outside the range; 6Б had one lesson without marks
    expect(pairs(r.studentsWithoutMarks)).toEqual([
      [s1, eng],
      [s2, eng],
      [s3, math],
      [s6, math],
      [s7, math],
    ]);
    expect(pairs(r.studentsWithOneMark)).toEqual([[s2, math]]);
    expect(r.studentsWithOneMark[0]).toMatchObject({
      label: "Борисов Ученик",
      className: "5А",
      subjectName: "Математика",
      marks: 1,
    });
  });

  it("R-26 an empty range and the access rule", async () => {
    const r = await journalFillingReport(db.prisma, f.deputy, { from: "2025-07-01", to: "2025-07-31" });
    expect(r).toMatchObject({ lessons: { total: 0 }, teachers: { total: 0, withEntriesPct: null } });
    expect(r.studentsWithoutMarks).toEqual([]);
    await expect(
      journalFillingReport(db.prisma, f.teacher, { from: "2025-10-06", to: "2025-10-10" }),
    ).rejects.toSatisfy((e) => isAppError(e, "FORBIDDEN"));
    await expect(journalFillingReport(db.prisma, f.deputy, { from: "2025-10-10", to: "2025-10-06" })).rejects.toSatisfy(
      (e) => isAppError(e, "VALIDATION"),
    );
    await expect(journalFillingReport(db.prisma, f.deputy, { from: "10.10.2025", to: "2025-10-06" })).rejects.toSatisfy(
      (e) => isAppError(e, "VALIDATION"),
    );
  });
});
