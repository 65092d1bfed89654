import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "../../src/core/audit.ts";
import { classRoster } from "../../src/core/journal/class-overview.ts";
import { lessonCard } from "../../src/core/journal/lesson-card.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { buildSchool, lessonOf, type TestSchool } from "../helpers/factories.ts";

describe("R-10 access to children's data outside the family and the child's teachers is logged", () => {
  let db: TestDb;
  let s: TestSchool;
  beforeAll(async () => {
    db = await createTestDb();
    s = await buildSchool(db.prisma, { studentsPerClass: 3 });
  });
  afterAll(() => db.drop());

  const views = () => db.prisma.auditEvent.findMany({ where: { schoolId: s.schoolId, action: { endsWith: ".view" } } });

  it("a teacher's own lesson and a class teacher's own class leave no trace; a deputy's look is recorded", async () => {
    const lessonId = await lessonOf(db.prisma, s.assignments.algebra7b, s.monday);
    await lessonCard(db.prisma, await s.actor(s.people.mathTeacher), { lessonId });
    await classRoster(db.prisma, await s.actor(s.people.mathTeacher), { classId: s.classes.c7b });
    expect(await views()).toHaveLength(0);

    await lessonCard(db.prisma, await s.actor(s.people.deputy), { lessonId });
    await classRoster(db.prisma, await s.actor(s.people.deputy), { classId: s.classes.c7b });
    const logged = await views();
    expect(logged.map((e) => [e.action, e.entityId, e.actorId])).toEqual([
      ["lesson.view", String(lessonId), s.people.deputy],
      ["class.view", String(s.classes.c7b), s.people.deputy],
    ]);
    expect((await verifyAuditChain(db.prisma, s.schoolId)).ok).toBe(true);
  });
});
