// a thematic plan loaded for an assignment (every error listed, nothing half-applied) and program
// completion — topics given ÷ planned hours up to a date — as the filling-control report reads it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, fromIsoDate, localMoment } from "../../../src/core/dates.ts";
import { isAppError } from "../../../src/core/errors.ts";
import { loadThematicPlan, type PlanRowInput } from "../../../src/core/plans/load-thematic-plan.ts";
import { programCompletion } from "../../../src/core/reports/program-completion.ts";
import { createTestDb, type TestDb } from "../../helpers/db.ts";
import { buildSchool, type TestSchool } from "../../helpers/factories.ts";

let db: TestDb;
let s: TestSchool;
const rows = (list: [string, string, string][]): PlanRowInput[] =>
  list.map(([order, topic, hours], i) => ({ row: i + 2, order, topic, hours }));

beforeAll(async () => {
  db = await createTestDb();
  s = await buildSchool(db.prisma, { today: localMoment("Europe/Moscow").date });
});
afterAll(() => db.drop());

describe("R-19 thematic plans", () => {
  it("every error of the file is listed and nothing is applied", async () => {
    const math = await s.actor(s.people.mathTeacher);
    const err = await loadThematicPlan(db.prisma, math, {
      assignmentId: s.assignments.algebra7b,
      rows: rows([
        ["1", "Линейные уравнения", "2"],
        ["x", "Системы уравнений", "1"],
        ["1", "", "1"],
        ["3", "Неравенства", "0"],
      ]),
    }).catch((e) => e);
    expect(isAppError(err, "VALIDATION")).toBe(true);
    expect((err.details as { errors: unknown[] }).errors).toEqual([
      { row: 3, column: "order", code: "BAD_NUMBER" },
      { row: 4, column: "order", code: "DUPLICATE" },
      { row: 4, column: "topic", code: "REQUIRED" },
      { row: 5, column: "hours", code: "BAD_NUMBER" },
    ]);
    expect(await db.prisma.planItem.count()).toBe(0);
  });

  it("the teacher loads the plan of their own class and subject; another teacher is refused", async () => {
    const math = await s.actor(s.people.mathTeacher);
    const plan = rows([
      ["1", "Линейные уравнения", "2"],
      ["2", "Системы уравнений", "3"],
      ["3", "Неравенства", "5"],
    ]);
    const res = await loadThematicPlan(db.prisma, math, { assignmentId: s.assignments.algebra7b, rows: plan });
    expect(res).toMatchObject({ items: 3, hours: 10, created: 3, updated: 0, removed: 0 });
    const other = await s.actor(s.people.russianTeacher);
    const refused = await loadThematicPlan(db.prisma, other, {
      assignmentId: s.assignments.algebra7b,
      rows: plan,
    }).catch((e) => e);
    expect(isAppError(refused, "FORBIDDEN")).toBe(true);
    const audit = await db.prisma.auditEvent.count({ where: { schoolId: s.schoolId, action: "plan.load" } });
    expect(audit).toBe(1);
  });

  it("program completion: topics given ÷ planned hours up to a date; the teacher sees their own only", async () => {
    const lastMonday = addDays(s.monday, -7);
    const lessons = await db.prisma.lesson.findMany({
      where: { assignmentId: s.assignments.algebra7b, date: { lte: fromIsoDate(addDays(lastMonday, 4)) } },
      orderBy: { date: "asc" },
    });
    const items = await db.prisma.planItem.findMany({ where: { assignmentId: s.assignments.algebra7b } });
    // topics on the first two lessons, the first on a plan item
    await db.prisma.lesson.update({
      where: { id: lessons[0].id },
      data: { topic: "Линейные уравнения", planItemId: items[0].id },
    });
    await db.prisma.lesson.update({ where: { id: lessons[1].id }, data: { topic: "Линейные уравнения" } });
    const deputy = await s.actor(s.people.deputy);
    const report = await programCompletion(db.prisma, deputy, { to: addDays(lastMonday, 4), classId: s.classes.c7b });
    const algebra = report.find((r) => r.assignmentId === s.assignments.algebra7b);
    expect(algebra).toMatchObject({
      planItems: 3,
      plannedHours: 10,
      lessonsScheduled: lessons.length,
      topicsGiven: 2,
      planItemsCovered: 1,
      completion: 0.2,
      behind: lessons.length - 2,
    });
    expect(report.find((r) => r.assignmentId === s.assignments.russian7b)?.completion).toBeNull();
    const own = await programCompletion(db.prisma, await s.actor(s.people.mathTeacher), { to: s.monday });
    expect(new Set(own.map((r) => r.teacherId))).toEqual(new Set([s.people.mathTeacher]));
  });

  it("reloading keeps items given on lessons; removing such an item is refused", async () => {
    const math = await s.actor(s.people.mathTeacher);
    const res = await loadThematicPlan(db.prisma, math, {
      assignmentId: s.assignments.algebra7b,
      rows: rows([
        ["1", "Линейные уравнения", "2"],
        ["2", "Системы линейных уравнений", "3"],
      ]),
    });
    expect(res).toMatchObject({ items: 2, updated: 1, removed: 1 });
    const refused = await loadThematicPlan(db.prisma, math, {
      assignmentId: s.assignments.algebra7b,
      rows: rows([["2", "Системы", "3"]]),
    }).catch((e) => e);
    expect(isAppError(refused, "VALIDATION")).toBe(true);
    expect(await db.prisma.planItem.count({ where: { assignmentId: s.assignments.algebra7b } })).toBe(2);
  });
});
