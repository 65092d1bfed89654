import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoIfEmpty } from "../../../src/cli/demo.ts";
import { verifyAuditChain } from "../../../src/core/audit.ts";
import { fromIsoDate } from "../../../src/core/dates.ts";
import { buildDemoWorkbook } from "../../../src/core/demo/build-workbook.ts";
import { resetDemo } from "../../../src/core/demo/reset.ts";
import { SANDBOX_BOT_USERNAME, seedDemoSchool } from "../../../src/core/demo/seed.ts";
import { studentMarks } from "../../../src/core/family/index.ts";
import { validateWorkbook } from "../../../src/core/import/parse-workbook.ts";
import { createTestDb, type TestDb } from "../../helpers/db.ts";

const TODAY = "2026-11-24";
let db: TestDb;
let schoolId: number;
beforeAll(async () => {
  db = await createTestDb();
  ({ schoolId } = await seedDemoSchool(db.prisma, { today: TODAY }));
});
afterAll(async () => {
  await db.drop();
});

describe("demo workbook", () => {
  it("is valid and the same on every run", () => {
    const wb = buildDemoWorkbook(TODAY);
    expect(validateWorkbook(wb)).toEqual([]);
    expect(buildDemoWorkbook(TODAY)).toEqual(wb);
    expect(wb.classes.map((c) => c.name)).toEqual(["2А", "5А", "7Б", "9В"]);
    const roles = wb.staff.map((s) => s.roles);
    expect(roles).toContain("director, teacher");
    expect(roles).toContain("deputy, admin, teacher");
  });

  it.each(["2026-07-15", "2026-10-30", "2027-01-05", "2026-08-25"])("has a quarter running on %s", (today) => {
    const wb = buildDemoWorkbook(today);
    expect(wb.periods.some((p) => p.starts <= today && today <= p.ends)).toBe(true);
    expect(validateWorkbook(wb)).toEqual([]);
  });

  it("scales to a thousand students without errors", () => {
    const wb = buildDemoWorkbook(TODAY, { classes: 37 });
    expect(wb.students.length).toBeGreaterThanOrEqual(1000);
    expect(validateWorkbook(wb)).toEqual([]);
  });
});

describe("demo school seed", () => {
  it("has classes of 25–30 students, each with a class teacher", async () => {
    const classes = await db.prisma.classGroup.findMany({
      where: { schoolId },
      include: { _count: { select: { enrollments: true } } },
    });
    expect(classes).toHaveLength(4);
    for (const c of classes) {
      expect(c._count.enrollments).toBeGreaterThanOrEqual(25);
      expect(c._count.enrollments).toBeLessThanOrEqual(30);
      expect(c.classTeacherId).not.toBeNull();
    }
    const guardians = await db.prisma.guardianship.count({ where: { schoolId, consentGivenAt: { not: null } } });
    expect(guardians).toBeGreaterThan(100);
  });

  it("has a period running today and lessons for the past and the coming two weeks", async () => {
    const today = fromIsoDate(TODAY);
    expect(
      await db.prisma.period.count({ where: { schoolId, startsOn: { lte: today }, endsOn: { gte: today } } }),
    ).toBe(1);
    expect(await db.prisma.lesson.count({ where: { schoolId, date: { lt: today } } })).toBeGreaterThan(50);
    expect(await db.prisma.lesson.count({ where: { schoolId, date: { gt: today } } })).toBeGreaterThan(50);
    expect(await db.prisma.lesson.count({ where: { schoolId, date: { lt: today }, topic: null } })).toBe(0);
    expect(await db.prisma.subgroup.count({ where: { schoolId } })).toBeGreaterThanOrEqual(4);
  });

  it("has marks and absences in past days, and no marks in grades 1–2 (R-14)", async () => {
    const today = fromIsoDate(TODAY);
    expect(await db.prisma.mark.count({ where: { schoolId, date: { lt: today } } })).toBeGreaterThan(100);
    expect(await db.prisma.mark.count({ where: { schoolId, date: { gte: today } } })).toBe(0);
    expect(
      await db.prisma.mark.count({ where: { schoolId, lesson: { assignment: { class: { grade: { lte: 2 } } } } } }),
    ).toBe(0);
    expect(
      await db.prisma.attendance.count({ where: { schoolId, status: "ABSENT", date: { lt: today } } }),
    ).toBeGreaterThan(10);
    expect(await db.prisma.homework.count({ where: { schoolId } })).toBeGreaterThan(50);
  });

  it("a parent opening the sandbox right after the seed sees the past marks (they are older than the grace period)", async () => {
    const g = await db.prisma.guardianship.findFirstOrThrow({
      where: { schoolId, consentGivenAt: { not: null }, student: { marks: { some: {} } } },
      select: { guardianId: true, studentId: true },
    });
    const parent = { personId: g.guardianId, schoolId, roles: [] };
    // 10:00 in Moscow on the seed day, a minute after seeding
    const res = await studentMarks(
      db.prisma,
      parent,
      { studentId: g.studentId },
      { now: new Date(`${TODAY}T07:00:00Z`) },
    );
    const shown = res.subjects.reduce((n, sub) => n + sub.marks.length, 0);
    expect(shown).toBe(
      await db.prisma.mark.count({
        where: { studentId: g.studentId, date: { gte: fromIsoDate(res.period!.startsOn) } },
      }),
    );
    expect(shown).toBeGreaterThan(0);
  });

  it("records the seed in the audit trail and creates the sandbox bot", async () => {
    const actions = (await db.prisma.auditEvent.findMany({ where: { schoolId }, orderBy: { id: "asc" } })).map(
      (e) => e.action,
    );
    expect(actions).toEqual(["school.import", "demo.seed"]);
    expect((await verifyAuditChain(db.prisma, schoolId)).ok).toBe(true);
    expect(await db.prisma.bot.findUnique({ where: { username: SANDBOX_BOT_USERNAME } })).toMatchObject({ schoolId });
  });

  it("seedDemoIfEmpty does nothing when a school exists", async () => {
    const before = [await db.prisma.school.count(), await db.prisma.person.count(), await db.prisma.auditEvent.count()];
    expect(await seedDemoIfEmpty(db.prisma, TODAY)).toEqual({ seeded: false, schoolId: null });
    expect([
      await db.prisma.school.count(),
      await db.prisma.person.count(),
      await db.prisma.auditEvent.count(),
    ]).toEqual(before);
  });

  it("resetDemo empties everything and seeds again from id 1", async () => {
    const people = await db.prisma.person.count();
    const res = await resetDemo(db.prisma, { today: TODAY });
    expect(res.schoolId).toBe(1);
    expect(await db.prisma.school.count()).toBe(1);
    expect(await db.prisma.person.count()).toBe(people);
    expect(await db.prisma.auditEvent.count()).toBe(2);
  });

  it("seedDemoIfEmpty seeds an empty database", async () => {
    await db.prisma.$executeRawUnsafe(`TRUNCATE "${db.schema}"."School" RESTART IDENTITY CASCADE`);
    expect(await seedDemoIfEmpty(db.prisma, TODAY)).toEqual({ seeded: true, schoolId: 1 });
  });
});
