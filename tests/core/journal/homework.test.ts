import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, localMoment } from "../../../src/core/dates.ts";
import { type ErrorCode, isAppError } from "../../../src/core/errors.ts";
import { studentHomework } from "../../../src/core/family/student-homework.ts";
import { homeworkForStudent, setHomework } from "../../../src/core/journal/homework.ts";
import { createTestDb, type TestDb } from "../../helpers/db.ts";
import { buildSchool, lessonOf, type TestSchool } from "../../helpers/factories.ts";

const code = (c: ErrorCode) => (e: unknown) => isAppError(e, c);

describe("homework", () => {
  let db: TestDb;
  let s: TestSchool;
  let lastMonday: string;

  beforeAll(async () => {
    db = await createTestDb();
    s = await buildSchool(db.prisma, { today: localMoment("Europe/Moscow").date });
    lastMonday = addDays(s.monday, -7);
  });
  afterAll(() => db.drop());

  it("R-17 due date defaults to the next lesson of the assignment (a cancelled one skipped), else a week later", async () => {
    const math = await s.actor(s.people.mathTeacher);
    const friday = addDays(lastMonday, 4);
    const lessonId = await lessonOf(db.prisma, s.assignments.algebra7b, friday);
    const hw = await setHomework(db.prisma, math, { lessonId, text: "№ 101–105" });
    expect(hw).toMatchObject({ lessonId, givenOn: friday, dueDate: s.monday, individual: false, studentIds: [] });
    const out = await db.prisma.outbox.findMany({ where: { schoolId: s.schoolId, kind: "homework.created" } });
    expect(out.map((o) => o.payload)).toContainEqual({ homeworkId: hw.homeworkId });

    const nextMonday = await lessonOf(db.prisma, s.assignments.algebra7b, s.monday);
    await db.prisma.lesson.update({ where: { id: nextMonday }, data: { status: "CANCELLED" } });
    const skip = await setHomework(db.prisma, math, { lessonId, text: "повторить" });
    expect(skip.dueDate).toBe(addDays(s.monday, 1));
    await db.prisma.lesson.update({ where: { id: nextMonday }, data: { status: "SCHEDULED" } });

    // the last materialised lesson has no next one
    const lastDay = addDays(s.monday, 11);
    const last = await lessonOf(db.prisma, s.assignments.algebra7b, lastDay);
    expect((await setHomework(db.prisma, math, { lessonId: last, text: "на каникулы" })).dueDate).toBe(
      addDays(lastDay, 7),
    );
    // explicit date, files as opaque references
    const explicit = await setHomework(db.prisma, math, {
      lessonId,
      text: "Рабочий лист",
      dueDate: addDays(friday, 10),
      files: [{ kind: "document", fileId: "BQACAgIAAxkBAAIB", name: "лист.pdf" }],
    });
    expect(explicit).toMatchObject({ dueDate: addDays(friday, 10), files: [{ kind: "document", name: "лист.pdf" }] });
  });

  it("R-17 individual homework is visible only to that student's family; a subgroup's only to the subgroup", async () => {
    const math = await s.actor(s.people.mathTeacher);
    const lessonId = await lessonOf(db.prisma, s.assignments.algebra7b, addDays(lastMonday, 1));
    const [a, b] = s.students.c7b;
    const general = await setHomework(db.prisma, math, { lessonId, text: "общее", dueDate: addDays(lastMonday, 3) });
    const personal = await setHomework(db.prisma, math, {
      lessonId,
      text: "индивидуальное",
      dueDate: addDays(lastMonday, 3),
      studentIds: [a],
    });
    expect(personal.individual).toBe(true);
    const eng = await s.actor(s.people.englishTeacher1);
    const engLesson = await lessonOf(db.prisma, s.assignments.eng7b1, addDays(lastMonday, 1));
    const sub1 = await setHomework(db.prisma, eng, {
      lessonId: engLesson,
      text: "Unit 3",
      dueDate: addDays(lastMonday, 3),
    });

    const range = { from: addDays(lastMonday, 3), to: addDays(lastMonday, 3) };
    const ofA = await studentHomework(db.prisma, await s.actor(s.guardians.get(a)![0]), { studentId: a, ...range });
    expect(ofA.items.map((h) => h.homeworkId).sort()).toEqual(
      [general.homeworkId, personal.homeworkId, sub1.homeworkId].sort(),
    );
    expect(ofA.items.find((h) => h.homeworkId === personal.homeworkId)).toMatchObject({
      individual: true,
      studentIds: [a],
    });
    // b is in subgroup 2 and was not given the individual task
    const ofB = await studentHomework(db.prisma, await s.actor(s.guardians.get(b)![0]), { studentId: b, ...range });
    expect(ofB.items.map((h) => h.homeworkId)).toEqual([general.homeworkId]);
    // the student sees the same for themself, read-only
    const self = await homeworkForStudent(db.prisma, await s.actor(s.studentPerson.get(b)!), {
      studentId: b,
      ...range,
    });
    expect(self.items.map((h) => h.homeworkId)).toEqual([general.homeworkId]);
    // b's guardian cannot ask for a
    await expect(
      studentHomework(db.prisma, await s.actor(s.guardians.get(b)![0]), { studentId: a, ...range }),
    ).rejects.toSatisfy(code("FORBIDDEN"));
    // the second guardian never gave consent
    await expect(
      studentHomework(db.prisma, await s.actor(s.guardians.get(a)![1]), { studentId: a, ...range }),
    ).rejects.toSatisfy(code("FORBIDDEN"));
  });

  it("R-17 students of individual homework must be on the roster; the text is required; only the lesson's teacher", async () => {
    const math = await s.actor(s.people.mathTeacher);
    const lessonId = await lessonOf(db.prisma, s.assignments.algebra7b, addDays(lastMonday, 2));
    const before = await db.prisma.homework.count();
    const err = await setHomework(db.prisma, math, {
      lessonId,
      text: "x",
      studentIds: [s.students.c7b[0], s.students.c8a[0]],
    }).catch((e) => e);
    expect(isAppError(err, "VALIDATION")).toBe(true);
    expect(err.details.issues).toEqual([expect.objectContaining({ path: "studentIds.1", code: "not_on_roster" })]);
    await expect(setHomework(db.prisma, math, { lessonId, text: "  " })).rejects.toSatisfy(code("VALIDATION"));
    await expect(
      setHomework(db.prisma, math, { lessonId, text: "x", dueDate: addDays(lastMonday, 1) }),
    ).rejects.toSatisfy(code("VALIDATION"));
    await expect(
      setHomework(db.prisma, math, { lessonId, text: "x", files: [{ kind: "video" as "photo", fileId: "1" }] }),
    ).rejects.toSatisfy(code("VALIDATION"));
    await expect(
      setHomework(db.prisma, await s.actor(s.people.russianTeacher), { lessonId, text: "x" }),
    ).rejects.toSatisfy(code("FORBIDDEN"));
    expect(await db.prisma.homework.count()).toBe(before);
  });
});
