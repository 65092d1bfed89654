import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, fromIsoDate, localMoment } from "../../../src/core/dates.ts";
import { isAppError } from "../../../src/core/errors.ts";
import { markAllPresent, saveAttendance } from "../../../src/core/journal/attendance.ts";
import { lessonCard } from "../../../src/core/journal/lesson-card.ts";
import { createTestDb, type TestDb } from "../../helpers/db.ts";
import { buildSchool, lessonOf, type TestSchool } from "../../helpers/factories.ts";

const code = (c: string) => (e: unknown) => isAppError(e, c as never);

describe("attendance of a lesson", () => {
  let db: TestDb;
  let s: TestSchool;
  let other: TestSchool;
  let lastWeek: string;
  const counts = async () => ({
    attendance: await db.prisma.attendance.count(),
    audit: await db.prisma.auditEvent.count(),
    outbox: await db.prisma.outbox.count(),
  });
  beforeAll(async () => {
    db = await createTestDb();
    const today = localMoment("Europe/Moscow").date;
    s = await buildSchool(db.prisma, { today });
    other = await buildSchool(db.prisma, { today, studentsPerClass: 2 });
    lastWeek = addDays(s.monday, -7);
  });
  afterAll(() => db.drop());

  it("saves the whole lesson at once, everyone else present, and notifies each newly absent or late student", async () => {
    const math = await s.actor(s.people.mathTeacher);
    const lessonId = await lessonOf(db.prisma, s.assignments.algebra7b, lastWeek);
    const [a, b, c] = s.students.c7b;
    const before = await counts();
    const res = await saveAttendance(db.prisma, math, { lessonId, absent: [a], late: [b] });
    expect(res).toMatchObject({ lessonId, present: 4, changed: true });
    expect(res.absent.map((x) => x.studentId)).toEqual([a]);
    expect(res.late.map((x) => x.studentId)).toEqual([b]);
    const rows = await db.prisma.attendance.findMany({ where: { lessonId }, orderBy: { studentId: "asc" } });
    expect(rows.map((r) => [r.studentId, r.status, r.classId])).toEqual([
      [a, "ABSENT", s.classes.c7b],
      [b, "LATE", s.classes.c7b],
    ]);
    const lesson = await db.prisma.lesson.findUniqueOrThrow({ where: { id: lessonId } });
    expect(lesson.attendanceTakenAt).not.toBeNull();
    const after = await counts();
    expect(after.audit - before.audit).toBe(1);
    const outbox = await db.prisma.outbox.findMany({ orderBy: { id: "asc" }, where: { kind: "attendance.absent" } });
    expect(outbox.map((o) => o.payload)).toEqual(rows.map((r) => ({ attendanceId: r.id })));

    // idempotent: the same save writes nothing, audits nothing, notifies nothing
    const again = await saveAttendance(db.prisma, math, { lessonId, absent: [a], late: [b] });
    expect(again.changed).toBe(false);
    expect(await counts()).toEqual(after);

    // b arrives after all (row removed), c is absent: one new notification only
    const third = await saveAttendance(db.prisma, math, { lessonId, absent: [a, c], late: [] });
    expect(third).toMatchObject({ changed: true, present: 4 });
    const now = await counts();
    expect(now.outbox - after.outbox).toBe(1);
    expect(now.audit - after.audit).toBe(1);
    expect((await db.prisma.attendance.findMany({ where: { lessonId } })).map((r) => r.studentId).sort()).toEqual(
      [a, c].sort(),
    );
  });

  it("keeps the class teacher's reason while the student stays absent, and «Все на месте» clears the lesson", async () => {
    const math = await s.actor(s.people.mathTeacher);
    const lessonId = await lessonOf(db.prisma, s.assignments.algebra7b, addDays(lastWeek, 1));
    const [a, b] = s.students.c7b;
    await saveAttendance(db.prisma, math, { lessonId, absent: [a], late: [] });
    await db.prisma.attendance.updateMany({ where: { lessonId, studentId: a }, data: { reason: "ILLNESS" } });
    await saveAttendance(db.prisma, math, { lessonId, absent: [a, b], late: [] });
    const rows = await db.prisma.attendance.findMany({ where: { lessonId }, orderBy: { studentId: "asc" } });
    expect(rows.map((r) => r.reason)).toEqual(["ILLNESS", null]);
    const all = await markAllPresent(db.prisma, math, { lessonId });
    expect(all).toMatchObject({ present: 6, absent: [], late: [], changed: true });
    expect(await db.prisma.attendance.count({ where: { lessonId } })).toBe(0);
    expect((await markAllPresent(db.prisma, math, { lessonId })).changed).toBe(false);
  });

  it("refuses a student not on the roster with VALIDATION and writes nothing", async () => {
    const math = await s.actor(s.people.mathTeacher);
    const lessonId = await lessonOf(db.prisma, s.assignments.algebra7b, addDays(lastWeek, 2));
    const before = await counts();
    await expect(
      saveAttendance(db.prisma, math, { lessonId, absent: [s.students.c7b[0], s.students.c8a[0]], late: [] }),
    ).rejects.toSatisfy(code("VALIDATION"));
    await expect(
      saveAttendance(db.prisma, math, { lessonId, absent: [s.students.c7b[0]], late: [other.students.c7b[0]] }),
    ).rejects.toSatisfy(code("VALIDATION"));
    await expect(
      saveAttendance(db.prisma, math, { lessonId, absent: [s.students.c7b[0]], late: [s.students.c7b[0]] }),
    ).rejects.toSatisfy(code("VALIDATION"));
    await expect(saveAttendance(db.prisma, math, { lessonId, absent: ["x" as never], late: [] })).rejects.toSatisfy(
      code("VALIDATION"),
    );
    expect(await counts()).toEqual(before);
    const lesson = await db.prisma.lesson.findUniqueOrThrow({ where: { id: lessonId } });
    expect(lesson.attendanceTakenAt).toBeNull();
  });

  it("R-02 a teacher writes only own lessons: another teacher, or the class teacher on a colleague's lesson, is FORBIDDEN", async () => {
    const lessonId = await lessonOf(db.prisma, s.assignments.russian7b, lastWeek);
    const before = await counts();
    for (const person of [s.people.otherTeacher, s.people.mathTeacher, s.people.englishTeacher1, s.people.deputy]) {
      await expect(
        saveAttendance(db.prisma, await s.actor(person), { lessonId, absent: [s.students.c7b[0]], late: [] }),
      ).rejects.toSatisfy(code("FORBIDDEN"));
    }
    // the other teacher cannot read it either; the class teacher and the deputy can, read-only
    await expect(lessonCard(db.prisma, await s.actor(s.people.otherTeacher), { lessonId })).rejects.toSatisfy(
      code("FORBIDDEN"),
    );
    const byClassTeacher = await lessonCard(db.prisma, await s.actor(s.people.mathTeacher), { lessonId });
    expect(byClassTeacher).toMatchObject({ canWrite: false, role: "class-teacher" });
    expect((await lessonCard(db.prisma, await s.actor(s.people.russianTeacher), { lessonId })).canWrite).toBe(true);
    expect(await counts()).toEqual(before);
  });

  it("R-06 a student and a guardian can neither write nor open a lesson card", async () => {
    const lessonId = await lessonOf(db.prisma, s.assignments.algebra7b, addDays(lastWeek, 3));
    const st = s.students.c7b[0];
    for (const person of [s.studentPerson.get(st)!, s.guardians.get(st)![0]]) {
      const actor = await s.actor(person);
      await expect(saveAttendance(db.prisma, actor, { lessonId, absent: [st], late: [] })).rejects.toSatisfy(
        code("FORBIDDEN"),
      );
      await expect(markAllPresent(db.prisma, actor, { lessonId })).rejects.toSatisfy(code("FORBIDDEN"));
      await expect(lessonCard(db.prisma, actor, { lessonId })).rejects.toSatisfy(code("FORBIDDEN"));
    }
    expect(await db.prisma.attendance.count({ where: { lessonId } })).toBe(0);
  });

  it("tampered ids: a lesson of another school or a nonexistent lesson is FORBIDDEN", async () => {
    const math = await s.actor(s.people.mathTeacher);
    const foreign = await lessonOf(db.prisma, other.assignments.algebra7b, lastWeek);
    const before = await counts();
    for (const lessonId of [foreign, 99_999_999]) {
      await expect(saveAttendance(db.prisma, math, { lessonId, absent: [], late: [] })).rejects.toSatisfy(
        code("FORBIDDEN"),
      );
      await expect(lessonCard(db.prisma, math, { lessonId })).rejects.toSatisfy(code("FORBIDDEN"));
    }
    expect(await counts()).toEqual(before);
  });

  it("refuses attendance for a lesson in the future and for a cancelled lesson", async () => {
    const math = await s.actor(s.people.mathTeacher);
    const future = await lessonOf(db.prisma, s.assignments.algebra7b, addDays(s.monday, 8));
    await expect(markAllPresent(db.prisma, math, { lessonId: future })).rejects.toSatisfy(code("VALIDATION"));
    const cancelled = await lessonOf(db.prisma, s.assignments.algebra8a, addDays(lastWeek, 4));
    await db.prisma.lesson.update({ where: { id: cancelled }, data: { status: "CANCELLED" } });
    await expect(markAllPresent(db.prisma, math, { lessonId: cancelled })).rejects.toSatisfy(code("CONFLICT"));
  });

  it("R-18 a subgroup lesson has the subgroup's roster, and each English teacher reaches only their subgroup", async () => {
    const t1 = await s.actor(s.people.englishTeacher1);
    const l1 = await lessonOf(db.prisma, s.assignments.eng7b1, lastWeek);
    const l2 = await lessonOf(db.prisma, s.assignments.eng7b2, lastWeek);
    const card = await lessonCard(db.prisma, t1, { lessonId: l1 });
    const sg1 = [s.students.c7b[0], s.students.c7b[2], s.students.c7b[4]];
    expect(card.students.map((x) => x.studentId)).toEqual(sg1);
    expect(card.subgroupNo).toBe(1);
    await expect(lessonCard(db.prisma, t1, { lessonId: l2 })).rejects.toSatisfy(code("FORBIDDEN"));
    await expect(
      saveAttendance(db.prisma, t1, { lessonId: l1, absent: [s.students.c7b[1]], late: [] }),
    ).rejects.toSatisfy(code("VALIDATION"));
    const card2 = await lessonCard(db.prisma, await s.actor(s.people.englishTeacher2), { lessonId: l2 });
    expect(card2.students.map((x) => x.studentId)).toEqual([s.students.c7b[1], s.students.c7b[3], s.students.c7b[5]]);
  });

  it("the roster respects enrollment dates: a student moved mid-week appears in the right lesson only", async () => {
    const moved = s.students.c7b[5];
    const wednesday = addDays(lastWeek, 2);
    await db.prisma.enrollment.updateMany({
      where: { studentId: moved, classId: s.classes.c7b },
      data: { toDate: fromIsoDate(wednesday) },
    });
    await db.prisma.subgroupMember.updateMany({
      where: { studentId: moved },
      data: { toDate: fromIsoDate(wednesday) },
    });
    await db.prisma.enrollment.create({
      data: { schoolId: s.schoolId, studentId: moved, classId: s.classes.c8a, fromDate: fromIsoDate(wednesday) },
    });
    const math = await s.actor(s.people.mathTeacher);
    const ids = async (assignmentId: number, date: string) =>
      (await lessonCard(db.prisma, math, { lessonId: await lessonOf(db.prisma, assignmentId, date) })).students.map(
        (x) => x.studentId,
      );
    const tuesday = addDays(lastWeek, 1);
    expect(await ids(s.assignments.algebra7b, tuesday)).toContain(moved);
    expect(await ids(s.assignments.algebra7b, wednesday)).not.toContain(moved);
    expect(await ids(s.assignments.algebra8a, tuesday)).not.toContain(moved);
    expect(await ids(s.assignments.algebra8a, wednesday)).toContain(moved);
    const wed7b = await lessonOf(db.prisma, s.assignments.algebra7b, wednesday);
    await expect(saveAttendance(db.prisma, math, { lessonId: wed7b, absent: [moved], late: [] })).rejects.toSatisfy(
      code("VALIDATION"),
    );
    await db.prisma.enrollment.deleteMany({ where: { studentId: moved, classId: s.classes.c8a } });
    await db.prisma.enrollment.updateMany({ where: { studentId: moved }, data: { toDate: null } });
    await db.prisma.subgroupMember.updateMany({ where: { studentId: moved }, data: { toDate: null } });
  });

  it("the lesson card carries attendance, active marks, topic and homework as plain data", async () => {
    const math = await s.actor(s.people.mathTeacher);
    const date = addDays(lastWeek, 4);
    const lessonId = await lessonOf(db.prisma, s.assignments.algebra7b, date);
    const [a, b] = s.students.c7b;
    await saveAttendance(db.prisma, math, { lessonId, absent: [b], late: [] });
    const base = {
      schoolId: s.schoolId,
      studentId: a,
      lessonId,
      subjectId: s.subjects.algebra,
      date: fromIsoDate(date),
      workType: "oral",
      weight: 1,
      authorId: s.people.mathTeacher,
    };
    const old = await db.prisma.mark.create({ data: { ...base, value: "3", status: "SUPERSEDED" } });
    const active = await db.prisma.mark.create({ data: { ...base, value: "4", supersedesId: old.id, comment: "ok" } });
    await db.prisma.homework.create({
      data: {
        schoolId: s.schoolId,
        lessonId,
        text: "№ 12",
        dueDate: fromIsoDate(addDays(date, 3)),
        authorId: s.people.mathTeacher,
      },
    });
    await db.prisma.lesson.update({ where: { id: lessonId }, data: { topic: "Степени" } });
    const card = await lessonCard(db.prisma, math, { lessonId });
    expect(card).toMatchObject({
      lessonId,
      date,
      className: "7Б",
      subjectName: "Алгебра",
      startsAt: "08:30",
      topic: "Степени",
      canWrite: true,
      attendanceTaken: true,
      homework: [{ text: "№ 12", dueDate: addDays(date, 3), studentIds: [] }],
    });
    expect(card.students[0].marks).toEqual([
      {
        id: active.id,
        value: "4",
        workType: "oral",
        weight: 1,
        comment: "ok",
        authorId: s.people.mathTeacher,
        createdAt: active.createdAt.toISOString(),
      },
    ]);
    expect(card.students[1].attendance).toMatchObject({ status: "ABSENT", reason: null });
    expect(JSON.parse(JSON.stringify(card))).toEqual(card);
  });

  it("two saves of the same lesson at once leave one consistent result", async () => {
    const math = await s.actor(s.people.mathTeacher);
    const lessonId = await lessonOf(db.prisma, s.assignments.algebra8a, lastWeek);
    const [a, b, c] = s.students.c8a;
    const before = await counts();
    const results = await Promise.all([
      saveAttendance(db.prisma, math, { lessonId, absent: [a, b], late: [] }),
      saveAttendance(db.prisma, math, { lessonId, absent: [a, b], late: [] }),
      saveAttendance(db.prisma, math, { lessonId, absent: [c], late: [a] }),
    ]);
    expect(results.filter((r) => r.changed).length).toBeGreaterThanOrEqual(1);
    const rows = await db.prisma.attendance.findMany({ where: { lessonId } });
    const state = rows.map((r) => `${r.studentId}:${r.status}`).sort();
    expect([[`${a}:ABSENT`, `${b}:ABSENT`].sort(), [`${a}:LATE`, `${c}:ABSENT`].sort()]).toContainEqual(state);
    // every save that changed something wrote exactly one audit event
    const after = await counts();
    expect(after.audit - before.audit).toBe(results.filter((r) => r.changed).length);
  });
});
