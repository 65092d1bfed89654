import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "../../../src/core/audit.ts";
import { addDays, fromIsoDate, localMoment, zonedInstant } from "../../../src/core/dates.ts";
import { type ErrorCode, isAppError } from "../../../src/core/errors.ts";
import { addMarks } from "../../../src/core/journal/marks.ts";
import { closePeriod } from "../../../src/core/journal/periods.ts";
import { createTestDb, type TestDb } from "../../helpers/db.ts";
import { buildSchool, lessonOf, type TestSchool } from "../../helpers/factories.ts";

const code = (c: ErrorCode) => (e: unknown) => isAppError(e, c);
const at = (date: string, time = "12:00") => ({ now: zonedInstant("Europe/Moscow", date, time) });

describe("marks", () => {
  let db: TestDb;
  let s: TestSchool;
  let today: string;
  let lastMonday: string;
  const counts = async () => ({
    marks: await db.prisma.mark.count({ where: { schoolId: s.schoolId } }),
    audit: await db.prisma.auditEvent.count({ where: { schoolId: s.schoolId } }),
    outbox: await db.prisma.outbox.count({ where: { schoolId: s.schoolId } }),
  });

  beforeAll(async () => {
    db = await createTestDb();
    today = localMoment("Europe/Moscow").date;
    s = await buildSchool(db.prisma, { today });
    lastMonday = addDays(s.monday, -7);
  });
  afterAll(() => db.drop());

  it("bulk entry for a whole roster in one call: weights copied, date and subject denormalised, announced after grace", async () => {
    const math = await s.actor(s.people.mathTeacher);
    const lessonId = await lessonOf(db.prisma, s.assignments.algebra7b, lastMonday);
    const clock = at(lastMonday, "09:00");
    const res = await addMarks(
      db.prisma,
      math,
      {
        lessonId,
        workType: "control",
        entries: s.students.c7b.map((studentId, i) => ({
          studentId,
          value: String(2 + (i % 4)),
          comment: i ? undefined : "молодец",
        })),
      },
      clock,
    );
    expect(res.marks).toHaveLength(s.students.c7b.length);
    expect(res).toMatchObject({ lessonId, date: lastMonday, workType: "control", weight: 2, lateEntry: false });
    expect(res.marks.map((m) => m.studentId)).toEqual(s.students.c7b);
    expect(res.marks[0]).toMatchObject({
      value: "2",
      comment: "молодец",
      status: "ACTIVE",
      authorId: s.people.mathTeacher,
    });
    expect(JSON.parse(JSON.stringify(res))).toEqual(res); // plain JSON

    const rows = await db.prisma.mark.findMany({ where: { lessonId }, orderBy: { id: "asc" } });
    expect(rows.every((m) => m.subjectId === s.subjects.algebra && m.weight.toNumber() === 2)).toBe(true);
    expect(rows.every((m) => m.date.getTime() === fromIsoDate(lastMonday).getTime())).toBe(true);
    const out = await db.prisma.outbox.findMany({ where: { schoolId: s.schoolId, kind: "mark.created" } });
    expect(out.map((o) => o.payload)).toEqual(expect.arrayContaining(res.marks.map((m) => ({ markId: m.markId }))));
    // announced only after the author's grace period (default 10 minutes)
    expect(out[0].availableAt.getTime()).toBe(clock.now.getTime() + 10 * 60_000);
    const audit = await db.prisma.auditEvent.findMany({ where: { schoolId: s.schoolId, action: "mark.create" } });
    expect(audit).toHaveLength(res.marks.length);
  });

  it("several marks per student per lesson are allowed; «н/а» when the school allows it", async () => {
    const math = await s.actor(s.people.mathTeacher);
    const lessonId = await lessonOf(db.prisma, s.assignments.algebra7b, addDays(lastMonday, 1));
    const st = s.students.c7b[1];
    await addMarks(db.prisma, math, { lessonId, workType: "oral", entries: [{ studentId: st, value: "5" }] });
    await addMarks(db.prisma, math, { lessonId, workType: "homework", entries: [{ studentId: st, value: " Н/А " }] });
    const marks = await db.prisma.mark.findMany({ where: { lessonId, studentId: st }, orderBy: { id: "asc" } });
    expect(marks.map((m) => m.value)).toEqual(["5", "н/а"]);
  });

  it("R-14 no marks in grade 2 (class 2А): NO_MARKS_FOR_GRADE and nothing written", async () => {
    const rus = await s.actor(s.people.russianTeacher);
    const lessonId = await lessonOf(db.prisma, s.assignments.reading2a, lastMonday);
    const before = await counts();
    await expect(
      addMarks(db.prisma, rus, { lessonId, workType: "oral", entries: [{ studentId: s.students.c2a[0], value: "5" }] }),
    ).rejects.toSatisfy(code("NO_MARKS_FOR_GRADE"));
    expect(await counts()).toEqual(before);
  });

  it("bulk entry with one student not on the roster → VALIDATION naming it, and nothing written", async () => {
    const math = await s.actor(s.people.mathTeacher);
    const lessonId = await lessonOf(db.prisma, s.assignments.algebra7b, addDays(lastMonday, 2));
    const entries = s.students.c7b.map((studentId) => ({ studentId, value: "4" }));
    entries.splice(3, 0, { studentId: s.students.c8a[0], value: "5" });
    const before = await counts();
    const err = await addMarks(db.prisma, math, { lessonId, workType: "oral", entries }).catch((e) => e);
    expect(isAppError(err, "VALIDATION")).toBe(true);
    expect(err.details.issues).toEqual([
      expect.objectContaining({ path: "entries.3.studentId", code: "not_on_roster" }),
    ]);
    expect(await counts()).toEqual(before);

    // a subgroup's lesson takes only that subgroup's students
    const eng = await s.actor(s.people.englishTeacher1);
    const engLesson = await lessonOf(db.prisma, s.assignments.eng7b1, lastMonday);
    await expect(
      addMarks(db.prisma, eng, {
        lessonId: engLesson,
        workType: "oral",
        entries: [{ studentId: s.students.c7b[1], value: "5" }],
      }),
    ).rejects.toSatisfy(code("VALIDATION"));
    expect(await counts()).toEqual(before);
  });

  it("every bad value and an unknown work type are listed in the VALIDATION details", async () => {
    const math = await s.actor(s.people.mathTeacher);
    const lessonId = await lessonOf(db.prisma, s.assignments.algebra7b, lastMonday);
    const err = await addMarks(db.prisma, math, {
      lessonId,
      workType: "karate",
      entries: [
        { studentId: s.students.c7b[0], value: "6" },
        { studentId: s.students.c7b[1], value: "5" },
        { studentId: s.students.c7b[2], value: "5+" },
      ],
    }).catch((e) => e);
    expect(isAppError(err, "VALIDATION")).toBe(true);
    expect(err.details.issues.map((i: { path: string }) => i.path).sort()).toEqual([
      "entries.0.value",
      "entries.2.value",
      "workType",
    ]);
    await expect(addMarks(db.prisma, math, { lessonId, workType: "oral", entries: [] })).rejects.toSatisfy(
      code("VALIDATION"),
    );
  });

  it("R-02 R-05 R-06 only the lesson's teacher writes: another teacher, a guardian, the student, the deputy are refused", async () => {
    const lessonId = await lessonOf(db.prisma, s.assignments.algebra7b, lastMonday);
    const st = s.students.c7b[0];
    const before = await counts();
    for (const person of [
      s.people.russianTeacher,
      s.people.otherTeacher,
      s.guardians.get(st)![0],
      s.studentPerson.get(st)!,
      s.people.deputy,
    ]) {
      await expect(
        addMarks(db.prisma, await s.actor(person), {
          lessonId,
          workType: "oral",
          entries: [{ studentId: st, value: "5" }],
        }),
      ).rejects.toSatisfy(code("FORBIDDEN"));
    }
    // a tampered lesson id is refused before the input is looked at
    await expect(
      addMarks(db.prisma, await s.actor(s.people.mathTeacher), { lessonId: 99_999_999, workType: "x", entries: [] }),
    ).rejects.toSatisfy(code("FORBIDDEN"));
    expect(await counts()).toEqual(before);
  });

  it("R-12 late written work is saved and flagged (result and audit); oral work or a timely entry is not", async () => {
    const math = await s.actor(s.people.mathTeacher);
    const lessonId = await lessonOf(db.prisma, s.assignments.algebra8a, lastMonday);
    const st = s.students.c8a[0];
    const late = await addMarks(
      db.prisma,
      math,
      { lessonId, workType: "control", entries: [{ studentId: st, value: "4" }] },
      at(addDays(lastMonday, 8)),
    );
    expect(late.lateEntry).toBe(true);
    const audit = await db.prisma.auditEvent.findFirstOrThrow({
      where: { schoolId: s.schoolId, action: "mark.create", entityId: String(late.marks[0].markId) },
    });
    expect(audit.data).toMatchObject({ lateEntry: true, workType: "control" });

    const oral = await addMarks(
      db.prisma,
      math,
      { lessonId, workType: "oral", entries: [{ studentId: st, value: "4" }] },
      at(addDays(lastMonday, 8)),
    );
    expect(oral.lateEntry).toBe(false);
    const timely = await addMarks(
      db.prisma,
      math,
      { lessonId, workType: "dictation", entries: [{ studentId: st, value: "4" }] },
      at(addDays(lastMonday, 7)),
    );
    expect(timely.lateEntry).toBe(false);
  });

  it("a failure mid-transaction leaves nothing half-written", async () => {
    const math = await s.actor(s.people.mathTeacher);
    const lessonId = await lessonOf(db.prisma, s.assignments.algebra8a, addDays(lastMonday, 1));
    // the last write of addMarks (the outbox rows) fails inside the transaction
    await db.prisma.$executeRawUnsafe(
      `CREATE FUNCTION "${db.schema}".fail_outbox() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'boom'; END $$`,
    );
    await db.prisma.$executeRawUnsafe(
      `CREATE TRIGGER fail_outbox BEFORE INSERT ON "${db.schema}"."Outbox" FOR EACH ROW EXECUTE FUNCTION "${db.schema}".fail_outbox()`,
    );
    const before = await counts();
    try {
      await expect(
        addMarks(db.prisma, math, {
          lessonId,
          workType: "oral",
          entries: s.students.c8a.map((studentId) => ({ studentId, value: "5" })),
        }),
      ).rejects.toThrow(/boom/);
    } finally {
      await db.prisma.$executeRawUnsafe(`DROP TRIGGER fail_outbox ON "${db.schema}"."Outbox"`);
    }
    expect(await counts()).toEqual(before);
    expect((await verifyAuditChain(db.prisma, s.schoolId)).ok).toBe(true);
  });

  it("R-16 a lesson in a closed period takes no marks: LOCKED_PERIOD", async () => {
    const math = await s.actor(s.people.mathTeacher);
    const q1 = await db.prisma.period.findFirstOrThrow({ where: { schoolId: s.schoolId, number: 1 } });
    const oldDate = addDays(s.monday, -40);
    const old = await db.prisma.lesson.create({
      data: { schoolId: s.schoolId, assignmentId: s.assignments.algebra7b, date: fromIsoDate(oldDate), slot: 1 },
    });
    const entry = { lessonId: old.id, workType: "oral", entries: [{ studentId: s.students.c7b[0], value: "5" }] };
    await addMarks(db.prisma, math, entry); // open: accepted
    await closePeriod(db.prisma, await s.actor(s.people.deputy), { periodId: q1.id });
    const before = await counts();
    await expect(addMarks(db.prisma, math, entry)).rejects.toSatisfy(code("LOCKED_PERIOD"));
    expect(await counts()).toEqual(before);
  });
});
