import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, localMoment, zonedInstant } from "../../../src/core/dates.ts";
import { type ErrorCode, isAppError } from "../../../src/core/errors.ts";
import { correctMark } from "../../../src/core/journal/corrections.ts";
import { addMarks } from "../../../src/core/journal/marks.ts";
import { closePeriod, listPeriods } from "../../../src/core/journal/periods.ts";
import { setTermGrade, termGradeDeadlines, termSheet } from "../../../src/core/journal/term-grades.ts";
import { createTestDb, type TestDb } from "../../helpers/db.ts";
import { buildSchool, lessonOf, type TestSchool } from "../../helpers/factories.ts";

const code = (c: ErrorCode) => (e: unknown) => isAppError(e, c);

describe("R-16 term marks and closing a period", () => {
  let db: TestDb;
  let s: TestSchool;
  let lastMonday: string;
  let periodEnd: string;

  beforeAll(async () => {
    db = await createTestDb();
    s = await buildSchool(db.prisma, { today: localMoment("Europe/Moscow").date });
    lastMonday = addDays(s.monday, -7);
    periodEnd = addDays(s.monday, 30);
    const math = await s.actor(s.people.mathTeacher);
    const l1 = await lessonOf(db.prisma, s.assignments.algebra7b, lastMonday);
    const l2 = await lessonOf(db.prisma, s.assignments.algebra7b, addDays(lastMonday, 1));
    const [a, b, c] = s.students.c7b;
    // a: 5 for a control work (weight 2) and 3 for an oral answer (weight 1) → 13/3 = 4.33
    await addMarks(db.prisma, math, {
      lessonId: l1,
      workType: "control",
      entries: [
        { studentId: a, value: "5" },
        { studentId: b, value: "5" },
      ],
    });
    await addMarks(db.prisma, math, {
      lessonId: l2,
      workType: "oral",
      entries: [
        { studentId: a, value: "3" },
        { studentId: b, value: "5" },
        { studentId: c, value: "н/а" },
      ],
    });
    // a superseded mark does not count: b's 5 (oral) becomes 4 → (5·2 + 4)/3 = 4.67
    const bOral = await db.prisma.mark.findFirstOrThrow({ where: { lessonId: l2, studentId: b } });
    await correctMark(
      db.prisma,
      math,
      { markId: bOral.id, value: "4", reason: "перепутал" },
      { now: new Date(Date.now() + 3_600_000) },
    );
  });
  afterAll(() => db.drop());

  it("R-16 suggestion from the weighted average with the school's thresholds (5 control ×2 + 3 oral ×1 = 4.33 → 4)", async () => {
    const math = await s.actor(s.people.mathTeacher);
    const sheet = await termSheet(db.prisma, math, { assignmentId: s.assignments.algebra7b, periodId: s.periodId });
    expect(sheet.students.map((r) => r.studentId)).toEqual(s.students.c7b);
    const [a, b, c, d] = sheet.students;
    expect(a).toMatchObject({ average: 4.33, suggested: "4", marksCount: 2, termGrade: null });
    expect(b).toMatchObject({ average: 4.67, suggested: "5", marksCount: 2 });
    expect(c).toMatchObject({ average: null, suggested: null, marksCount: 1 });
    expect(d).toMatchObject({ average: null, suggested: null, marksCount: 0 });
    expect(sheet.deadline).toBe(addDays(periodEnd, 2));
    expect(sheet.overdue).toBe(false);
    expect(JSON.parse(JSON.stringify(sheet))).toEqual(sheet);
    // the class teacher of 8А teaches russian in 7Б but not algebra: not their sheet
    await expect(
      termSheet(db.prisma, await s.actor(s.people.englishTeacher1), {
        assignmentId: s.assignments.algebra7b,
        periodId: s.periodId,
      }),
    ).rejects.toSatisfy(code("FORBIDDEN"));
  });

  it("R-16 the teacher sets term marks (scale, «н/а», «осв», «зач»); other teachers cannot; the deputy can", async () => {
    const math = await s.actor(s.people.mathTeacher);
    const key = { assignmentId: s.assignments.algebra7b, periodId: s.periodId };
    const [a, b, c, d] = s.students.c7b;
    const res = await setTermGrade(db.prisma, math, { ...key, studentId: a, value: "4" });
    expect(res).toMatchObject({ value: "4", previous: null, late: false });
    expect((await setTermGrade(db.prisma, math, { ...key, studentId: a, value: "5" })).previous).toBe("4");
    await setTermGrade(db.prisma, math, { ...key, studentId: c, value: "н/а" });
    await setTermGrade(db.prisma, math, { ...key, studentId: d, value: "осв" });
    await setTermGrade(db.prisma, math, { ...key, studentId: b, value: "зачёт" });
    expect((await db.prisma.termGrade.findFirstOrThrow({ where: { studentId: b } })).value).toBe("зач");
    for (const value of ["6", "5+", ""]) {
      await expect(setTermGrade(db.prisma, math, { ...key, studentId: a, value })).rejects.toSatisfy(
        code("VALIDATION"),
      );
    }
    await expect(setTermGrade(db.prisma, math, { ...key, studentId: s.students.c8a[0], value: "4" })).rejects.toSatisfy(
      code("VALIDATION"),
    );
    await expect(
      setTermGrade(db.prisma, await s.actor(s.people.russianTeacher), { ...key, studentId: a, value: "2" }),
    ).rejects.toSatisfy(code("FORBIDDEN"));
    await expect(
      setTermGrade(db.prisma, await s.actor(s.guardians.get(a)![0]), { ...key, studentId: a, value: "5" }),
    ).rejects.toSatisfy(code("FORBIDDEN"));
    const deputy = await s.actor(s.people.deputy);
    await setTermGrade(db.prisma, deputy, { ...key, studentId: s.students.c7b[4], value: "3" });
    const audit = await db.prisma.auditEvent.findMany({ where: { schoolId: s.schoolId, action: "term-grade.set" } });
    expect(audit.length).toBe(6);
    expect(audit[1].data).toMatchObject({ old: "4", new: "5" });
    const sheet = await termSheet(db.prisma, deputy, key);
    expect(sheet.students[0].termGrade?.value).toBe("5");
    // no term marks in grade 2
    await expect(
      setTermGrade(db.prisma, await s.actor(s.people.russianTeacher), {
        assignmentId: s.assignments.reading2a,
        periodId: s.periodId,
        studentId: s.students.c2a[0],
        value: "5",
      }),
    ).rejects.toSatisfy(code("NO_MARKS_FOR_GRADE"));
  });

  it("R-16 deadline control: assignments still missing term marks after the deadline", async () => {
    const deputy = await s.actor(s.people.deputy);
    const after = { now: zonedInstant("Europe/Moscow", addDays(periodEnd, 3), "09:00") };
    const res = await termGradeDeadlines(db.prisma, deputy, { periodId: s.periodId }, after);
    expect(res).toMatchObject({ deadline: addDays(periodEnd, 2), overdue: true });
    const algebra = res.assignments.find((x) => x.assignmentId === s.assignments.algebra7b);
    expect(algebra).toMatchObject({ students: 6, missing: 1, className: "7Б" });
    const eng = res.assignments.find((x) => x.assignmentId === s.assignments.eng7b1);
    expect(eng).toMatchObject({ students: 3, missing: 3 });
    // grades without marks are not listed
    expect(res.assignments.some((x) => x.assignmentId === s.assignments.reading2a)).toBe(false);
    const before = await termGradeDeadlines(db.prisma, deputy, { periodId: s.periodId });
    expect(before.overdue).toBe(false);
    const sheet = await termSheet(
      db.prisma,
      deputy,
      { assignmentId: s.assignments.algebra7b, periodId: s.periodId },
      after,
    );
    expect(sheet.overdue).toBe(true);
    // a teacher sees only their own assignments; a guardian nothing
    const mine = await termGradeDeadlines(db.prisma, await s.actor(s.people.englishTeacher1), { periodId: s.periodId });
    expect(mine.assignments.map((x) => x.assignmentId)).toEqual([s.assignments.eng7b1]);
    await expect(
      termGradeDeadlines(db.prisma, await s.actor(s.guardians.get(s.students.c7b[0])![0]), { periodId: s.periodId }),
    ).rejects.toSatisfy(code("FORBIDDEN"));
  });

  it("R-16 closing the period locks its marks and term marks: LOCKED_PERIOD", async () => {
    const math = await s.actor(s.people.mathTeacher);
    await expect(closePeriod(db.prisma, math, { periodId: s.periodId })).rejects.toSatisfy(code("FORBIDDEN"));
    const deputy = await s.actor(s.people.deputy);
    const closed = await closePeriod(db.prisma, deputy, { periodId: s.periodId });
    expect(closed.alreadyClosed).toBe(false);
    expect(closed.period.closedAt).not.toBeNull();
    expect((await closePeriod(db.prisma, deputy, { periodId: s.periodId })).alreadyClosed).toBe(true);
    expect(
      (await listPeriods(db.prisma, math)).periods.find((p) => p.periodId === s.periodId)?.closedAt,
    ).not.toBeNull();

    const lessonId = await lessonOf(db.prisma, s.assignments.algebra7b, addDays(lastMonday, 2));
    await expect(
      addMarks(db.prisma, math, {
        lessonId,
        workType: "oral",
        entries: [{ studentId: s.students.c7b[0], value: "5" }],
      }),
    ).rejects.toSatisfy(code("LOCKED_PERIOD"));
    const key = { assignmentId: s.assignments.algebra7b, periodId: s.periodId, studentId: s.students.c7b[5] };
    await expect(setTermGrade(db.prisma, math, { ...key, value: "4" })).rejects.toSatisfy(code("LOCKED_PERIOD"));
    // the administration corrects a closed period's term mark only with a reason, audited with it
    await expect(setTermGrade(db.prisma, deputy, { ...key, value: "4" })).rejects.toSatisfy(code("VALIDATION"));
    await setTermGrade(db.prisma, deputy, { ...key, value: "4", reason: "решение педсовета" });
    const audit = await db.prisma.auditEvent.findFirstOrThrow({
      where: { schoolId: s.schoolId, action: "term-grade.set", actorId: s.people.deputy },
      orderBy: { id: "desc" },
    });
    expect(audit.data).toMatchObject({ new: "4", reason: "решение педсовета", closedPeriod: true });
    const sheet = await termSheet(db.prisma, math, { assignmentId: s.assignments.algebra7b, periodId: s.periodId });
    expect(sheet.locked).toBe(true);
    expect(await db.prisma.outbox.count({ where: { schoolId: s.schoolId, kind: "period.closed" } })).toBe(1);
  });
});
