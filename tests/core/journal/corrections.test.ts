import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "../../../src/core/audit.ts";
import { addDays, fromIsoDate, localMoment, zonedInstant } from "../../../src/core/dates.ts";
import { type ErrorCode, isAppError } from "../../../src/core/errors.ts";
import { correctMark, markHistory, undoMarks, voidMark } from "../../../src/core/journal/corrections.ts";
import { addMarks } from "../../../src/core/journal/marks.ts";
import { closePeriod } from "../../../src/core/journal/periods.ts";
import { createTestDb, type TestDb } from "../../helpers/db.ts";
import { buildSchool, lessonOf, type TestSchool } from "../../helpers/factories.ts";

const code = (c: ErrorCode) => (e: unknown) => isAppError(e, c);
const plus = (clock: { now: Date }, minutes: number) => ({ now: new Date(clock.now.getTime() + minutes * 60_000) });
const DAY = 24 * 60;

describe("R-15 corrections of marks", () => {
  let db: TestDb;
  let s: TestSchool;
  let lastMonday: string;
  let clock: { now: Date };
  let lessonId: number;

  const give = async (studentIndex: number, value: string, workType = "oral") => {
    const math = await s.actor(s.people.mathTeacher);
    const res = await addMarks(
      db.prisma,
      math,
      { lessonId, workType, entries: [{ studentId: s.students.c7b[studentIndex], value }] },
      clock,
    );
    return res.marks[0].markId;
  };
  const outboxOf = (kind: string) => db.prisma.outbox.findMany({ where: { schoolId: s.schoolId, kind } });

  beforeAll(async () => {
    db = await createTestDb();
    s = await buildSchool(db.prisma, { today: localMoment("Europe/Moscow").date });
    lastMonday = addDays(s.monday, -7);
    lessonId = await lessonOf(db.prisma, s.assignments.algebra7b, lastMonday);
    clock = { now: zonedInstant("Europe/Moscow", lastMonday, "09:00") };
  });
  afterAll(() => db.drop());

  it("R-15 grace fix is silent: the value is updated in place, no mark.corrected, the audit keeps old and new", async () => {
    const math = await s.actor(s.people.mathTeacher);
    const markId = await give(0, "2");
    const res = await correctMark(db.prisma, math, { markId, value: "5" }, plus(clock, 3));
    expect(res.mode).toBe("grace");
    expect(res.mark).toMatchObject({ markId, value: "5", status: "ACTIVE", supersedesId: null });
    const row = await db.prisma.mark.findUniqueOrThrow({ where: { id: markId } });
    expect(row.value).toBe("5");
    expect(await db.prisma.mark.count({ where: { supersedesId: markId } })).toBe(0);
    expect(await outboxOf("mark.corrected")).toHaveLength(0);
    const audit = await db.prisma.auditEvent.findFirstOrThrow({
      where: { schoolId: s.schoolId, action: "mark.fix", entityId: String(markId) },
    });
    expect(audit.data).toMatchObject({ old: { value: "2" }, new: { value: "5" }, grace: true });
    // the announcement still pending after the grace period carries the id only: it will read "5"
    const created = await outboxOf("mark.created");
    expect(created.some((o) => (o.payload as { markId: number }).markId === markId)).toBe(true);
  });

  it("R-15 undo within grace withdraws silently, twice changes nothing; after grace undo is refused", async () => {
    const math = await s.actor(s.people.mathTeacher);
    const a = await give(1, "3");
    const b = await give(2, "4");
    const res = await undoMarks(db.prisma, math, { markIds: [a, b] }, plus(clock, 1));
    expect(res.undone.sort()).toEqual([a, b].sort());
    expect(await db.prisma.mark.count({ where: { id: { in: [a, b] }, status: "VOIDED" } })).toBe(2);
    const again = await undoMarks(db.prisma, math, { markIds: [a, b] }, plus(clock, 2));
    expect(again).toEqual({ undone: [], alreadyUndone: expect.arrayContaining([a, b]) });
    expect(await outboxOf("mark.voided")).toHaveLength(0);

    const c = await give(3, "4");
    await expect(undoMarks(db.prisma, math, { markIds: [c] }, plus(clock, 11))).rejects.toSatisfy(code("VALIDATION"));
    expect((await db.prisma.mark.findUniqueOrThrow({ where: { id: c } })).status).toBe("ACTIVE");
    // someone else's marks cannot be undone
    await expect(
      undoMarks(db.prisma, await s.actor(s.people.russianTeacher), { markIds: [c] }, plus(clock, 1)),
    ).rejects.toSatisfy(code("FORBIDDEN"));
  });

  it("R-15 correction within the window needs a reason and supersedes: the old row stays, SUPERSEDED", async () => {
    const math = await s.actor(s.people.mathTeacher);
    const markId = await give(4, "3", "control");
    const later = plus(clock, 2 * DAY);
    await expect(correctMark(db.prisma, math, { markId, value: "4" }, later)).rejects.toSatisfy(code("VALIDATION"));
    await expect(correctMark(db.prisma, math, { markId, value: "4", reason: "   " }, later)).rejects.toSatisfy(
      code("VALIDATION"),
    );
    const res = await correctMark(db.prisma, math, { markId, value: "4", reason: "ошибка при вводе" }, later);
    expect(res.mode).toBe("correction");
    expect(res.previous).toMatchObject({ markId, value: "3", status: "SUPERSEDED" });
    expect(res.mark).toMatchObject({
      value: "4",
      status: "ACTIVE",
      supersedesId: markId,
      correctionReason: "ошибка при вводе",
    });
    const old = await db.prisma.mark.findUniqueOrThrow({ where: { id: markId } });
    expect(old).toMatchObject({ value: "3", status: "SUPERSEDED" });
    const fresh = await db.prisma.mark.findUniqueOrThrow({ where: { id: res.mark.markId } });
    expect(fresh).toMatchObject({ workType: "control", subjectId: s.subjects.algebra, lessonId });
    expect(fresh.weight.toNumber()).toBe(2);
    const out = await outboxOf("mark.corrected");
    expect(out.map((o) => o.payload)).toContainEqual({ markId: res.mark.markId, previousMarkId: markId });
    const audit = await db.prisma.auditEvent.findFirstOrThrow({
      where: { schoolId: s.schoolId, action: "mark.correct", entityId: String(res.mark.markId) },
    });
    expect(audit.actorId).toBe(s.people.mathTeacher);
    expect(audit.data).toMatchObject({
      previousMarkId: markId,
      old: { value: "3" },
      new: { value: "4" },
      reason: "ошибка при вводе",
    });
    // the superseded mark cannot be corrected again; its successor can
    await expect(correctMark(db.prisma, math, { markId, value: "5", reason: "ещё раз" }, later)).rejects.toSatisfy(
      code("CONFLICT"),
    );

    const history = await markHistory(db.prisma, math, { markId: res.mark.markId });
    expect(history.chain.map((c) => [c.value, c.status, c.reason])).toEqual([
      ["3", "SUPERSEDED", null],
      ["4", "ACTIVE", "ошибка при вводе"],
    ]);
    expect(history.chain[1].authorName).toContain("Математиков");
  });

  it("R-15 after the window the author gets CORRECTION_WINDOW_CLOSED, the deputy succeeds with a reason", async () => {
    const math = await s.actor(s.people.mathTeacher);
    const deputy = await s.actor(s.people.deputy);
    const markId = await give(5, "2");
    const late = plus(clock, 10 * DAY);
    await expect(correctMark(db.prisma, math, { markId, value: "3", reason: "забыл" }, late)).rejects.toSatisfy(
      code("CORRECTION_WINDOW_CLOSED"),
    );
    await expect(voidMark(db.prisma, math, { markId, reason: "забыл" }, late)).rejects.toSatisfy(
      code("CORRECTION_WINDOW_CLOSED"),
    );
    await expect(correctMark(db.prisma, deputy, { markId, value: "3" }, late)).rejects.toSatisfy(code("VALIDATION"));
    const res = await correctMark(db.prisma, deputy, { markId, value: "3", reason: "приказ №12" }, late);
    expect(res.mode).toBe("late-correction");
    expect(res.mark).toMatchObject({ value: "3", authorId: s.people.deputy, supersedesId: markId });
    const audit = await db.prisma.auditEvent.findFirstOrThrow({
      where: { schoolId: s.schoolId, action: "mark.correct", entityId: String(res.mark.markId) },
    });
    expect(audit.data).toMatchObject({ late: true, reason: "приказ №12", previousAuthorId: s.people.mathTeacher });
  });

  it("R-15 another teacher, a guardian, the student are FORBIDDEN; a tampered id too", async () => {
    const markId = await give(0, "4");
    const st = s.students.c7b[0];
    for (const person of [
      s.people.russianTeacher,
      s.people.otherTeacher,
      s.guardians.get(st)![0],
      s.studentPerson.get(st)!,
    ]) {
      const actor = await s.actor(person);
      await expect(
        correctMark(db.prisma, actor, { markId, value: "5", reason: "x" }, plus(clock, 1)),
      ).rejects.toSatisfy(code("FORBIDDEN"));
      await expect(voidMark(db.prisma, actor, { markId, reason: "x" }, plus(clock, 1))).rejects.toSatisfy(
        code("FORBIDDEN"),
      );
    }
    await expect(
      correctMark(db.prisma, await s.actor(s.people.mathTeacher), { markId: 99_999_999, value: "5", reason: "x" }),
    ).rejects.toSatisfy(code("FORBIDDEN"));
    expect((await db.prisma.mark.findUniqueOrThrow({ where: { id: markId } })).value).toBe("4");
  });

  it("R-15 void after grace needs a reason and is announced as mark.voided; never a hard delete", async () => {
    const math = await s.actor(s.people.mathTeacher);
    const markId = await give(1, "2");
    await expect(voidMark(db.prisma, math, { markId }, plus(clock, DAY))).rejects.toSatisfy(code("VALIDATION"));
    const res = await voidMark(db.prisma, math, { markId, reason: "не тот ученик" }, plus(clock, DAY));
    expect(res).toMatchObject({ mode: "correction", mark: { status: "VOIDED", correctionReason: "не тот ученик" } });
    expect(await db.prisma.mark.count({ where: { id: markId } })).toBe(1);
    expect((await outboxOf("mark.voided")).map((o) => o.payload)).toContainEqual({ markId });
  });

  it("R-15 guardians read the history of their child's mark; another child's guardian is FORBIDDEN", async () => {
    const math = await s.actor(s.people.mathTeacher);
    const markId = await give(2, "3");
    const res = await correctMark(db.prisma, math, { markId, value: "5", reason: "пересчёт" }, plus(clock, DAY));
    const own = await s.actor(s.guardians.get(s.students.c7b[2])![0]);
    expect((await markHistory(db.prisma, own, { markId: res.mark.markId })).chain.map((c) => c.value)).toEqual([
      "3",
      "5",
    ]);
    const stranger = await s.actor(s.guardians.get(s.students.c7b[3])![0]);
    await expect(markHistory(db.prisma, stranger, { markId: res.mark.markId })).rejects.toSatisfy(code("FORBIDDEN"));
  });

  it("R-16 R-15 marks of a closed period: LOCKED_PERIOD for the teacher, the administration corrects with a reason", async () => {
    const math = await s.actor(s.people.mathTeacher);
    const q1 = await db.prisma.period.findFirstOrThrow({ where: { schoolId: s.schoolId, number: 1 } });
    const oldDate = addDays(s.monday, -45);
    const old = await db.prisma.lesson.create({
      data: { schoolId: s.schoolId, assignmentId: s.assignments.algebra7b, date: fromIsoDate(oldDate), slot: 1 },
    });
    const t0 = { now: zonedInstant("Europe/Moscow", oldDate, "09:00") };
    const res = await addMarks(
      db.prisma,
      math,
      { lessonId: old.id, workType: "oral", entries: [{ studentId: s.students.c7b[0], value: "3" }] },
      t0,
    );
    await closePeriod(db.prisma, await s.actor(s.people.deputy), { periodId: q1.id });
    const markId = res.marks[0].markId;
    await expect(correctMark(db.prisma, math, { markId, value: "4" }, plus(t0, 1))).rejects.toSatisfy(
      code("LOCKED_PERIOD"),
    );
    expect((await db.prisma.mark.findUniqueOrThrow({ where: { id: markId } })).value).toBe("3");
    // the administration still corrects a closed period's mark, with a reason, as a late correction
    const deputy = await s.actor(s.people.deputy);
    await expect(correctMark(db.prisma, deputy, { markId, value: "4" })).rejects.toSatisfy(code("VALIDATION"));
    const fixed = await correctMark(db.prisma, deputy, { markId, value: "4", reason: "x" });
    expect(fixed).toMatchObject({ mode: "late-correction", mark: { value: "4" } });
    expect((await db.prisma.mark.findUniqueOrThrow({ where: { id: markId } })).status).toBe("SUPERSEDED");
    expect((await verifyAuditChain(db.prisma, s.schoolId)).ok).toBe(true);
  });
});
