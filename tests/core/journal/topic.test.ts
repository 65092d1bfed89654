import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, localMoment, zonedInstant } from "../../../src/core/dates.ts";
import { type ErrorCode, isAppError } from "../../../src/core/errors.ts";
import { planProgress, setPlan, setTopic, suggestTopic } from "../../../src/core/journal/topic.ts";
import { createTestDb, type TestDb } from "../../helpers/db.ts";
import { buildSchool, lessonOf, type TestSchool } from "../../helpers/factories.ts";

const code = (c: ErrorCode) => (e: unknown) => isAppError(e, c);

describe("lesson topics and the thematic plan", () => {
  let db: TestDb;
  let s: TestSchool;
  let lastMonday: string;

  beforeAll(async () => {
    db = await createTestDb();
    s = await buildSchool(db.prisma, { today: localMoment("Europe/Moscow").date });
    lastMonday = addDays(s.monday, -7);
  });
  afterAll(() => db.drop());

  it("R-19 the plan's suggestion advances as lessons take its items (an item of 2 hours covers 2 lessons)", async () => {
    const math = await s.actor(s.people.mathTeacher);
    const plan = await setPlan(db.prisma, math, {
      assignmentId: s.assignments.algebra7b,
      items: [
        { topic: "Линейные уравнения", hours: 2 },
        { topic: "Системы уравнений" },
        { topic: "Контрольная работа №1" },
      ],
    });
    expect(plan.items.map((i) => [i.number, i.hours])).toEqual([
      [1, 2],
      [2, 1],
      [3, 1],
    ]);
    const days = [0, 1, 2, 3].map((d) => addDays(lastMonday, d));
    const lessons = await Promise.all(days.map((d) => lessonOf(db.prisma, s.assignments.algebra7b, d)));

    const first = await suggestTopic(db.prisma, math, { lessonId: lessons[0] });
    expect(first).toMatchObject({ current: null, suggestion: { number: 1, topic: "Линейные уравнения" } });
    await setTopic(db.prisma, math, { lessonId: lessons[0], planItemId: first.suggestion!.planItemId });
    const second = await suggestTopic(db.prisma, math, { lessonId: lessons[1] });
    expect(second.suggestion?.number).toBe(1); // 2 hours: still item 1
    await setTopic(db.prisma, math, { lessonId: lessons[1], planItemId: second.suggestion!.planItemId });
    const third = await suggestTopic(db.prisma, math, { lessonId: lessons[2] });
    expect(third.suggestion).toMatchObject({ number: 2, topic: "Системы уравнений" });
    await setTopic(db.prisma, math, {
      lessonId: lessons[2],
      planItemId: third.suggestion!.planItemId,
      topic: "Системы: введение",
    });
    expect((await suggestTopic(db.prisma, math, { lessonId: lessons[3] })).suggestion?.number).toBe(3);
    // the suggestion for an earlier lesson does not count later ones
    expect((await suggestTopic(db.prisma, math, { lessonId: lessons[0] })).suggestion?.number).toBe(1);

    const lesson = await db.prisma.lesson.findUniqueOrThrow({ where: { id: lessons[2] } });
    expect(lesson.topic).toBe("Системы: введение");
    expect(lesson.topicSetAt).not.toBeNull();

    const progress = await planProgress(db.prisma, math, { assignmentId: s.assignments.algebra7b });
    expect(progress.planned).toEqual({ items: 3, hours: 4 });
    expect(progress.done).toEqual({ items: 2, hours: 3 });
    expect(progress.lessonsWithTopic).toBe(3);
    expect(progress.lessonsHeld).toBeGreaterThanOrEqual(5); // last week's five lessons at least
    // the class teacher and the deputy see it, a teacher of another subject does not
    await planProgress(db.prisma, await s.actor(s.people.deputy), { assignmentId: s.assignments.algebra7b });
    await expect(
      planProgress(db.prisma, await s.actor(s.people.englishTeacher1), { assignmentId: s.assignments.algebra7b }),
    ).rejects.toSatisfy(code("FORBIDDEN"));

    // shrinking the plan keeps linked lessons' topics and unlinks dropped items
    await setPlan(db.prisma, math, {
      assignmentId: s.assignments.algebra7b,
      items: [{ topic: "Линейные уравнения", hours: 2 }],
    });
    const kept = await db.prisma.lesson.findUniqueOrThrow({ where: { id: lessons[2] } });
    expect(kept).toMatchObject({ topic: "Системы: введение", planItemId: null });
  });

  it("R-13 a topic is set by the lesson's teacher: non-empty, at most 500 characters, audited", async () => {
    const rus = await s.actor(s.people.russianTeacher);
    const lessonId = await lessonOf(db.prisma, s.assignments.russian7b, lastMonday);
    const now = zonedInstant("Europe/Moscow", lastMonday, "10:00");
    const res = await setTopic(db.prisma, rus, { lessonId, topic: "  Причастный оборот  " }, { now });
    expect(res).toEqual({ lessonId, topic: "Причастный оборот", planItemId: null, topicSetAt: now.toISOString() });
    for (const topic of ["", "   ", "x".repeat(501)]) {
      await expect(setTopic(db.prisma, rus, { lessonId, topic })).rejects.toSatisfy(code("VALIDATION"));
    }
    await expect(setTopic(db.prisma, rus, { lessonId })).rejects.toSatisfy(code("VALIDATION"));
    // a plan item of another assignment is refused
    const foreign = await db.prisma.planItem.findFirstOrThrow({ where: { assignmentId: s.assignments.algebra7b } });
    await expect(setTopic(db.prisma, rus, { lessonId, planItemId: foreign.id })).rejects.toSatisfy(code("VALIDATION"));
    // another teacher cannot
    await expect(
      setTopic(db.prisma, await s.actor(s.people.mathTeacher), { lessonId, topic: "Чужая тема" }),
    ).rejects.toSatisfy(code("FORBIDDEN"));
    const audit = await db.prisma.auditEvent.findFirstOrThrow({
      where: { schoolId: s.schoolId, action: "lesson.topic", entityId: String(lessonId) },
    });
    expect(audit.data).toMatchObject({ new: { topic: "Причастный оборот" } });
  });

  it("R-19 only the assignment's teacher sets its plan; items are validated", async () => {
    await expect(
      setPlan(db.prisma, await s.actor(s.people.otherTeacher), {
        assignmentId: s.assignments.russian7b,
        items: [{ topic: "x" }],
      }),
    ).rejects.toSatisfy(code("FORBIDDEN"));
    const rus = await s.actor(s.people.russianTeacher);
    await expect(
      setPlan(db.prisma, rus, {
        assignmentId: s.assignments.russian7b,
        items: [{ topic: "" }, { topic: "ok", hours: 0 }],
      }),
    ).rejects.toSatisfy(code("VALIDATION"));
    await expect(setPlan(db.prisma, rus, { assignmentId: 99_999_999, items: [] })).rejects.toSatisfy(code("FORBIDDEN"));
  });
});
