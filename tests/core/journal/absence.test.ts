import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, localMoment } from "../../../src/core/dates.ts";
import { isAppError } from "../../../src/core/errors.ts";
import { confirmNotice, pendingNotices, reportAbsence } from "../../../src/core/journal/absence-notices.ts";
import { classAbsences, setAbsenceReason } from "../../../src/core/journal/absence-reasons.ts";
import { saveAttendance } from "../../../src/core/journal/attendance.ts";
import { createTestDb, type TestDb } from "../../helpers/db.ts";
import { buildSchool, lessonOf, type TestSchool } from "../../helpers/factories.ts";

const code = (c: string) => (e: unknown) => isAppError(e, c as never);

describe("absence reasons and parents' notices", () => {
  let db: TestDb;
  let s: TestSchool;
  let other: TestSchool;
  let lastWeek: string;
  let today: string;
  /** Attendance ids of 7Б student 0 absent from algebra (class teacher's lesson) and russian on Monday last week. */
  let algebraAbsence: number;
  let russianAbsence: number;
  let c8aAbsence: number;
  const counts = async () => ({
    attendance: await db.prisma.attendance.count(),
    notices: await db.prisma.absenceNotice.count(),
    audit: await db.prisma.auditEvent.count(),
    outbox: await db.prisma.outbox.count(),
    reasons: await db.prisma.attendance.count({ where: { reason: { not: null } } }),
  });
  beforeAll(async () => {
    db = await createTestDb();
    today = localMoment("Europe/Moscow").date;
    s = await buildSchool(db.prisma, { today });
    other = await buildSchool(db.prisma, { today, studentsPerClass: 2 });
    lastWeek = addDays(s.monday, -7);
    const st = s.students.c7b[0];
    const math = await s.actor(s.people.mathTeacher);
    const rus = await s.actor(s.people.russianTeacher);
    const l1 = await lessonOf(db.prisma, s.assignments.algebra7b, lastWeek);
    const l2 = await lessonOf(db.prisma, s.assignments.russian7b, lastWeek);
    const l3 = await lessonOf(db.prisma, s.assignments.russian8a, lastWeek);
    await saveAttendance(db.prisma, math, { lessonId: l1, absent: [st], late: [] });
    await saveAttendance(db.prisma, rus, { lessonId: l2, absent: [st], late: [s.students.c7b[1]] });
    await saveAttendance(db.prisma, rus, { lessonId: l3, absent: [s.students.c8a[0]], late: [] });
    const find = (lessonId: number, studentId: number) =>
      db.prisma.attendance.findFirstOrThrow({ where: { lessonId, studentId } }).then((r) => r.id);
    algebraAbsence = await find(l1, st);
    russianAbsence = await find(l2, st);
    c8aAbsence = await find(l3, s.students.c8a[0]);
  });
  afterAll(() => db.drop());

  it("R-03 the class teacher sets reasons for their own class only", async () => {
    const math = await s.actor(s.people.mathTeacher); // class teacher of 7Б
    const res = await setAbsenceReason(db.prisma, math, {
      attendanceIds: [algebraAbsence, russianAbsence],
      reason: "ILLNESS",
    });
    expect(res.changed).toBe(true);
    const rows = await db.prisma.attendance.findMany({ where: { id: { in: [algebraAbsence, russianAbsence] } } });
    expect(rows.map((r) => r.reason)).toEqual(["ILLNESS", "ILLNESS"]);
    const audit = await db.prisma.auditEvent.findMany({ where: { action: "attendance.reason" } });
    expect(audit).toHaveLength(2);
    expect(audit[0].data).toMatchObject({ from: null, to: "ILLNESS" });
    // setting the same again changes nothing and audits nothing
    const before = await counts();
    expect((await setAbsenceReason(db.prisma, math, { attendanceId: algebraAbsence, reason: "ILLNESS" })).changed).toBe(
      false,
    );
    expect(await counts()).toEqual(before);
    // 8А is not the math teacher's class (he only teaches algebra there)
    await expect(setAbsenceReason(db.prisma, math, { attendanceId: c8aAbsence, reason: "EXCUSED" })).rejects.toSatisfy(
      code("FORBIDDEN"),
    );
    // a batch with one foreign row changes nothing
    await expect(
      setAbsenceReason(db.prisma, math, { attendanceIds: [algebraAbsence, c8aAbsence], reason: "EXCUSED" }),
    ).rejects.toSatisfy(code("FORBIDDEN"));
    expect(await counts()).toEqual(before);
    // the russian teacher (class teacher of 8А) may for 8А but not for 7Б, even on her own 7Б lesson by default
    const rus = await s.actor(s.people.russianTeacher);
    await setAbsenceReason(db.prisma, rus, { attendanceId: c8aAbsence, reason: "UNEXCUSED" });
    await expect(
      setAbsenceReason(db.prisma, rus, { attendanceId: russianAbsence, reason: "EXCUSED" }),
    ).rejects.toSatisfy(code("FORBIDDEN"));
    // the administration may for any class
    await setAbsenceReason(db.prisma, await s.actor(s.people.deputy), { attendanceId: c8aAbsence, reason: "EXCUSED" });
    expect((await db.prisma.attendance.findUniqueOrThrow({ where: { id: c8aAbsence } })).reason).toBe("EXCUSED");
  });

  it("R-03 a subject teacher sets reasons for own lessons only when the school allows it", async () => {
    await db.prisma.school.update({
      where: { id: s.schoolId },
      data: { settings: { teachersSetAbsenceReasons: true } },
    });
    try {
      const rus = await s.actor(s.people.russianTeacher);
      await setAbsenceReason(db.prisma, rus, { attendanceId: russianAbsence, reason: "EXCUSED" });
      expect((await db.prisma.attendance.findUniqueOrThrow({ where: { id: russianAbsence } })).reason).toBe("EXCUSED");
      await expect(
        setAbsenceReason(db.prisma, rus, { attendanceId: algebraAbsence, reason: "EXCUSED" }),
      ).rejects.toSatisfy(code("FORBIDDEN"));
      await expect(
        setAbsenceReason(db.prisma, await s.actor(s.people.otherTeacher), {
          attendanceId: russianAbsence,
          reason: "ILLNESS",
        }),
      ).rejects.toSatisfy(code("FORBIDDEN"));
    } finally {
      await db.prisma.school.update({ where: { id: s.schoolId }, data: { settings: {} } });
    }
  });

  it("R-06 students and guardians cannot set reasons; tampered and malformed ids are refused", async () => {
    const st = s.students.c7b[0];
    for (const person of [s.studentPerson.get(st)!, s.guardians.get(st)![0]]) {
      await expect(
        setAbsenceReason(db.prisma, await s.actor(person), { attendanceId: algebraAbsence, reason: "EXCUSED" }),
      ).rejects.toSatisfy(code("FORBIDDEN"));
    }
    const foreignDeputy = await other.actor(other.people.deputy);
    await expect(
      setAbsenceReason(db.prisma, foreignDeputy, { attendanceId: algebraAbsence, reason: "EXCUSED" }),
    ).rejects.toSatisfy(code("FORBIDDEN"));
    const math = await s.actor(s.people.mathTeacher);
    await expect(setAbsenceReason(db.prisma, math, { attendanceId: 99_999_999, reason: "EXCUSED" })).rejects.toSatisfy(
      code("FORBIDDEN"),
    );
    await expect(
      setAbsenceReason(db.prisma, math, { attendanceId: algebraAbsence, reason: "SICK" as never }),
    ).rejects.toSatisfy(code("VALIDATION"));
    await expect(setAbsenceReason(db.prisma, math, { reason: "ILLNESS" })).rejects.toSatisfy(code("VALIDATION"));
  });

  it("lists a class's absences for its class teacher, optionally only those without a reason", async () => {
    const math = await s.actor(s.people.mathTeacher);
    const all = await classAbsences(db.prisma, math, {
      classId: s.classes.c7b,
      from: lastWeek,
      to: addDays(lastWeek, 6),
    });
    expect(all.items.map((i) => [i.slot, i.subjectShort, i.status])).toEqual([
      [1, "Алг", "ABSENT"],
      [2, "Рус", "ABSENT"],
      [2, "Рус", "LATE"],
    ]);
    await db.prisma.attendance.update({ where: { id: algebraAbsence }, data: { reason: null } });
    const open = await classAbsences(db.prisma, math, {
      classId: s.classes.c7b,
      from: lastWeek,
      to: lastWeek,
      onlyWithoutReason: true,
    });
    expect(open.items.map((i) => i.attendanceId)).toEqual([algebraAbsence]);
    await expect(
      classAbsences(db.prisma, math, { classId: s.classes.c8a, from: lastWeek, to: lastWeek }),
    ).rejects.toSatisfy(code("FORBIDDEN"));
    await expect(
      classAbsences(db.prisma, math, { classId: s.classes.c7b, from: lastWeek, to: addDays(lastWeek, -1) }),
    ).rejects.toSatisfy(code("VALIDATION"));
  });

  it("a guardian with consent reports an absence; the class teacher confirms it and it gives the reason", async () => {
    const st = s.students.c7b[2];
    const mother = await s.actor(s.guardians.get(st)![0]);
    const before = await counts();
    const created = await reportAbsence(db.prisma, mother, {
      studentId: st,
      from: lastWeek,
      to: addDays(lastWeek, 1),
      reason: "ILLNESS",
      comment: "Температура",
    });
    const after = await counts();
    expect(after.notices - before.notices).toBe(1);
    expect(after.audit - before.audit).toBe(1);
    const out = await db.prisma.outbox.findFirstOrThrow({ where: { kind: "absence-notice.created" } });
    expect(out.payload).toEqual({ noticeId: created.noticeId });

    // an absence already on record (Monday algebra) and one taken after confirmation (Tuesday)
    const math = await s.actor(s.people.mathTeacher);
    const mon = await lessonOf(db.prisma, s.assignments.algebra7b, lastWeek);
    await saveAttendance(db.prisma, math, { lessonId: mon, absent: [s.students.c7b[0], st], late: [] });

    const pending = await pendingNotices(db.prisma, math, { classId: s.classes.c7b });
    expect(pending.notices).toHaveLength(1);
    expect(pending.notices[0]).toMatchObject({ noticeId: created.noticeId, studentId: st, comment: "Температура" });
    expect(
      (await pendingNotices(db.prisma, await s.actor(s.people.russianTeacher), { classId: s.classes.c8a })).notices,
    ).toEqual([]);
    await expect(
      confirmNotice(db.prisma, await s.actor(s.people.russianTeacher), { noticeId: created.noticeId }),
    ).rejects.toSatisfy(code("FORBIDDEN"));

    const confirmed = await confirmNotice(db.prisma, math, { noticeId: created.noticeId });
    expect(confirmed).toMatchObject({ changed: true, attendanceUpdated: 1 });
    expect((await db.prisma.attendance.findFirstOrThrow({ where: { lessonId: mon, studentId: st } })).reason).toBe(
      "ILLNESS",
    );
    expect((await confirmNotice(db.prisma, math, { noticeId: created.noticeId })).changed).toBe(false);

    const tue = await lessonOf(db.prisma, s.assignments.russian7b, addDays(lastWeek, 1));
    await saveAttendance(db.prisma, await s.actor(s.people.russianTeacher), { lessonId: tue, absent: [st], late: [] });
    const row = await db.prisma.attendance.findFirstOrThrow({ where: { lessonId: tue, studentId: st } });
    expect(row).toMatchObject({ reason: "ILLNESS", noticeId: created.noticeId });
    expect((await pendingNotices(db.prisma, math, { classId: s.classes.c7b })).notices).toEqual([]);
  });

  it("R-09 a guardian without consent cannot report an absence; R-05/R-06 nobody else can", async () => {
    const st = s.students.c7b[3];
    const [mother, father] = s.guardians.get(st)!;
    const input = { studentId: st, from: today, to: today, reason: "EXCUSED" as const };
    const before = await counts();
    await expect(reportAbsence(db.prisma, await s.actor(father), input)).rejects.toSatisfy(code("CONSENT_REQUIRED"));
    await db.prisma.guardianship.updateMany({
      where: { guardianId: mother, studentId: st },
      data: { consentRevokedAt: new Date() },
    });
    await expect(reportAbsence(db.prisma, await s.actor(mother), input)).rejects.toSatisfy(code("CONSENT_REQUIRED"));
    await db.prisma.guardianship.updateMany({
      where: { guardianId: mother, studentId: st },
      data: { consentRevokedAt: null },
    });
    const otherParent = s.guardians.get(s.students.c7b[4])![0];
    for (const person of [otherParent, s.studentPerson.get(st)!, s.people.mathTeacher, s.people.deputy]) {
      await expect(reportAbsence(db.prisma, await s.actor(person), input)).rejects.toSatisfy(code("FORBIDDEN"));
    }
    await expect(
      reportAbsence(db.prisma, await other.actor(other.guardians.get(other.students.c7b[0])![0]), input),
    ).rejects.toSatisfy(code("FORBIDDEN"));
    expect(await counts()).toEqual(before);
    await expect(
      reportAbsence(db.prisma, await s.actor(mother), { ...input, from: today, to: addDays(today, -1) }),
    ).rejects.toSatisfy(code("VALIDATION"));
    await expect(
      reportAbsence(db.prisma, await s.actor(mother), { ...input, from: addDays(today, -90), to: today }),
    ).rejects.toSatisfy(code("VALIDATION"));
  });
});
