// Property-based access test: random actors (every person of the fixture school and of a second school) ×
// random targets (lessons, students, attendance rows, classes — including the other school's and nonexistent
// ids). Every read returns data only where an independent model of the rules allows it; every write the model
// forbids is refused with FORBIDDEN and changes nothing.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../src/core/actor.ts";
import { addDays, localMoment, toIsoDate } from "../../src/core/dates.ts";
import { isAppError } from "../../src/core/errors.ts";
import { reportAbsence } from "../../src/core/journal/absence-notices.ts";
import { classAbsences, setAbsenceReason } from "../../src/core/journal/absence-reasons.ts";
import { saveAttendance } from "../../src/core/journal/attendance.ts";
import { classRoster, classToday } from "../../src/core/journal/class-overview.ts";
import { lessonCard } from "../../src/core/journal/lesson-card.ts";
import { teacherDay } from "../../src/core/journal/lessons.ts";
import { grantSubstitution } from "../../src/core/journal/substitutions.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { buildSchool, lessonOf, type TestSchool } from "../helpers/factories.ts";

interface LessonFact {
  id: number;
  schoolId: number;
  teacherId: number;
  classId: number;
  classTeacherId: number | null;
  date: string;
}

const ADMIN = ["DIRECTOR", "DEPUTY", "ADMIN"];
const NONEXISTENT = [99_999_991, 123_456_789];

describe("access property: no read leaks, no write outside the rules", () => {
  let db: TestDb;
  let schools: TestSchool[];
  let actors: Actor[];
  let lessons: Map<number, LessonFact>;
  let lessonIds: number[];
  let studentIds: number[];
  let studentSchool: Map<number, number>;
  let classIds: number[];
  let classFacts: Map<number, { schoolId: number; classTeacherId: number | null }>;
  let attendanceIds: number[];
  let attendanceSchool: Map<number, number>;
  let guardianLinks: Map<string, { consent: boolean }>;
  let personIds: number[];
  let dates: string[];

  const isAdmin = (a: Actor) => a.roles.some((r) => ADMIN.includes(r));
  const activeSubs = async () => {
    const rows = await db.prisma.substitution.findMany({
      where: { revokedAt: null },
      select: { lessonId: true, substituteId: true },
    });
    return new Set(rows.map((r) => `${r.lessonId}:${r.substituteId}`));
  };
  const mayWriteLesson = (a: Actor, l: LessonFact | undefined, subs: Set<string>) =>
    !!l &&
    l.schoolId === a.schoolId &&
    (subs.has(`${l.id}:${a.personId}`) || (l.teacherId === a.personId && a.roles.includes("TEACHER")));
  const mayReadLesson = (a: Actor, l: LessonFact | undefined, subs: Set<string>) =>
    !!l && l.schoolId === a.schoolId && (mayWriteLesson(a, l, subs) || l.classTeacherId === a.personId || isAdmin(a));
  const mayManageClass = (a: Actor, classId: number) => {
    const c = classFacts.get(classId);
    return !!c && c.schoolId === a.schoolId && (c.classTeacherId === a.personId || isAdmin(a));
  };
  const fingerprint = async () => {
    const [att, reasons, notices, subs, audit, outbox] = await Promise.all([
      db.prisma.attendance.count(),
      db.prisma.attendance.groupBy({ by: ["reason"], _count: { _all: true }, orderBy: { reason: "asc" } }),
      db.prisma.absenceNotice.count(),
      db.prisma.substitution.count({ where: { revokedAt: null } }),
      db.prisma.auditEvent.count(),
      db.prisma.outbox.count(),
    ]);
    return JSON.stringify({
      att,
      reasons: reasons.map((r) => [r.reason, r._count._all]),
      notices,
      subs,
      audit,
      outbox,
    });
  };
  const code = (e: unknown) => (isAppError(e) ? e.code : String(e));

  beforeAll(async () => {
    db = await createTestDb();
    const today = localMoment("Europe/Moscow").date;
    schools = [
      await buildSchool(db.prisma, { today, studentsPerClass: 4 }),
      await buildSchool(db.prisma, { today, studentsPerClass: 2 }),
    ];
    const lastWeek = addDays(schools[0].monday, -7);
    // some journal content to aim at: attendance in both schools, one substitution in the first
    for (const s of schools) {
      await saveAttendance(db.prisma, await s.actor(s.people.mathTeacher), {
        lessonId: await lessonOf(db.prisma, s.assignments.algebra7b, lastWeek),
        absent: [s.students.c7b[0]],
        late: [s.students.c7b[1]],
      });
      await saveAttendance(db.prisma, await s.actor(s.people.russianTeacher), {
        lessonId: await lessonOf(db.prisma, s.assignments.russian8a, lastWeek),
        absent: [s.students.c8a[0]],
        late: [],
      });
    }
    const s0 = schools[0];
    await grantSubstitution(db.prisma, await s0.actor(s0.people.deputy), {
      lessonId: await lessonOf(db.prisma, s0.assignments.russian7b, addDays(lastWeek, 1)),
      substituteId: s0.people.otherTeacher,
    });

    const people = await db.prisma.person.findMany({ select: { id: true } });
    personIds = people.map((p) => p.id);
    actors = [];
    for (const s of schools) {
      const mine = await db.prisma.person.findMany({ where: { schoolId: s.schoolId }, select: { id: true } });
      for (const p of mine) actors.push(await s.actor(p.id));
    }
    const ls = await db.prisma.lesson.findMany({
      select: {
        id: true,
        schoolId: true,
        date: true,
        assignment: { select: { teacherId: true, classId: true, class: { select: { classTeacherId: true } } } },
      },
    });
    lessons = new Map(
      ls.map((l) => [
        l.id,
        {
          id: l.id,
          schoolId: l.schoolId,
          teacherId: l.assignment.teacherId,
          classId: l.assignment.classId,
          classTeacherId: l.assignment.class.classTeacherId,
          date: toIsoDate(l.date),
        },
      ]),
    );
    lessonIds = [...lessons.keys()];
    dates = [...new Set([...lessons.values()].map((l) => l.date))].sort();
    const students = await db.prisma.student.findMany({ select: { id: true, schoolId: true } });
    studentIds = students.map((x) => x.id);
    studentSchool = new Map(students.map((x) => [x.id, x.schoolId]));
    const classes = await db.prisma.classGroup.findMany({ select: { id: true, schoolId: true, classTeacherId: true } });
    classIds = classes.map((c) => c.id);
    classFacts = new Map(classes.map((c) => [c.id, { schoolId: c.schoolId, classTeacherId: c.classTeacherId }]));
    const att = await db.prisma.attendance.findMany({ select: { id: true, schoolId: true } });
    attendanceIds = att.map((a) => a.id);
    attendanceSchool = new Map(att.map((a) => [a.id, a.schoolId]));
    const links = await db.prisma.guardianship.findMany();
    guardianLinks = new Map(
      links.map((g) => [
        `${g.guardianId}:${g.studentId}`,
        { consent: g.consentGivenAt !== null && g.consentRevokedAt === null && g.endedAt === null },
      ]),
    );
  });
  afterAll(() => db.drop());

  it("R-01..R-06, R-09: random actors × random targets never get outside the rules", async () => {
    const tally: Record<string, { allowed: number; refused: number }> = {};
    const count = (op: string, allowed: boolean) => {
      tally[op] ??= { allowed: 0, refused: 0 };
      tally[op][allowed ? "allowed" : "refused"]++;
    };
    // Targets are drawn half from anything at all (other school, nonexistent) and half from what is "near" the
    // actor (their school's lessons, classes and rows, their children), so both sides of each rule are exercised.
    const initialSubs = await activeSubs();
    const pick = <T>(near: T[], all: T[]) =>
      near.length > 0 ? fc.oneof(fc.constantFrom(...near), fc.constantFrom(...all)) : fc.constantFrom(...all);
    const opFor = (a: Actor) => {
      const own = (id: number) => {
        const l = lessons.get(id)!;
        return (
          l.schoolId === a.schoolId &&
          (l.teacherId === a.personId ||
            l.classTeacherId === a.personId ||
            initialSubs.has(`${id}:${a.personId}`) ||
            (isAdmin(a) && l.date < dates[20]))
        );
      };
      const lessonArb = pick(lessonIds.filter(own), [...lessonIds, ...NONEXISTENT]);
      const studentArb = pick(
        studentIds.filter((id) => studentSchool.get(id) === a.schoolId),
        [...studentIds, ...NONEXISTENT],
      );
      const childArb = pick(
        studentIds.filter((id) => guardianLinks.has(`${a.personId}:${id}`)),
        [...studentIds, ...NONEXISTENT],
      );
      const classArb = pick(
        classIds.filter((id) => classFacts.get(id)!.schoolId === a.schoolId),
        [...classIds, ...NONEXISTENT],
      );
      const attendanceArb = pick(
        attendanceIds.filter((id) => attendanceSchool.get(id) === a.schoolId),
        [...attendanceIds, ...NONEXISTENT],
      );
      return fc.oneof(
        fc.record({ kind: fc.constant("lessonCard" as const), lessonId: lessonArb }),
        fc.record({ kind: fc.constant("teacherDay" as const), date: fc.constantFrom(...dates) }),
        fc.record({ kind: fc.constant("classRead" as const), classId: classArb, which: fc.constantFrom(0, 1, 2) }),
        fc.record({
          kind: fc.constant("saveAttendance" as const),
          lessonId: lessonArb,
          absent: fc.uniqueArray(studentArb, { maxLength: 2 }),
        }),
        fc.record({
          kind: fc.constant("setAbsenceReason" as const),
          ids: fc.uniqueArray(attendanceArb, { minLength: 1, maxLength: 2 }),
          reason: fc.constantFrom("ILLNESS" as const, "EXCUSED" as const, "UNEXCUSED" as const),
        }),
        fc.record({ kind: fc.constant("reportAbsence" as const), studentId: childArb }),
        fc.record({
          kind: fc.constant("grantSubstitution" as const),
          lessonId: lessonArb,
          substituteId: fc.constantFrom(...personIds),
        }),
      );
    };
    const staff = actors.filter((a) => a.roles.length > 0);
    const family = actors.filter((a) => a.roles.length === 0);
    const actorArb = fc.oneof(
      { arbitrary: fc.constantFrom(...staff), weight: 2 },
      { arbitrary: fc.constantFrom(...family), weight: 1 },
    );
    const caseArb = actorArb.chain((a) => fc.tuple(fc.constant(a), opFor(a)));

    await fc.assert(
      fc.asyncProperty(caseArb, async ([actor, o]) => {
        const subs = await activeSubs();
        switch (o.kind) {
          case "lessonCard": {
            const allowed = mayReadLesson(actor, lessons.get(o.lessonId), subs);
            count(o.kind, allowed);
            const res = await lessonCard(db.prisma, actor, { lessonId: o.lessonId }).catch((e) => code(e));
            if (!allowed) return void expect(res).toBe("FORBIDDEN");
            if (typeof res === "string") throw new Error(`expected data, got ${res}`);
            expect(res.lessonId).toBe(o.lessonId);
            expect(res.canWrite).toBe(mayWriteLesson(actor, lessons.get(o.lessonId), subs));
            for (const st of res.students) expect(studentSchool.get(st.studentId)).toBe(actor.schoolId);
            return;
          }
          case "teacherDay": {
            count(o.kind, true);
            const res = await teacherDay(db.prisma, actor, { date: o.date });
            for (const l of res.lessons) expect(mayWriteLesson(actor, lessons.get(l.lessonId), subs)).toBe(true);
            return;
          }
          case "classRead": {
            const allowed = mayManageClass(actor, o.classId);
            count(o.kind, allowed);
            const read = [
              () => classToday(db.prisma, actor, { classId: o.classId, date: dates[0] }),
              () => classRoster(db.prisma, actor, { classId: o.classId }),
              () =>
                classAbsences(db.prisma, actor, { classId: o.classId, from: dates[0], to: dates[dates.length - 1] }),
            ][o.which];
            const res = await read().catch((e) => code(e));
            if (!allowed) return void expect(res).toBe("FORBIDDEN");
            if (typeof res === "string") throw new Error(`expected data, got ${res}`);
            expect(res.classId).toBe(o.classId);
            return;
          }
          case "saveAttendance": {
            const allowed = mayWriteLesson(actor, lessons.get(o.lessonId), subs);
            count(o.kind, allowed);
            const before = allowed ? "" : await fingerprint();
            const res = await saveAttendance(db.prisma, actor, {
              lessonId: o.lessonId,
              absent: o.absent,
              late: [],
            }).catch((e) => code(e));
            if (allowed) return void expect(res).not.toBe("FORBIDDEN");
            expect(res).toBe("FORBIDDEN");
            expect(await fingerprint()).toBe(before);
            return;
          }
          case "setAbsenceReason": {
            const rows = await db.prisma.attendance.findMany({
              where: { id: { in: o.ids } },
              select: { schoolId: true, classId: true },
            });
            const allowed =
              rows.length === o.ids.length &&
              rows.every((r) => r.schoolId === actor.schoolId && mayManageClass(actor, r.classId));
            count(o.kind, allowed);
            const before = await fingerprint();
            const res = await setAbsenceReason(db.prisma, actor, { attendanceIds: o.ids, reason: o.reason }).catch(
              (e) => code(e),
            );
            if (allowed) return void expect(typeof res).toBe("object");
            expect(res).toBe("FORBIDDEN");
            expect(await fingerprint()).toBe(before);
            return;
          }
          case "reportAbsence": {
            const link =
              studentSchool.get(o.studentId) === actor.schoolId
                ? guardianLinks.get(`${actor.personId}:${o.studentId}`)
                : undefined;
            const allowed = !!link?.consent;
            count(o.kind, allowed);
            const before = allowed ? "" : await fingerprint();
            const today = localMoment("Europe/Moscow").date;
            const res = await reportAbsence(db.prisma, actor, {
              studentId: o.studentId,
              from: today,
              to: today,
              reason: "ILLNESS",
            }).catch((e) => code(e));
            if (allowed) return void expect(typeof res).toBe("object");
            // the child's own guardian without consent is told consent is needed; anyone else is FORBIDDEN
            expect(res).toBe(link ? "CONSENT_REQUIRED" : "FORBIDDEN");
            expect(await fingerprint()).toBe(before);
            return;
          }
          case "grantSubstitution": {
            const l = lessons.get(o.lessonId);
            const allowed = !!l && l.schoolId === actor.schoolId && isAdmin(actor);
            count(o.kind, allowed);
            const before = allowed ? "" : await fingerprint();
            const res = await grantSubstitution(db.prisma, actor, {
              lessonId: o.lessonId,
              substituteId: o.substituteId,
            }).catch((e) => code(e));
            if (allowed) return void expect(res).not.toBe("FORBIDDEN");
            expect(res).toBe("FORBIDDEN");
            expect(await fingerprint()).toBe(before);
            return;
          }
        }
      }),
      // enough cases to mean something; on a loaded machine the run stops early so the file stays well under 60 s
      { numRuns: 1500, interruptAfterTimeLimit: 35_000, markInterruptAsFailure: false },
    );
    // the run means something only if every operation met both sides of the rules
    for (const opName of [
      "lessonCard",
      "classRead",
      "saveAttendance",
      "setAbsenceReason",
      "reportAbsence",
      "grantSubstitution",
    ]) {
      expect(tally[opName]?.refused ?? 0, `${opName} refused`).toBeGreaterThan(0);
      expect(tally[opName]?.allowed ?? 0, `${opName} allowed`).toBeGreaterThan(0);
    }
  }, 60_000);
});
