// Hand-computed figures of every report kind on one fixture week (2025-10-06..12) and quarter (Q1), with a
// student who moved from 5А to 6Б on 2025-10-08 (Зайцев) and one exempt from Russian (Васильев, «осв»).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../../src/core/actor.ts";
import { fromIsoDate } from "../../../src/core/dates.ts";
import { isAppError } from "../../../src/core/errors.ts";
import { buildReport, type ReportData } from "../../../src/core/reports/build-report.ts";
import { printedJournal } from "../../../src/core/reports/printed-journal.ts";
import { createTestDb, type TestDb } from "../../helpers/db.ts";
import { type ReportSchool, seedReportSchool } from "./fixture.ts";

const d = fromIsoDate;
const at = (iso: string) => new Date(iso);

describe("reports for a span and a scope", () => {
  let db: TestDb;
  let f: ReportSchool;
  let s8: number;
  let classTeacher: Actor;
  const guardians: Record<string, number> = {};

  beforeAll(async () => {
    db = await createTestDb();
    f = await seedReportSchool(db.prisma);
    const p = db.prisma;
    const schoolId = f.schoolId;
    const { c5, c6 } = f.classes;
    const { s1, s2, s3, s6 } = f.students;
    const { math, rus, eng } = f.subjects;
    classTeacher = { personId: f.people.t2, schoolId, roles: ["TEACHER"] };
    // Зайцев moves from 5А to 6Б on 2025-10-08
    const zp = await p.person.create({ data: { schoolId, lastName: "Зайцев", firstName: "Ученик" } });
    s8 = (await p.student.create({ data: { schoolId, personId: zp.id } })).id;
    await p.enrollment.create({
      data: { schoolId, studentId: s8, classId: c5, fromDate: d("2025-09-01"), toDate: d("2025-10-08") },
    });
    await p.enrollment.create({ data: { schoolId, studentId: s8, classId: c6, fromDate: d("2025-10-08") } });

    const lesson = (assignmentId: number, date: string, extra: Record<string, unknown> = {}) =>
      p.lesson.create({ data: { schoolId, assignmentId, date: d(date), slot: 1, ...extra } });
    const { a5math, a5rus, a5eng1, a6math } = f.assignments;
    const taken = { attendanceTakenAt: at("2025-10-06T09:00:00Z"), status: "HELD" as const };
    const l1 = await lesson(a5math, "2025-10-06", { topic: "Дроби", ...taken });
    const l2 = await lesson(a5math, "2025-10-07");
    const l3 = await lesson(a5rus, "2025-10-09", { topic: "Текст" });
    const l4 = await lesson(a6math, "2025-10-09", { topic: "Проценты", ...taken });
    await lesson(a5eng1, "2025-10-08");
    const l6 = await lesson(a5rus, "2025-10-14", { topic: "Диктант" }); // outside the week, inside Q1
    await p.homework.create({
      data: { schoolId, lessonId: l1.id, text: "№ 12", dueDate: d("2025-10-07"), authorId: f.people.t1 },
    });
    const mark = (
      lessonId: number,
      date: string,
      studentId: number,
      subjectId: number,
      value: string,
      createdAt?: string,
    ) =>
      p.mark.create({
        data: {
          schoolId,
          lessonId,
          date: d(date),
          studentId,
          subjectId,
          workType: "oral",
          weight: 1,
          value,
          authorId: f.people.t1,
          createdAt: at(createdAt ?? `${date}T10:00:00Z`),
        },
      });
    await mark(l1.id, "2025-10-06", s1, math, "5");
    await mark(l1.id, "2025-10-06", s2, math, "4");
    await mark(l1.id, "2025-10-06", s8, math, "3");
    await mark(l2.id, "2025-10-07", s1, math, "4", "2025-10-20T10:00:00Z"); // entered late
    await mark(l3.id, "2025-10-09", s1, rus, "5");
    await mark(l3.id, "2025-10-09", s2, rus, "2");
    await mark(l4.id, "2025-10-09", s8, math, "5");
    await mark(l4.id, "2025-10-09", s6, math, "4");
    await mark(l6.id, "2025-10-14", s2, rus, "2");
    // Васильев misses three days without a reason: systematic absence
    for (const [lessonId, classId, date] of [
      [l1.id, c5, "2025-10-06"],
      [l2.id, c5, "2025-10-07"],
      [l3.id, c5, "2025-10-09"],
    ] as const) {
      await p.attendance.create({
        data: { schoolId, lessonId, classId, studentId: s3, date: d(date), status: "ABSENT", updatedById: f.people.t1 },
      });
    }
    // Q1 term marks; Васильев is exempt from Russian
    const grades: [number, number, string][] = [
      [s1, math, "5"],
      [s2, math, "4"],
      [s3, math, "3"],
      [s1, rus, "4"],
      [s2, rus, "3"],
      [s3, rus, "осв"],
      [s1, eng, "5"],
      [s2, eng, "4"],
      [s8, math, "5"],
    ];
    await p.termGrade.createMany({
      data: grades.map(([studentId, subjectId, value]) => ({
        schoolId,
        studentId,
        subjectId,
        periodId: f.q1,
        value,
        authorId: f.people.t1,
      })),
    });
    // guardians and their diary views (Moscow time: 22:30Z on the 12th is already the 13th)
    for (const [key, studentId] of [
      ["g1", s1],
      ["g2", s2],
      ["g3", s8],
    ] as const) {
      const g = await p.person.create({
        data: { schoolId, lastName: `Родитель${key}`, firstName: "Мария", middleName: "Ивановна" },
      });
      await p.guardianship.create({
        data: { schoolId, guardianId: g.id, studentId, relation: "мать", consentGivenAt: new Date() },
      });
      guardians[key] = g.id;
    }
    const s2person = (await p.student.findUniqueOrThrow({ where: { id: s2 } })).personId;
    const view = (viewerId: number, studentId: number, iso: string) =>
      p.viewLog.create({ data: { schoolId, viewerId, studentId, what: "day", createdAt: at(iso) } });
    await view(guardians.g1, s1, "2025-10-06T08:00:00Z");
    await view(guardians.g1, s1, "2025-10-06T15:00:00Z");
    await view(guardians.g1, s1, "2025-10-07T15:00:00Z");
    await view(guardians.g1, s1, "2025-10-12T22:30:00Z"); // the 13th in Moscow: outside
    await view(guardians.g3, s8, "2025-10-10T12:00:00Z");
    await view(s2person, s2, "2025-10-08T12:00:00Z");
  });
  afterAll(() => db.drop());

  const week = { span: "week" as const, at: "2025-10-08" };
  const quarter = { span: "period" as const, at: "2025-10-08" };
  const pairs = (rows: { studentId: number; subjectId: number }[]) => rows.map((r) => [r.studentId, r.subjectId]);
  const only = <K extends ReportData["kind"]>(r: ReportData, kind: K) => {
    if (r.kind !== kind) throw new Error(r.kind);
    return r as Extract<ReportData, { kind: K }>;
  };

  it("R-26 filling control of a class for a week: lessons, teachers, gaps on the lesson's date, late marks", async () => {
    const r = only(
      await buildReport(db.prisma, f.deputy, {
        kind: "filling",
        span: week,
        scope: { kind: "class", classId: f.classes.c5 },
      }),
      "filling",
    );
    expect(r.header).toMatchObject({ from: "2025-10-06", to: "2025-10-12", scopeLabel: "5А" });
    expect(r.filling.lessons).toEqual({ total: 4, withoutTopic: 2, withoutHomework: 3, withoutAttendance: 3 });
    expect(r.filling.teachers).toEqual({ total: 3, withEntries: 2, withEntriesPct: 66.7 });
    expect(r.filling.marks).toEqual({ total: 6, late: 1 });
    expect(r.filling.byTeacher.find((t) => t.teacherId === f.people.t1)).toMatchObject({ lessons: 2, lateMarks: 1 });
    const { s1, s2, s3 } = f.students;
    const { math, rus, eng } = f.subjects;
    // Зайцев had the two mathematics lessons in 5А (one mark) but not the Russian one after he moved;
    // Васильев is exempt from Russian
    expect(pairs(r.filling.studentsWithoutMarks)).toEqual([
      [s1, eng],
      [s2, eng],
      [s3, math],
    ]);
    expect(pairs(r.filling.studentsWithOneMark)).toEqual([
      [s1, rus],
      [s2, math],
      [s2, rus],
      [s8, math],
    ]);
  });

  it("R-26/R-23 diary use: shares of parents and students, and each family's views in school-local days", async () => {
    const r = only(
      await buildReport(db.prisma, classTeacher, {
        kind: "filling",
        span: week,
        scope: { kind: "class", classId: f.classes.c5 },
      }),
      "filling",
    );
    expect(r.diary).toMatchObject({
      students: 4,
      studentsUsing: 1,
      studentsUsingPct: 25,
      parents: 3,
      parentsUsing: 2,
      parentsUsingPct: 66.7,
    });
    const fam = new Map(r.diary.families.map((x) => [x.studentId, x]));
    expect(fam.get(f.students.s1)?.guardians[0]).toMatchObject({
      guardianId: guardians.g1,
      views: 3,
      days: 2,
      lastView: "2025-10-07",
    });
    expect(fam.get(f.students.s2)?.guardians[0]).toMatchObject({ views: 0, days: 0, lastView: null });
    expect(fam.get(f.students.s2)?.studentViews).toBe(1);
    expect(fam.get(s8)?.guardians[0]).toMatchObject({ views: 1, lastView: "2025-10-10" });
  });

  it("R-27 performance of a class for the quarter from term marks: the mover counts in 6Б, «осв» is out of N", async () => {
    const r = only(
      await buildReport(db.prisma, f.deputy, {
        kind: "performance",
        span: quarter,
        scope: { kind: "class", classId: f.classes.c5 },
      }),
      "performance",
    );
    expect(r.performance.source).toBe("term");
    expect(r.performance.total).toMatchObject({
      attested: 7,
      n5: 2,
      n4: 3,
      n3: 2,
      nExempt: 1,
      nMissing: 1,
      successPct: 100,
      qualityPct: 71.4,
      souPct: 66.3,
      averageMark: 4,
    });
    const bySubject = Object.fromEntries(r.performance.bySubject.map((x) => [x.label, x]));
    const cases: [string, Record<string, number | null>][] = [
      ["Математика", { attested: 3, qualityPct: 66.7, souPct: 66.7, averageMark: 4 }],
      ["Русский язык", { attested: 2, nExempt: 1, qualityPct: 50, souPct: 50, averageMark: 3.5 }],
      ["Английский язык", { attested: 2, nMissing: 1, qualityPct: 100, souPct: 82, averageMark: 4.5 }],
    ];
    for (const [subject, expected] of cases) expect(bySubject[subject], subject).toMatchObject(expected);
    expect(r.performance.systematicAbsence).toEqual([
      {
        studentId: f.students.s3,
        label: "Васильев Ученик",
        className: "5А",
        days: 3,
        from: "2025-10-06",
        to: "2025-10-19",
      },
    ]);
    expect(r.performance.systematicFailing).toEqual([
      expect.objectContaining({
        studentId: f.students.s2,
        subjectName: "Русский язык",
        average: 2,
        reasons: ["consecutive", "average"],
      }),
    ]);
  });

  it("R-27 performance for a week from current marks through the thresholds; exempt stays exempt", async () => {
    const r = only(
      await buildReport(db.prisma, f.deputy, {
        kind: "performance",
        span: week,
        scope: { kind: "class", classId: f.classes.c5 },
      }),
      "performance",
    );
    expect(r.performance.source).toBe("current");
    expect(r.performance.total).toMatchObject({
      attested: 4,
      n5: 1,
      n4: 2,
      n2: 1,
      nExempt: 1,
      nMissing: 4,
      successPct: 75,
      qualityPct: 75,
      souPct: 61,
      averageMark: 3.75,
    });
  });

  it("R-27 scopes: the school, a parallel, a subject, a teacher", async () => {
    const cases: [Parameters<typeof buildReport>[2]["scope"], number][] = [
      [{ kind: "school" }, 8], // 5А's 7 + 6Б's one: Зайцев's 5 (Егоров and Жуков have none)
      [{ kind: "parallel", grade: 6 }, 1],
      [{ kind: "subject", subjectId: f.subjects.math }, 4],
      [{ kind: "teacher", teacherId: f.people.t3 }, 2],
    ];
    for (const [scope, attested] of cases) {
      const r = only(
        await buildReport(db.prisma, f.deputy, { kind: "performance", span: quarter, scope }),
        "performance",
      );
      expect(r.performance.total.attested, scope.kind).toBe(attested);
    }
  });

  it("R-28 accumulation against weekly hours for the quarter, per class a student was in", async () => {
    const r = only(
      await buildReport(db.prisma, f.deputy, {
        kind: "accumulation",
        span: quarter,
        scope: { kind: "subject", subjectId: f.subjects.math },
      }),
      "accumulation",
    );
    const rows = r.accumulation.rows.map((x) => [x.label, x.className, x.marks, x.expectedMin, x.shortBy]);
    // 1 hour a week: 8 weeks → 8 lessons → 2 marks; Григорьев was in 5А 30 days, Зайцев 37 (5А) and 19 (6Б)
    expect(rows).toEqual([
      ["Алексеев Ученик", "5А", 2, 2, 0],
      ["Борисов Ученик", "5А", 1, 2, 1],
      ["Васильев Ученик", "5А", 0, 2, 2],
      ["Григорьев Ученик", "5А", 0, 1, 1],
      ["Зайцев Ученик", "5А", 1, 1, 0],
      ["Егоров Ученик", "6Б", 1, 2, 1],
      ["Жуков Ученик", "6Б", 0, 2, 2],
      ["Зайцев Ученик", "6Б", 1, 0, 0],
    ]);
    expect(r.accumulation).toMatchObject({ pairs: 8, below: 5, belowPct: 62.5 });
  });

  it("R-23 access: a class teacher for their own class only; other teachers never; tampered scopes refused", async () => {
    const teacher = f.teacher;
    const refused: [Actor, Parameters<typeof buildReport>[2]["scope"], string][] = [
      [teacher, { kind: "class", classId: f.classes.c5 }, "FORBIDDEN"],
      [classTeacher, { kind: "class", classId: f.classes.c6 }, "FORBIDDEN"],
      [classTeacher, { kind: "school" }, "FORBIDDEN"],
      [f.deputy, { kind: "class", classId: 999_999 }, "FORBIDDEN"],
      [f.deputy, { kind: "parallel", grade: 42 }, "VALIDATION"],
      [f.deputy, { kind: "pupil" } as never, "VALIDATION"],
    ];
    for (const [actor, scope, code] of refused) {
      await expect(
        buildReport(db.prisma, actor, { kind: "filling", span: week, scope }),
        JSON.stringify(scope),
      ).rejects.toSatisfy((e) => isAppError(e, code as "FORBIDDEN"));
    }
    await expect(printedJournal(db.prisma, teacher, { classId: f.classes.c5, periodId: f.q1 })).rejects.toSatisfy((e) =>
      isAppError(e, "FORBIDDEN"),
    );
  });

  it("R-29 printed journal data: a page per subject or subgroup, «н» and marks per date, term marks, summary", async () => {
    const j = await printedJournal(db.prisma, classTeacher, { classId: f.classes.c5, periodId: f.q1 });
    expect(j.subjects.map((s) => [s.subjectName, s.subgroup])).toEqual([
      ["Английский язык", 1],
      ["Английский язык", 2],
      ["Математика", null],
      ["Русский язык", null],
    ]);
    expect(j.students.map((s) => s.label)).toEqual([
      "Алексеев Ученик",
      "Борисов Ученик",
      "Васильев Ученик",
      "Григорьев Ученик",
      "Зайцев Ученик",
    ]);
    const m = j.subjects[2];
    expect(m.lessons.map((l) => [l.date, l.topic, l.homework])).toEqual([
      ["2025-10-06", "Дроби", "№ 12"],
      ["2025-10-07", "", ""],
    ]);
    expect(m.cells).toEqual([
      ["5", "4"],
      ["4", ""],
      ["н", "н"],
      ["", ""],
      ["3", ""],
    ]);
    expect(m.termMarks).toEqual(["5", "4", "3", "", ""]);
    expect(j.summary.subjects).toEqual(["Английский язык", "Математика", "Русский язык"]);
    expect(j.summary.marks[2]).toEqual(["", "3", "осв"]);
    expect(j.classTeacher).toBe("Петров О. С.");
  });
});
