import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoIfEmpty } from "../../../src/cli/demo.ts";
import { verifyAuditChain } from "../../../src/core/audit.ts";
import { fromIsoDate } from "../../../src/core/dates.ts";
import { buildDemoWorkbook } from "../../../src/core/demo/build-workbook.ts";
import { resetDemo } from "../../../src/core/demo/reset.ts";
import { DEMO_SCHOOLS } from "../../../src/core/demo/schools.ts";
import { SANDBOX_BOT_USERNAME, seedDemoSchool } from "../../../src/core/demo/seed.ts";
import { studentMarks } from "../../../src/core/family/index.ts";
import { validateWorkbook } from "../../../src/core/import/parse-workbook.ts";
import { teacherDay } from "../../../src/core/journal/lessons.ts";
import { planProgress, suggestTopic } from "../../../src/core/journal/topic.ts";
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

  it("every teaching assignment has a numbered thematic plan of about 30 topics for its subject and grade (R-19)", async () => {
    const assignments = await db.prisma.teachingAssignment.findMany({
      where: { schoolId },
      select: {
        id: true,
        planItems: { select: { number: true, topic: true, hours: true }, orderBy: { number: "asc" } },
      },
    });
    expect(assignments.length).toBeGreaterThan(20);
    for (const a of assignments) {
      expect(a.planItems.length).toBeGreaterThanOrEqual(25);
      expect(a.planItems.map((i) => i.number)).toEqual(a.planItems.map((_, i) => i + 1));
      expect(new Set(a.planItems.map((i) => i.topic)).size).toBe(a.planItems.length);
    }
    const topics = assignments.flatMap((a) => a.planItems.map((i) => i.topic));
    expect(topics).toContain("Сложение и вычитание дробей");
    expect(topics).toContain("Причастие. Причастный оборот");
    expect(topics).toContain("Present Simple");
  });

  it("past lessons went through the plan in order, so a teacher's lesson today is offered the next item", async () => {
    const now = new Date(`${TODAY}T07:00:00Z`);
    const today = fromIsoDate(TODAY);
    const unlinked = await db.prisma.lesson.count({ where: { schoolId, date: { lt: today }, planItemId: null } });
    expect(unlinked).toBe(0);
    const todays = await db.prisma.lesson.findMany({
      where: { schoolId, date: today },
      select: { assignment: { select: { teacherId: true } } },
      distinct: ["assignmentId"],
    });
    const teacherIds = [...new Set(todays.map((l) => l.assignment.teacherId))];
    expect(teacherIds.length).toBeGreaterThan(3);
    let checked = 0;
    for (const personId of teacherIds) {
      const teacher = { personId, schoolId, roles: ["TEACHER" as const] };
      const day = await teacherDay(db.prisma, teacher, {}, { now });
      expect(day.date).toBe(TODAY);
      for (const lesson of day.lessons.filter((l) => !l.substitute)) {
        const { assignmentId } = await db.prisma.lesson.findUniqueOrThrow({
          where: { id: lesson.lessonId },
          select: { assignmentId: true },
        });
        const last = await db.prisma.lesson.findFirst({
          where: { assignmentId, date: { lt: today } },
          orderBy: [{ date: "desc" }, { slot: "desc" }],
          select: { topic: true, planItem: { select: { number: true, topic: true } } },
        });
        const res = await suggestTopic(db.prisma, teacher, { lessonId: lesson.lessonId });
        expect(res.current).toBeNull();
        const plan = await db.prisma.planItem.findMany({ where: { assignmentId }, orderBy: { number: "asc" } });
        const expected = plan[last?.planItem ? last.planItem.number : 0];
        expect(last?.topic).toBe(last?.planItem?.topic);
        expect(res.suggestion).toEqual({
          planItemId: expected.id,
          number: expected.number,
          topic: expected.topic,
          hours: 1,
        });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(5);
    const anyAssignment = await db.prisma.lesson.findFirstOrThrow({
      where: { schoolId, date: today },
      select: { assignmentId: true, assignment: { select: { teacherId: true } } },
    });
    const progress = await planProgress(
      db.prisma,
      { personId: anyAssignment.assignment.teacherId, schoolId, roles: ["TEACHER"] },
      { assignmentId: anyAssignment.assignmentId },
      { now },
    );
    // R-19 progress: one plan item done per lesson held before today
    const heldToday = await db.prisma.lesson.count({
      where: { assignmentId: anyAssignment.assignmentId, date: today },
    });
    expect(progress.done.items).toBe(progress.lessonsHeld - heldToday);
    expect(progress.done.items).toBeGreaterThan(0);
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
    expect(await seedDemoIfEmpty(db.prisma, TODAY)).toEqual({ seeded: false, schoolId: null, schoolIds: [] });
    expect([
      await db.prisma.school.count(),
      await db.prisma.person.count(),
      await db.prisma.auditEvent.count(),
    ]).toEqual(before);
  });

  it("resetDemo empties everything and seeds both demo schools again from id 1, each with its own bot", async () => {
    const people = await db.prisma.person.count();
    const res = await resetDemo(db.prisma, { today: TODAY });
    expect(res.schoolIds).toEqual([1, 2]);
    expect(await db.prisma.person.count({ where: { schoolId: 1 } })).toBe(people);
    const schools = await db.prisma.school.findMany({
      orderBy: { id: "asc" },
      select: { id: true, name: true, timezone: true, bots: { select: { id: true, username: true } } },
    });
    expect(schools.map((s) => [s.name, s.timezone])).toEqual(DEMO_SCHOOLS.map((d) => [d.name, d.timezone]));
    expect(schools[0].timezone).not.toBe(schools[1].timezone);
    expect(schools.map((s) => s.bots.map((b) => b.username))).toEqual([
      [SANDBOX_BOT_USERNAME],
      ["classbook_sosnovka_bot"],
    ]);
    // each school's seed is audited in its own chain
    for (const id of res.schoolIds) {
      expect(
        (await db.prisma.auditEvent.findMany({ where: { schoolId: id }, orderBy: { id: "asc" } })).map((e) => e.action),
      ).toEqual(["school.import", "demo.seed"]);
      expect((await verifyAuditChain(db.prisma, id)).ok).toBe(true);
    }
  });

  it("the second school is smaller but a whole school: classes, teachers, families, timetable and journal", async () => {
    const schoolId = 2;
    const classes = await db.prisma.classGroup.findMany({
      where: { schoolId },
      select: { name: true, classTeacherId: true, _count: { select: { enrollments: true } } },
      orderBy: { grade: "asc" },
    });
    expect(classes.map((c) => c.name)).toEqual(["3А", "6А", "8А"]);
    for (const c of classes) {
      expect(c._count.enrollments).toBeGreaterThanOrEqual(11);
      expect(c._count.enrollments).toBeLessThanOrEqual(16);
      expect(c.classTeacherId).not.toBeNull();
    }
    const teachers = await db.prisma.staffRole.count({ where: { schoolId, role: "TEACHER" } });
    expect(teachers).toBeGreaterThanOrEqual(5);
    expect(teachers).toBeLessThan(await db.prisma.staffRole.count({ where: { schoolId: 1, role: "TEACHER" } }));
    expect(await db.prisma.guardianship.count({ where: { schoolId, consentGivenAt: { not: null } } })).toBeGreaterThan(
      40,
    );
    expect(await db.prisma.timetableEntry.count({ where: { schoolId } })).toBeGreaterThan(60);
    expect(await db.prisma.subgroup.count({ where: { schoolId } })).toBe(0); // classes this small are not split
    const today = fromIsoDate(TODAY);
    expect(await db.prisma.lesson.count({ where: { schoolId, date: { lt: today }, topic: null } })).toBe(0);
    expect(await db.prisma.mark.count({ where: { schoolId, date: { lt: today } } })).toBeGreaterThan(50);
    // nobody of one school is enrolled, related or teaching in the other
    expect(await db.prisma.enrollment.count({ where: { schoolId, student: { schoolId: { not: schoolId } } } })).toBe(0);
    expect(
      await db.prisma.teachingAssignment.count({ where: { schoolId, teacher: { schoolId: { not: schoolId } } } }),
    ).toBe(0);
  });

  it("seedDemoIfEmpty seeds an empty database with both schools", async () => {
    await db.prisma.$executeRawUnsafe(
      `TRUNCATE "${db.schema}"."School", "${db.schema}"."Bot" RESTART IDENTITY CASCADE`,
    );
    expect(await seedDemoIfEmpty(db.prisma, TODAY)).toEqual({ seeded: true, schoolId: 1, schoolIds: [1, 2] });
  });
});
