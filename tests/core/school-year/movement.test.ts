// admission, leaving and transfer by the administration's order; the student's history stays with every
// mark; a leaving student's marks as an extract for the family.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "../../../src/core/audit.ts";
import { addDays, fromIsoDate, localMoment } from "../../../src/core/dates.ts";
import { type ErrorCode, isAppError } from "../../../src/core/errors.ts";
import { addMarks } from "../../../src/core/journal/marks.ts";
import { rosterOf } from "../../../src/core/journal/roster.ts";
import { marksExtract } from "../../../src/core/school-year/marks-extract.ts";
import { admitStudent, changeSubgroup, leaveStudent, transferStudent } from "../../../src/core/school-year/movement.ts";
import { parseOrderText } from "../../../src/core/school-year/order.ts";
import { studentCard } from "../../../src/core/school-year/students-read.ts";
import { createTestDb, type TestDb } from "../../helpers/db.ts";
import { buildSchool, lessonOf, type TestSchool } from "../../helpers/factories.ts";

const code = (c: ErrorCode) => (e: unknown) => isAppError(e, c);
const order = { number: "45-у", date: "2026-11-10" };

describe("R-33 student movement", () => {
  let db: TestDb;
  let s: TestSchool;
  let lastMonday: string;
  const ids = (roster: { studentId: number }[]) => roster.map((r) => r.studentId);

  beforeAll(async () => {
    db = await createTestDb();
    s = await buildSchool(db.prisma, { today: localMoment("Europe/Moscow").date });
    lastMonday = addDays(s.monday, -7);
  });
  afterAll(() => db.drop());

  it("R-33: the order typed as «№ 45-у от 10.11.2026» is read as its number and date", () => {
    expect(parseOrderText("№ 45-у от 10.11.2026")).toEqual(order);
    expect(parseOrderText("приказ 12 от 1.9.26")).toEqual({ number: "12", date: "2026-09-01" });
    expect(parseOrderText("45")).toBeNull();
    expect(parseOrderText("от 10.11.2026")).toBeNull();
    expect(parseOrderText("45 от 31.02.2026")).toBeNull();
  });

  it("R-33: a teacher may not move a student, and nothing changes", async () => {
    const teacher = await s.actor(s.people.mathTeacher);
    const before = await db.prisma.enrollment.count();
    await expect(
      transferStudent(db.prisma, teacher, {
        studentId: s.students.c7b[0],
        classId: s.classes.c8a,
        date: s.monday,
        order,
      }),
    ).rejects.toSatisfy(code("FORBIDDEN"));
    await expect(
      leaveStudent(db.prisma, teacher, { studentId: s.students.c7b[0], date: s.monday, order }),
    ).rejects.toSatisfy(code("FORBIDDEN"));
    expect(await db.prisma.enrollment.count()).toBe(before);
    expect(await db.prisma.studentMovement.count()).toBe(0);
  });

  it("R-33: a transfer keeps the marks in the old class's journal; the new class has the student from the date", async () => {
    const deputy = await s.actor(s.people.deputy);
    const math = await s.actor(s.people.mathTeacher);
    const studentId = s.students.c7b[0];
    const oldLesson = await lessonOf(db.prisma, s.assignments.algebra7b, lastMonday);
    await addMarks(db.prisma, math, { lessonId: oldLesson, workType: "oral", entries: [{ studentId, value: "5" }] });

    // a mark in 7Б after the date would be stranded
    const later = await lessonOf(db.prisma, s.assignments.algebra7b, addDays(lastMonday, 2));
    await addMarks(db.prisma, math, { lessonId: later, workType: "oral", entries: [{ studentId, value: "4" }] });
    await expect(
      transferStudent(db.prisma, deputy, { studentId, classId: s.classes.c8a, date: addDays(lastMonday, 1), order }),
    ).rejects.toSatisfy(code("CONFLICT"));

    const res = await transferStudent(db.prisma, deputy, { studentId, classId: s.classes.c8a, date: s.monday, order });
    expect(res).toMatchObject({ kind: "TRANSFER", fromClass: "7Б", toClass: "8А", date: s.monday });
    // the old class keeps what was its own
    expect(
      ids(await rosterOf(db.prisma, { schoolId: s.schoolId, classId: s.classes.c7b, subgroupId: null }, lastMonday)),
    ).toContain(studentId);
    expect(
      ids(await rosterOf(db.prisma, { schoolId: s.schoolId, classId: s.classes.c7b, subgroupId: null }, s.monday)),
    ).not.toContain(studentId);
    // the new class only from the transfer on
    expect(
      ids(await rosterOf(db.prisma, { schoolId: s.schoolId, classId: s.classes.c8a, subgroupId: null }, lastMonday)),
    ).not.toContain(studentId);
    expect(
      ids(await rosterOf(db.prisma, { schoolId: s.schoolId, classId: s.classes.c8a, subgroupId: null }, s.monday)),
    ).toContain(studentId);
    const marks = await db.prisma.mark.findMany({
      where: { studentId },
      include: { lesson: { include: { assignment: true } } },
    });
    expect(marks.map((m) => m.lesson.assignment.classId)).toEqual([s.classes.c7b, s.classes.c7b]);
    // the English subgroup of 7Б ended with the class
    const groups = await db.prisma.subgroupMember.findMany({ where: { studentId } });
    expect(groups.every((g) => g.toDate?.toISOString().slice(0, 10) === s.monday)).toBe(true);
    const card = await studentCard(db.prisma, deputy, { studentId });
    expect(card.className).toBe("8А");
    expect(card.movements).toEqual([
      expect.objectContaining({
        kind: "TRANSFER",
        fromClass: "7Б",
        toClass: "8А",
        orderNo: "45-у",
        orderDate: "2026-11-10",
      }),
    ]);
    const audit = await db.prisma.auditEvent.findMany({ where: { action: "student.transfer" } });
    expect(audit).toHaveLength(1);
    expect((await verifyAuditChain(db.prisma, s.schoolId)).ok).toBe(true);
  });

  it("R-33: a change of subgroup moves the student between the English groups from the date", async () => {
    const deputy = await s.actor(s.people.deputy);
    const studentId = s.students.c7b[2]; // subgroup 1
    const sg2 = await db.prisma.subgroup.findFirstOrThrow({ where: { classId: s.classes.c7b, number: 2 } });
    const res = await changeSubgroup(db.prisma, deputy, { studentId, subgroupId: sg2.id, date: s.monday, order });
    expect(res.kind).toBe("SUBGROUP");
    const g = { schoolId: s.schoolId, classId: s.classes.c7b };
    const sg1 = await db.prisma.subgroup.findFirstOrThrow({ where: { classId: s.classes.c7b, number: 1 } });
    expect(ids(await rosterOf(db.prisma, { ...g, subgroupId: sg1.id }, lastMonday))).toContain(studentId);
    expect(ids(await rosterOf(db.prisma, { ...g, subgroupId: sg1.id }, s.monday))).not.toContain(studentId);
    expect(ids(await rosterOf(db.prisma, { ...g, subgroupId: sg2.id }, s.monday))).toContain(studentId);
  });

  it("R-33: admission enrolls a new student from the date", async () => {
    const deputy = await s.actor(s.people.deputy);
    const res = await admitStudent(db.prisma, deputy, {
      lastName: "Новикова",
      firstName: "Алиса",
      classId: s.classes.c2a,
      date: s.monday,
      order,
    });
    const g = { schoolId: s.schoolId, classId: s.classes.c2a, subgroupId: null };
    expect(ids(await rosterOf(db.prisma, g, s.monday))).toContain(res.studentId);
    expect(ids(await rosterOf(db.prisma, g, lastMonday))).not.toContain(res.studentId);
  });

  it("R-33: leaving ends the enrollment, keeps the marks, tells the families and gives the extract", async () => {
    const deputy = await s.actor(s.people.deputy);
    const russian = await s.actor(s.people.russianTeacher);
    const studentId = s.students.c8a[1];
    const lesson = await lessonOf(db.prisma, s.assignments.russian8a, lastMonday);
    await addMarks(db.prisma, russian, { lessonId: lesson, workType: "oral", entries: [{ studentId, value: "4" }] });
    const res = await leaveStudent(db.prisma, deputy, { studentId, date: s.monday, order });
    expect(res).toMatchObject({ kind: "LEAVING", fromClass: "8А" });
    const student = await db.prisma.student.findUniqueOrThrow({ where: { id: studentId } });
    expect(student.leftAt).toEqual(fromIsoDate(s.monday));
    expect(await db.prisma.mark.count({ where: { studentId, status: "ACTIVE" } })).toBe(1);
    const outbox = await db.prisma.outbox.findMany({ where: { kind: "student.left" } });
    expect(outbox.map((o) => o.payload)).toEqual([{ movementId: res.movementId }]);
    await expect(leaveStudent(db.prisma, deputy, { studentId, date: s.monday, order })).rejects.toSatisfy(
      code("CONFLICT"),
    );

    const extract = await marksExtract(db.prisma, deputy, { studentId });
    expect(extract.classes).toEqual([{ name: "8А", from: addDays(s.monday, -60), to: s.monday }]);
    expect(extract.leaving).toEqual({ date: s.monday, orderNo: "45-у", orderDate: "2026-11-10" });
    expect(extract.subjects).toEqual([
      { subject: "Русский язык", marks: [{ date: lastMonday, value: "4" }], average: 4, termGrades: {} },
    ]);
    // the family may have it too, a stranger may not
    const [guardian] = s.guardians.get(studentId)!;
    const family = { personId: guardian, schoolId: s.schoolId, roles: [] };
    expect((await marksExtract(db.prisma, family, { studentId })).studentName).toBe(extract.studentName);
    await expect(marksExtract(db.prisma, await s.actor(s.people.otherTeacher), { studentId })).rejects.toSatisfy(
      code("FORBIDDEN"),
    );
  });
});
