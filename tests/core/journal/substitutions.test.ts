import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, localMoment } from "../../../src/core/dates.ts";
import { isAppError } from "../../../src/core/errors.ts";
import { saveAttendance } from "../../../src/core/journal/attendance.ts";
import { lessonCard } from "../../../src/core/journal/lesson-card.ts";
import {
  grantSubstitution,
  revokeSubstitution,
  schoolLessonsOn,
  substituteCandidates,
} from "../../../src/core/journal/substitutions.ts";
import { createTestDb, type TestDb } from "../../helpers/db.ts";
import { buildSchool, lessonOf, type TestSchool } from "../../helpers/factories.ts";

const code = (c: string) => (e: unknown) => isAppError(e, c as never);

describe("substitutions", () => {
  let db: TestDb;
  let s: TestSchool;
  let other: TestSchool;
  let lastWeek: string;
  const counts = async () => ({
    substitutions: await db.prisma.substitution.count(),
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

  it("R-04 the substitute writes the granted lesson only, and the grant is audited with who granted it", async () => {
    const deputy = await s.actor(s.people.deputy);
    const sub = await s.actor(s.people.otherTeacher);
    const lessonId = await lessonOf(db.prisma, s.assignments.algebra7b, lastWeek);
    const nextDay = await lessonOf(db.prisma, s.assignments.algebra7b, addDays(lastWeek, 1));
    const st = s.students.c7b[0];
    await expect(saveAttendance(db.prisma, sub, { lessonId, absent: [st], late: [] })).rejects.toSatisfy(
      code("FORBIDDEN"),
    );

    const granted = await grantSubstitution(db.prisma, deputy, { lessonId, substituteId: s.people.otherTeacher });
    expect(granted).toMatchObject({
      lessonId,
      substituteId: s.people.otherTeacher,
      grantedById: s.people.deputy,
      changed: true,
    });
    const audit = await db.prisma.auditEvent.findFirstOrThrow({ where: { action: "substitution.grant" } });
    expect(audit).toMatchObject({ actorId: s.people.deputy, entityId: String(granted.substitutionId) });
    expect(audit.data).toMatchObject({ lessonId, substituteId: s.people.otherTeacher, grantedBy: s.people.deputy });
    const out = await db.prisma.outbox.findFirstOrThrow({ where: { kind: "substitution.granted" } });
    expect(out.payload).toEqual({ substitutionId: granted.substitutionId });

    const card = await lessonCard(db.prisma, sub, { lessonId });
    expect(card).toMatchObject({ canWrite: true, role: "substitute", substituteId: s.people.otherTeacher });
    await saveAttendance(db.prisma, sub, { lessonId, absent: [st], late: [] });
    expect(await db.prisma.attendance.count({ where: { lessonId } })).toBe(1);
    // not the next day's lesson of the same class and subject
    await expect(saveAttendance(db.prisma, sub, { lessonId: nextDay, absent: [st], late: [] })).rejects.toSatisfy(
      code("FORBIDDEN"),
    );

    // granting the same again changes nothing
    const before = await counts();
    expect(
      (await grantSubstitution(db.prisma, deputy, { lessonId, substituteId: s.people.otherTeacher })).changed,
    ).toBe(false);
    expect(await counts()).toEqual(before);

    const revoked = await revokeSubstitution(db.prisma, deputy, { substitutionId: granted.substitutionId });
    expect(revoked.changed).toBe(true);
    await expect(saveAttendance(db.prisma, sub, { lessonId, absent: [], late: [] })).rejects.toSatisfy(
      code("FORBIDDEN"),
    );
    expect((await revokeSubstitution(db.prisma, deputy, { substitutionId: granted.substitutionId })).changed).toBe(
      false,
    );
  });

  it("a new grant replaces the previous substitute of the lesson", async () => {
    const deputy = await s.actor(s.people.deputy);
    const lessonId = await lessonOf(db.prisma, s.assignments.russian8a, lastWeek);
    const first = await grantSubstitution(db.prisma, deputy, { lessonId, substituteId: s.people.otherTeacher });
    const second = await grantSubstitution(db.prisma, deputy, { lessonId, substituteId: s.people.englishTeacher2 });
    expect(second.replacedId).toBe(first.substitutionId);
    await expect(lessonCard(db.prisma, await s.actor(s.people.otherTeacher), { lessonId })).rejects.toSatisfy(
      code("FORBIDDEN"),
    );
    expect((await lessonCard(db.prisma, await s.actor(s.people.englishTeacher2), { lessonId })).canWrite).toBe(true);
  });

  it("only the administration grants; the substitute must be a teacher of the school; tampered lessons are FORBIDDEN", async () => {
    const lessonId = await lessonOf(db.prisma, s.assignments.algebra8a, lastWeek);
    const before = await counts();
    for (const person of [s.people.mathTeacher, s.people.psychologist, s.studentPerson.get(s.students.c7b[0])!]) {
      await expect(
        grantSubstitution(db.prisma, await s.actor(person), { lessonId, substituteId: s.people.otherTeacher }),
      ).rejects.toSatisfy(code("FORBIDDEN"));
    }
    const deputy = await s.actor(s.people.deputy);
    for (const substituteId of [
      s.people.psychologist,
      other.people.otherTeacher,
      s.guardians.get(s.students.c7b[0])![0],
    ]) {
      await expect(grantSubstitution(db.prisma, deputy, { lessonId, substituteId })).rejects.toSatisfy(
        code("VALIDATION"),
      );
    }
    await expect(
      grantSubstitution(db.prisma, deputy, { lessonId, substituteId: s.people.mathTeacher }),
    ).rejects.toSatisfy(code("VALIDATION"));
    const foreign = await lessonOf(db.prisma, other.assignments.algebra8a, lastWeek);
    for (const id of [foreign, 99_999_999]) {
      await expect(
        grantSubstitution(db.prisma, deputy, { lessonId: id, substituteId: s.people.otherTeacher }),
      ).rejects.toSatisfy(code("FORBIDDEN"));
    }
    expect(await counts()).toEqual(before);
  });

  it("lists the school's lessons of a day and the free teachers for the deputy", async () => {
    const deputy = await s.actor(s.people.deputy);
    const date = addDays(lastWeek, 2);
    const day = await schoolLessonsOn(db.prisma, deputy, { date });
    expect(day.lessons).toHaveLength(7);
    expect(day.lessons.map((l) => l.slot)).toEqual([1, 1, 2, 2, 3, 3, 3]);
    expect(day.lessons[0]).toMatchObject({ className: "7Б", teacherName: "Математиков Пётр", substituteId: null });
    await expect(schoolLessonsOn(db.prisma, await s.actor(s.people.mathTeacher), { date })).rejects.toSatisfy(
      code("FORBIDDEN"),
    );
    const lessonId = day.lessons[0].lessonId;
    const cands = await substituteCandidates(db.prisma, deputy, { lessonId });
    const byName = Object.fromEntries(cands.candidates.map((c) => [c.personId, c.busy]));
    expect(byName[s.people.mathTeacher]).toBeUndefined();
    expect(byName[s.people.russianTeacher]).toBe(true); // 8А russian at bell 1
    expect(byName[s.people.otherTeacher]).toBe(false);
    expect(cands.candidates[0].busy).toBe(false);
  });
});
