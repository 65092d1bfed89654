import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../../src/core/actor.ts";
import { addDays, fromIsoDate, localMoment, zonedInstant } from "../../../src/core/dates.ts";
import { type ErrorCode, isAppError } from "../../../src/core/errors.ts";
import {
  myChildren,
  studentDay,
  studentHomework,
  studentMarks,
  studentSubjectMarks,
  studentTimetable,
} from "../../../src/core/family/index.ts";
import { correctMark, voidMark } from "../../../src/core/journal/corrections.ts";
import { setHomework } from "../../../src/core/journal/homework.ts";
import { addMarks } from "../../../src/core/journal/marks.ts";
import { setTopic } from "../../../src/core/journal/topic.ts";
import { createTestDb, type TestDb } from "../../helpers/db.ts";
import { buildSchool, lessonOf, type TestSchool } from "../../helpers/factories.ts";

const code = (c: ErrorCode) => (e: unknown) => isAppError(e, c);

describe("family reads (issue 5 item 2)", () => {
  let db: TestDb;
  let s: TestSchool;
  let lastMonday: string;
  let child: number;
  let mother: Actor;
  const reads = (studentId: number) => [
    (a: Actor) => studentDay(db.prisma, a, { studentId, date: lastMonday }),
    (a: Actor) => studentMarks(db.prisma, a, { studentId }),
    (a: Actor) => studentSubjectMarks(db.prisma, a, { studentId, subjectId: s.subjects.algebra }),
    (a: Actor) => studentHomework(db.prisma, a, { studentId, from: lastMonday, to: s.monday }),
    (a: Actor) => studentTimetable(db.prisma, a, { studentId, weekOf: lastMonday }),
  ];

  beforeAll(async () => {
    db = await createTestDb();
    s = await buildSchool(db.prisma, { today: localMoment("Europe/Moscow").date });
    lastMonday = addDays(s.monday, -7);
    child = s.students.c7b[0];
    mother = await s.actor(s.guardians.get(child)![0]);
    const math = await s.actor(s.people.mathTeacher);
    const t0 = { now: zonedInstant("Europe/Moscow", lastMonday, "09:00") };
    const algebra = await lessonOf(db.prisma, s.assignments.algebra7b, lastMonday);
    await setTopic(db.prisma, math, { lessonId: algebra, topic: "Линейные уравнения" });
    const control = await addMarks(
      db.prisma,
      math,
      { lessonId: algebra, workType: "control", entries: [{ studentId: child, value: "3", comment: "ошибки в №3" }] },
      t0,
    );
    await addMarks(
      db.prisma,
      math,
      { lessonId: algebra, workType: "oral", entries: [{ studentId: child, value: "3" }] },
      t0,
    );
    const wrong = await addMarks(
      db.prisma,
      math,
      { lessonId: algebra, workType: "oral", entries: [{ studentId: child, value: "2" }] },
      t0,
    );
    // the control mark is corrected 3 → 5 the next day, the wrong oral mark withdrawn with a reason
    const nextDay = { now: new Date(t0.now.getTime() + 86_400_000) };
    await correctMark(
      db.prisma,
      math,
      { markId: control.marks[0].markId, value: "5", reason: "пересчёт баллов" },
      nextDay,
    );
    await voidMark(db.prisma, math, { markId: wrong.marks[0].markId, reason: "не тот ученик" }, nextDay);
    await setHomework(db.prisma, math, { lessonId: algebra, text: "№ 12, 14" });
    await db.prisma.attendance.create({
      data: {
        schoolId: s.schoolId,
        studentId: child,
        lessonId: await lessonOf(db.prisma, s.assignments.russian7b, lastMonday),
        classId: s.classes.c7b,
        date: fromIsoDate(lastMonday),
        status: "LATE",
        updatedById: s.people.russianTeacher,
      },
    });
  });
  afterAll(() => db.drop());

  it("myChildren: a guardian with consent sees the child, one without consent nobody, a student themself", async () => {
    expect(await myChildren(db.prisma, mother)).toEqual([
      expect.objectContaining({ studentId: child, className: "7Б", classId: s.classes.c7b, relation: "guardian" }),
    ]);
    expect(await myChildren(db.prisma, await s.actor(s.guardians.get(child)![1]))).toEqual([]);
    expect(await myChildren(db.prisma, await s.actor(s.studentPerson.get(child)!))).toEqual([
      expect.objectContaining({ studentId: child, relation: "self" }),
    ]);
  });

  it("studentMarks: by subject with the weighted average; corrections shown as corrections, withdrawals with reason", async () => {
    const res = await studentMarks(db.prisma, mother, { studentId: child });
    expect(res.period?.periodId).toBe(s.periodId);
    const algebra = res.subjects.find((x) => x.subjectId === s.subjects.algebra)!;
    // 5 (control, weight 2) and 3 (oral, weight 1): (5·2 + 3)/3 = 4.33
    expect(algebra.average).toBe(4.33);
    expect(algebra.marks.map((m) => [m.value, m.workType, m.weight])).toEqual([
      ["5", "control", 2],
      ["3", "oral", 1],
    ]);
    expect(algebra.marks[0]).toMatchObject({
      comment: "ошибки в №3",
      date: lastMonday,
      corrections: [{ from: "3", to: "5", reason: "пересчёт баллов" }],
    });
    expect(algebra.withdrawn).toEqual([expect.objectContaining({ value: "2", reason: "не тот ученик" })]);
    // every subject the child takes is listed, marks or not; english only once (own subgroup)
    expect(res.subjects.map((x) => x.subjectId).sort()).toEqual(
      [s.subjects.algebra, s.subjects.russian, s.subjects.english].sort(),
    );
    const one = await studentSubjectMarks(db.prisma, mother, { studentId: child, subjectId: s.subjects.algebra });
    expect(one).toMatchObject({ average: 4.33, name: "Алгебра" });
    expect(Object.values(one.topics)).toEqual(["Линейные уравнения"]);
    expect(JSON.parse(JSON.stringify(one))).toEqual(one);
  });

  it("studentDay: lessons with topics, marks, lateness and homework given", async () => {
    const day = await studentDay(db.prisma, mother, { studentId: child, date: lastMonday });
    // 7Б: algebra, russian and english of the child's own subgroup
    expect(day.lessons.map((l) => l.subjectName)).toEqual(["Алгебра", "Русский язык", "Английский язык"]);
    const [alg, rus] = day.lessons;
    expect(alg).toMatchObject({ topic: "Линейные уравнения", startsAt: "08:30", attendance: null });
    expect(alg.marks.map((m) => m.value)).toEqual(["5", "3"]);
    expect(alg.homework.map((h) => h.text)).toEqual(["№ 12, 14"]);
    expect(rus.attendance).toEqual({ status: "LATE", reason: null });
  });

  it("R-15 a mark still in its author's grace period is not shown to the family yet (staff see it)", async () => {
    const math = await s.actor(s.people.mathTeacher);
    const lessonId = await lessonOf(db.prisma, s.assignments.algebra7b, addDays(lastMonday, 1));
    await addMarks(db.prisma, math, { lessonId, workType: "oral", entries: [{ studentId: child, value: "4" }] });
    const date = addDays(lastMonday, 1);
    const family = await studentDay(db.prisma, mother, { studentId: child, date });
    expect(family.lessons[0].marks).toEqual([]);
    const staff = await studentDay(db.prisma, math, { studentId: child, date });
    expect(staff.lessons[0].marks.map((m) => m.value)).toEqual(["4"]);
  });

  it("R-20 timetable: a week with bells, a substitution and a cancellation", async () => {
    const tue = await lessonOf(db.prisma, s.assignments.russian7b, addDays(lastMonday, 1));
    const wed = await lessonOf(db.prisma, s.assignments.algebra7b, addDays(lastMonday, 2));
    await db.prisma.substitution.create({
      data: { schoolId: s.schoolId, lessonId: tue, substituteId: s.people.otherTeacher, grantedById: s.people.deputy },
    });
    await db.prisma.lesson.update({ where: { id: wed }, data: { status: "CANCELLED" } });
    const week = await studentTimetable(db.prisma, mother, { studentId: child, weekOf: addDays(lastMonday, 3) });
    expect(week.weekStart).toBe(lastMonday);
    expect(week.days).toHaveLength(7);
    expect(week.days.slice(0, 5).every((d) => d.lessons.length === 3)).toBe(true);
    expect(week.days[5].lessons).toEqual([]);
    const russianTue = week.days[1].lessons.find((l) => l.lessonId === tue)!;
    expect(russianTue.substitute).toContain("Посторонний");
    expect(week.days[2].lessons.find((l) => l.lessonId === wed)?.status).toBe("CANCELLED");
    expect(russianTue.changed).toBe(false);
  });

  it("R-23 every family view is written to the view log; a teacher's is not", async () => {
    const before = await db.prisma.viewLog.count({ where: { studentId: child } });
    for (const read of reads(child)) await read(mother);
    await studentMarks(db.prisma, await s.actor(s.studentPerson.get(child)!), { studentId: child });
    await studentMarks(db.prisma, await s.actor(s.people.mathTeacher), { studentId: child });
    const logs = await db.prisma.viewLog.findMany({ where: { studentId: child }, orderBy: { id: "asc" } });
    expect(logs.length - before).toBe(6);
    expect(logs.slice(-6).map((l) => l.what)).toEqual([
      "day",
      "marks",
      "subject-marks",
      "homework",
      "timetable",
      "marks",
    ]);
  });

  it("R-05 a guardian of another child is FORBIDDEN on every family read, and nothing is logged", async () => {
    const stranger = await s.actor(s.guardians.get(s.students.c7b[1])![0]);
    const before = await db.prisma.viewLog.count();
    for (const read of reads(child)) await expect(read(stranger)).rejects.toSatisfy(code("FORBIDDEN"));
    // another student too (R-06 reads only their own), and a tampered id
    const classmate = await s.actor(s.studentPerson.get(s.students.c7b[1])!);
    for (const read of reads(child)) await expect(read(classmate)).rejects.toSatisfy(code("FORBIDDEN"));
    for (const read of reads(99_999_999)) await expect(read(mother)).rejects.toSatisfy(code("FORBIDDEN"));
    expect(await db.prisma.viewLog.count()).toBe(before);
  });

  it("R-09 a guardian whose consent was revoked sees nothing", async () => {
    const st = s.students.c8a[0];
    const guardianId = s.guardians.get(st)![0];
    const g = await s.actor(guardianId);
    expect(await myChildren(db.prisma, g)).toHaveLength(1);
    await studentMarks(db.prisma, g, { studentId: st });
    await db.prisma.guardianship.update({
      where: { guardianId_studentId: { guardianId, studentId: st } },
      data: { consentRevokedAt: new Date() },
    });
    expect(await myChildren(db.prisma, g)).toEqual([]);
    for (const read of reads(st)) await expect(read(g)).rejects.toSatisfy(code("FORBIDDEN"));
  });

  it("R-10 a deputy may read a student's diary and the access is audited", async () => {
    const deputy = await s.actor(s.people.deputy);
    const before = await db.prisma.auditEvent.count({ where: { schoolId: s.schoolId, action: "student.view" } });
    const res = await studentMarks(db.prisma, deputy, { studentId: child });
    expect(res.subjects.length).toBeGreaterThan(0);
    expect(await db.prisma.auditEvent.count({ where: { schoolId: s.schoolId, action: "student.view" } })).toBe(
      before + 1,
    );
  });

  it("bad input is VALIDATION after the access check", async () => {
    await expect(studentDay(db.prisma, mother, { studentId: child, date: "2025-02-30" })).rejects.toSatisfy(
      code("VALIDATION"),
    );
    await expect(
      studentHomework(db.prisma, mother, { studentId: child, from: s.monday, to: lastMonday }),
    ).rejects.toSatisfy(code("VALIDATION"));
  });
});
