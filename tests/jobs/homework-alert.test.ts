// new homework reaches families in the evening digest; a guardian who turned on «Домашнее задание сразу»
// also gets it at once, with the child's name, the subject and the due date, as one message per child.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, localMoment } from "../../src/core/dates.ts";
import { setHomework } from "../../src/core/journal/homework.ts";
import { homeworkCreatedHandler, homeworkUpdatedHandler } from "../../src/jobs/outbox-handlers/homework.ts";
import { createLogger } from "../../src/logger.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { buildSchool, lessonOf, type TestSchool } from "../helpers/factories.ts";

describe("homework at once", () => {
  let db: TestDb;
  let s: TestSchool;
  const ctx = () => ({ db: db.prisma, now: new Date(), logger: createLogger("silent") });

  beforeAll(async () => {
    db = await createTestDb();
    s = await buildSchool(db.prisma, { today: localMoment("Europe/Moscow").date });
  });
  afterAll(() => db.drop());

  it("R-21: only guardians who asked for it get new homework at once; a change is announced as a change", async () => {
    const [first, second] = s.students.c7b;
    const [mother] = s.guardians.get(first)!;
    await db.prisma.preference.create({ data: { schoolId: s.schoolId, personId: mother, alertHomework: true } });
    const math = await s.actor(s.people.mathTeacher);
    const lessonId = await lessonOf(db.prisma, s.assignments.algebra7b, addDays(s.monday, -7));
    const hw = await setHomework(db.prisma, math, { lessonId, text: "№ 245, 247" });
    const row = await db.prisma.outbox.findFirstOrThrow({ where: { kind: "homework.created" } });
    const messages = await homeworkCreatedHandler.handle(row, ctx());
    expect(messages.map((m) => m.personId)).toEqual([mother]);
    expect(messages[0].render).toMatchObject({
      key: "notify:homework.created",
      params: { subject: "Алгебра", text: "№ 245, 247" },
    });
    // the second child's mother did not ask: the digest tells her
    expect(messages.map((m) => m.personId)).not.toContain(s.guardians.get(second)![0]);

    await setHomework(db.prisma, math, { lessonId, homeworkId: hw.homeworkId, text: "№ 245–250" });
    const changed = await db.prisma.outbox.findFirstOrThrow({ where: { kind: "homework.updated" } });
    const again = await homeworkUpdatedHandler.handle(changed, ctx());
    expect(again).toHaveLength(1);
    expect(again[0].render).toMatchObject({ key: "notify:homework.updated", params: { text: "№ 245–250" } });
    expect(again[0].dedupKey).not.toBe(messages[0].dedupKey);
    expect(await homeworkUpdatedHandler.isCurrent!(db.prisma, again[0].ref!, new Date())).toBe(true);
  });
});
