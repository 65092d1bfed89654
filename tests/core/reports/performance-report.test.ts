import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemActor } from "../../../src/core/actor.ts";
import { isAppError } from "../../../src/core/errors.ts";
import { performanceReport } from "../../../src/core/reports/performance-report.ts";
import { createTestDb, type TestDb } from "../../helpers/db.ts";
import { type ReportSchool, seedOtherSchool, seedReportSchool } from "./fixture.ts";

describe("performance report", () => {
  let db: TestDb;
  let f: ReportSchool;
  let other: Awaited<ReturnType<typeof seedOtherSchool>>;

  beforeAll(async () => {
    db = await createTestDb();
    f = await seedReportSchool(db.prisma);
    other = await seedOtherSchool(db.prisma);
    const { s1, s2, s3, s4, s6 } = f.students;
    const { math, rus, eng } = f.subjects;
    const grades: [number, number, string][] = [
      [s1, math, "5"],
      [s2, math, "4"],
      [s3, math, "2"],
      [s4, math, "5"], // left before the period end: not counted
      [s1, rus, "4"],
      [s2, rus, "н/а"],
      [s3, rus, "осв"],
      [s1, eng, "5"],
      [s2, eng, "3"],
      [s3, eng, "4"],
      [s6, math, "3"], // s7 has no term mark in mathematics
    ];
    await db.prisma.termGrade.createMany({
      data: grades.map(([studentId, subjectId, value]) => ({
        schoolId: f.schoolId,
        studentId,
        subjectId,
        periodId: f.q1,
        value,
        authorId: f.people.t1,
      })),
    });
    // another period's mark never leaks in
    await db.prisma.termGrade.create({
      data: { schoolId: f.schoolId, studentId: s1, subjectId: math, periodId: f.q2, value: "2", authorId: f.people.t1 },
    });
  });
  afterAll(() => db.drop());

  it("R-27 by class: formulas of RULES.md over students enrolled at the period end", async () => {
    const r = await performanceReport(db.prisma, f.deputy, { periodId: f.q1, by: "class" });
    expect(r.asOf).toBe("2025-10-26");
    expect(r.rows.map((x) => x.label)).toEqual(["5А", "6Б"]);
    expect(r.rows[0]).toMatchObject({
      id: f.classes.c5,
      attested: 8,
      n5: 2,
      n4: 3,
      n3: 1,
      n2: 1,
      nNa: 1,
      nExempt: 1,
      nMissing: 0,
      successPct: 75,
      qualityPct: 62.5,
      souPct: 56.4, // (2·100 + 3·64 + 36 + 16 + 7) / 8
    });
    expect(r.rows[1]).toMatchObject({ attested: 1, nMissing: 1, successPct: 100, qualityPct: 0, souPct: 36 });
    expect(r.total).toMatchObject({ attested: 9, nMissing: 1, n5: 2, n2: 1 });
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it("R-27 by subject", async () => {
    const r = await performanceReport(db.prisma, f.deputy, { periodId: f.q1, by: "subject" });
    const bySubject = Object.fromEntries(r.rows.map((x) => [x.label, x]));
    expect(Object.keys(bySubject).sort()).toEqual(["Английский язык", "Математика", "Русский язык"]);
    expect(bySubject["Математика"]).toMatchObject({
      attested: 4,
      nMissing: 1,
      successPct: 75,
      qualityPct: 50,
      souPct: 54,
    });
    expect(bySubject["Русский язык"]).toMatchObject({
      attested: 2,
      nExempt: 1,
      successPct: 50,
      qualityPct: 50,
      souPct: 35.5,
    });
    expect(bySubject["Английский язык"]).toMatchObject({
      attested: 3,
      successPct: 100,
      qualityPct: 66.7,
      souPct: 66.7,
    });
  });

  it("R-27 by teacher: subgroup marks go to the subgroup's teacher", async () => {
    const r = await performanceReport(db.prisma, f.deputy, { periodId: f.q1, by: "teacher" });
    const byId = new Map(r.rows.map((x) => [x.id, x]));
    expect(byId.get(f.people.t1)).toMatchObject({ label: "Иванова М. И.", attested: 4, successPct: 75 });
    expect(byId.get(f.people.t2)).toMatchObject({ attested: 2, nExempt: 1 });
    expect(byId.get(f.people.t3)).toMatchObject({
      label: "Смит Д.",
      attested: 2,
      successPct: 100,
      qualityPct: 50,
      souPct: 68,
    });
    expect(byId.get(f.people.t4)).toMatchObject({ attested: 1, n4: 1, qualityPct: 100, souPct: 64 });
    expect(r.rows).toHaveLength(4);
  });

  it("R-27 a period of another school is not found; the other school's marks never count", async () => {
    await expect(performanceReport(db.prisma, f.deputy, { periodId: other.periodId, by: "class" })).rejects.toSatisfy(
      (e) => isAppError(e, "NOT_FOUND"),
    );
    const theirs = await performanceReport(db.prisma, systemActor(other.schoolId), {
      periodId: other.periodId,
      by: "class",
    });
    expect(theirs.total).toMatchObject({ attested: 1, n2: 1 });
  });

  it("R-26/R-27 reports are for the administration only", async () => {
    await expect(performanceReport(db.prisma, f.teacher, { periodId: f.q1, by: "class" })).rejects.toSatisfy((e) =>
      isAppError(e, "FORBIDDEN"),
    );
    await expect(performanceReport(db.prisma, f.deputy, { periodId: f.q1, by: "pupil" as "class" })).rejects.toSatisfy(
      (e) => isAppError(e, "VALIDATION"),
    );
  });

  it("R-27 a period without term marks: everyone missing, no percentages", async () => {
    await db.prisma.termGrade.deleteMany({ where: { periodId: f.q2 } });
    const r = await performanceReport(db.prisma, f.deputy, { periodId: f.q2, by: "class" });
    // Q2 ends 2025-12-28: 5А has s1, s2, s3, s5 (s4 left) × 3 subjects, 6Б 2 × 1
    expect(r.total).toMatchObject({ attested: 0, nMissing: 14, successPct: null, qualityPct: null, souPct: null });
  });
});
