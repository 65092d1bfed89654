import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rosterOf } from "../../src/core/journal/roster.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { buildSchool, type TestSchool } from "../helpers/factories.ts";

describe("test school fixture", () => {
  let db: TestDb;
  let s: TestSchool;
  beforeAll(async () => {
    db = await createTestDb();
    s = await buildSchool(db.prisma);
  });
  afterAll(() => db.drop());

  it("has lessons on weekdays and rosters by class and subgroup", async () => {
    const lessons = await db.prisma.lesson.count({ where: { schoolId: s.schoolId } });
    // from the previous Monday to the Friday after next: 3 weeks of 5 days, 7 lessons a day
    expect(lessons).toBe(7 * 5 * 3);
    const whole = await rosterOf(
      db.prisma,
      { schoolId: s.schoolId, classId: s.classes.c7b, subgroupId: null },
      s.monday,
    );
    expect(whole.map((r) => r.studentId)).toEqual(s.students.c7b);
    const sg = await db.prisma.subgroup.findFirstOrThrow({ where: { classId: s.classes.c7b, number: 1 } });
    const half = await rosterOf(
      db.prisma,
      { schoolId: s.schoolId, classId: s.classes.c7b, subgroupId: sg.id },
      s.monday,
    );
    expect(half).toHaveLength(3);
  });
});
