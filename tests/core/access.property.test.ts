// Property-based access test: random actors (every person of two schools in one database) × random targets
// (lessons, students, attendance rows, classes, people — including the other school's and nonexistent ids).
// Every read returns data only where an independent model of the rules allows it; every write the model forbids
// is refused with FORBIDDEN and changes nothing. Issue 9: nothing crosses a school — after every case no row
// of one school points at another school's lesson, student or person, every audit, view-log and outbox row it
// wrote is the actor's school's, and every notification the real outbox handlers build from those outbox rows
// goes to a person of that school. Each person uses their school's bot, and the same Telegram users are people
// of both schools (a parent with children at two schools), so a recipient looked up by Telegram id would cross.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../src/core/actor.ts";
import { addDays, localMoment, toIsoDate } from "../../src/core/dates.ts";
import { isAppError } from "../../src/core/errors.ts";
import { studentDay, studentMarks } from "../../src/core/family/index.ts";
import { reportAbsence } from "../../src/core/journal/absence-notices.ts";
import { classAbsences, setAbsenceReason } from "../../src/core/journal/absence-reasons.ts";
import { saveAttendance } from "../../src/core/journal/attendance.ts";
import { classRoster, classToday } from "../../src/core/journal/class-overview.ts";
import { setHomework } from "../../src/core/journal/homework.ts";
import { lessonCard } from "../../src/core/journal/lesson-card.ts";
import { teacherDay } from "../../src/core/journal/lessons.ts";
import { addMarks } from "../../src/core/journal/marks.ts";
import { grantSubstitution } from "../../src/core/journal/substitutions.ts";
import { inbox } from "../../src/core/messages/correspondence-read.ts";
import { sendMessage } from "../../src/core/messages/send-message.ts";
import { createAnnouncement } from "../../src/core/notices/create-announcement.ts";
import { myAnnouncements } from "../../src/core/notices/my-announcements.ts";
import { absenceNoticeCreatedHandler } from "../../src/jobs/notices-messages/absence-notice-created.ts";
import { announcementCreatedHandler } from "../../src/jobs/notices-messages/announcement-created.ts";
import { correspondenceCreatedHandler } from "../../src/jobs/notices-messages/correspondence-created.ts";
import { BUILTIN_OUTBOX_HANDLERS } from "../../src/jobs/outbox-handlers/index.ts";
import { createLogger } from "../../src/logger.ts";
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
  let personSchool: Map<number, number>;
  let teachersOf: Map<number, number[]>;
  let dates: string[];
  const handlers = new Map(
    [
      ...BUILTIN_OUTBOX_HANDLERS,
      absenceNoticeCreatedHandler,
      announcementCreatedHandler,
      correspondenceCreatedHandler,
    ].map((h) => [h.kind, h]),
  );
  const silent = createLogger("silent");

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
    const [att, reasons, notices, subs, audit, outbox, announcements, receipts, letters, marks, homework] =
      await Promise.all([
        db.prisma.attendance.count(),
        db.prisma.attendance.groupBy({ by: ["reason"], _count: { _all: true }, orderBy: { reason: "asc" } }),
        db.prisma.absenceNotice.count(),
        db.prisma.substitution.count({ where: { revokedAt: null } }),
        db.prisma.auditEvent.count(),
        db.prisma.outbox.count(),
        db.prisma.announcement.count(),
        db.prisma.announcementReceipt.count(),
        db.prisma.correspondence.count(),
        db.prisma.mark.count(),
        db.prisma.homework.count(),
      ]);
    return JSON.stringify({
      att,
      reasons: reasons.map((r) => [r.reason, r._count._all]),
      notices,
      subs,
      audit,
      outbox,
      announcements,
      receipts,
      letters,
      marks,
      homework,
    });
  };
  const code = (e: unknown) => (isAppError(e) ? e.code : String(e));

  // Rows of one school that point at another school's rows: each query must find none.
  const CROSSINGS: Record<string, string> = {
    attendance: `SELECT a.id FROM "Attendance" a JOIN "Lesson" l ON l.id = a."lessonId" JOIN "Student" s ON s.id = a."studentId"
      WHERE a."schoolId" <> l."schoolId" OR a."schoolId" <> s."schoolId"`,
    substitution: `SELECT x.id FROM "Substitution" x JOIN "Lesson" l ON l.id = x."lessonId" JOIN "Person" p ON p.id = x."substituteId"
      JOIN "Person" g ON g.id = x."grantedById" WHERE x."schoolId" <> l."schoolId" OR x."schoolId" <> p."schoolId" OR x."schoolId" <> g."schoolId"`,
    absenceNotice: `SELECT n.id FROM "AbsenceNotice" n JOIN "Student" s ON s.id = n."studentId" JOIN "Person" p ON p.id = n."reportedById"
      WHERE n."schoolId" <> s."schoolId" OR n."schoolId" <> p."schoolId"`,
    announcement: `SELECT a.id FROM "Announcement" a JOIN "Person" p ON p.id = a."authorId" LEFT JOIN "ClassGroup" c ON c.id = a."classId"
      WHERE a."schoolId" <> p."schoolId" OR a."schoolId" <> c."schoolId"`,
    receipt: `SELECT r.id FROM "AnnouncementReceipt" r JOIN "Announcement" a ON a.id = r."announcementId" JOIN "Person" p ON p.id = r."personId"
      WHERE r."schoolId" <> a."schoolId" OR r."schoolId" <> p."schoolId"`,
    correspondence: `SELECT m.id FROM "Correspondence" m JOIN "Person" f ON f.id = m."fromPersonId" JOIN "Person" t ON t.id = m."toPersonId"
      LEFT JOIN "Student" s ON s.id = m."studentId" WHERE m."schoolId" <> f."schoolId" OR m."schoolId" <> t."schoolId" OR m."schoolId" <> s."schoolId"`,
    auditActor: `SELECT e.id FROM "AuditEvent" e JOIN "Person" p ON p.id = e."actorId" WHERE e."schoolId" <> p."schoolId"`,
    viewLog: `SELECT v.id FROM "ViewLog" v JOIN "Person" p ON p.id = v."viewerId" LEFT JOIN "Student" s ON s.id = v."studentId"
      WHERE v."schoolId" <> p."schoolId" OR v."schoolId" <> s."schoolId"`,
    mark: `SELECT m.id FROM "Mark" m JOIN "Lesson" l ON l.id = m."lessonId" JOIN "Student" s ON s.id = m."studentId"
      JOIN "Person" p ON p.id = m."authorId" WHERE m."schoolId" <> l."schoolId" OR m."schoolId" <> s."schoolId" OR m."schoolId" <> p."schoolId"`,
    homework: `SELECT h.id FROM "Homework" h JOIN "Lesson" l ON l.id = h."lessonId" JOIN "Person" p ON p.id = h."authorId"
      WHERE h."schoolId" <> l."schoolId" OR h."schoolId" <> p."schoolId"`,
    homeworkStudent: `SELECT h.id FROM "Homework" h CROSS JOIN LATERAL unnest(h."studentIds") AS u(sid)
      JOIN "Student" s ON s.id = u.sid WHERE s."schoolId" <> h."schoolId"`,
    account: `SELECT m.id FROM "MessengerAccount" m JOIN "Person" p ON p.id = m."personId" JOIN "Bot" b ON b.id = m."botId"
      WHERE m."schoolId" <> p."schoolId" OR m."schoolId" <> b."schoolId"`,
  };
  /** One round trip for all of them: which table, which row. */
  const CROSSING_SQL = Object.entries(CROSSINGS)
    .map(([what, sql]) => `SELECT '${what}' AS what, q.id::text AS id FROM (${sql}) q`)
    .join(" UNION ALL ");
  const notified = { rows: 0, recipients: 0 };
  let seen = { outbox: 0n, audit: 0n, view: 0n };
  const heads = async () => {
    const [o, a, v] = await Promise.all([
      db.prisma.outbox.findFirst({ orderBy: { id: "desc" }, select: { id: true } }),
      db.prisma.auditEvent.findFirst({ orderBy: { id: "desc" }, select: { id: true } }),
      db.prisma.viewLog.findFirst({ orderBy: { id: "desc" }, select: { id: true } }),
    ]);
    return { outbox: o?.id ?? 0n, audit: a?.id ?? 0n, view: v?.id ?? 0n };
  };
  /** After a case of `actor`: nothing crossed a school, and every notification it caused stays in the school. */
  const expectNothingCrossed = async (actor: Actor) => {
    expect(
      await db.prisma.$queryRawUnsafe<{ what: string; id: string }[]>(CROSSING_SQL),
      "rows crossing a school",
    ).toEqual([]);
    const [outbox, audit, views] = await Promise.all([
      db.prisma.outbox.findMany({ where: { id: { gt: seen.outbox } }, orderBy: { id: "asc" } }),
      db.prisma.auditEvent.findMany({ where: { id: { gt: seen.audit } }, select: { schoolId: true, actorId: true } }),
      db.prisma.viewLog.findMany({ where: { id: { gt: seen.view } }, select: { schoolId: true, viewerId: true } }),
    ]);
    for (const e of audit) expect(e).toEqual({ schoolId: actor.schoolId, actorId: actor.personId });
    for (const v of views) expect(v).toEqual({ schoolId: actor.schoolId, viewerId: actor.personId });
    for (const row of outbox) {
      expect(row.schoolId, `outbox ${row.kind}`).toBe(actor.schoolId);
      const handler = handlers.get(row.kind);
      if (!handler) continue;
      const messages = await handler.handle(row, { db: db.prisma, now: new Date(), logger: silent });
      notified.rows++;
      for (const m of messages) {
        notified.recipients++;
        expect(m.schoolId, `${row.kind} message`).toBe(row.schoolId);
        expect(personSchool.get(m.personId), `${row.kind} recipient ${m.personId}`).toBe(row.schoolId);
      }
    }
    seen = await heads();
  };

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

    // each school's bot; every person linked to it, the same Telegram user ids in both schools
    for (const s of schools) {
      const bot = await db.prisma.bot.create({ data: { schoolId: s.schoolId, username: `school_${s.schoolId}_bot` } });
      const mine = await db.prisma.person.findMany({ where: { schoolId: s.schoolId }, orderBy: { id: "asc" } });
      await db.prisma.messengerAccount.createMany({
        data: mine.map((p, i) => ({
          schoolId: s.schoolId,
          personId: p.id,
          botId: bot.id,
          telegramUserId: BigInt(500_000 + i),
          chatId: BigInt(500_000 + i),
        })),
      });
    }

    const people = await db.prisma.person.findMany({ select: { id: true, schoolId: true } });
    personIds = people.map((p) => p.id);
    personSchool = new Map(people.map((p) => [p.id, p.schoolId]));
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
    const enrolled = await db.prisma.enrollment.findMany({
      where: { toDate: null },
      select: {
        studentId: true,
        class: { select: { classTeacherId: true, assignments: { select: { teacherId: true } } } },
      },
    });
    teachersOf = new Map(
      enrolled.map((e) => [
        e.studentId,
        [
          ...new Set([
            ...e.class.assignments.map((x) => x.teacherId),
            ...(e.class.classTeacherId ? [e.class.classTeacherId] : []),
          ]),
        ],
      ]),
    );
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
      // a letter: near, the actor's child and one of the child's teachers (what a guardian writes); else anything
      const nearLetters = studentIds
        .filter((id) => guardianLinks.has(`${a.personId}:${id}`))
        .flatMap((id) => (teachersOf.get(id) ?? []).map((t) => ({ studentId: id, toPersonId: t })));
      const anyLetter = fc.record({ studentId: studentArb, toPersonId: fc.constantFrom(...personIds, ...NONEXISTENT) });
      const hasChildren = studentIds.some((id) => guardianLinks.has(`${a.personId}:${id}`));
      const w = <T>(weight: number, arbitrary: fc.Arbitrary<T>) => ({ weight, arbitrary });
      const letterArb = nearLetters.length
        ? fc.oneof({ arbitrary: fc.constantFrom(...nearLetters), weight: 3 }, { arbitrary: anyLetter, weight: 1 })
        : anyLetter;
      return fc.oneof(
        // weights: the rules of each op are met on both sides within the time limit of a loaded machine
        w(2, fc.record({ kind: fc.constant("lessonCard" as const), lessonId: lessonArb })),
        w(1, fc.record({ kind: fc.constant("teacherDay" as const), date: fc.constantFrom(...dates) })),
        w(
          2,
          fc.record({ kind: fc.constant("classRead" as const), classId: classArb, which: fc.constantFrom(0, 1, 2) }),
        ),
        w(
          2,
          fc.record({
            kind: fc.constant("saveAttendance" as const),
            lessonId: lessonArb,
            absent: fc.uniqueArray(studentArb, { maxLength: 2 }),
          }),
        ),
        w(
          2,
          fc.record({
            kind: fc.constant("setAbsenceReason" as const),
            ids: fc.uniqueArray(attendanceArb, { minLength: 1, maxLength: 2 }),
            reason: fc.constantFrom("ILLNESS" as const, "EXCUSED" as const, "UNEXCUSED" as const),
          }),
        ),
        w(
          2,
          fc.record({
            kind: fc.constant("addMarks" as const),
            lessonId: lessonArb,
            students: fc.uniqueArray(studentArb, { minLength: 1, maxLength: 2 }),
            value: fc.constantFrom("2", "5"),
          }),
        ),
        w(
          1,
          fc.record({
            kind: fc.constant("setHomework" as const),
            lessonId: lessonArb,
            studentIds: fc.option(fc.uniqueArray(studentArb, { minLength: 1, maxLength: 2 }), { nil: undefined }),
          }),
        ),
        // only a guardian's own child with consent is allowed: drawn more often for someone who has children
        w(hasChildren ? 4 : 1, fc.record({ kind: fc.constant("reportAbsence" as const), studentId: childArb })),
        // the administration grants; the substitute is half the time a teacher of either school
        w(
          isAdmin(a) ? 4 : 1,
          fc.record({
            kind: fc.constant("grantSubstitution" as const),
            lessonId: lessonArb,
            substituteId: fc.oneof(fc.constantFrom(...teacherIds), fc.constantFrom(...personIds)),
          }),
        ),
        w(
          1,
          fc.record({
            kind: fc.constant("familyRead" as const),
            studentId: fc.oneof(childArb, studentArb),
            which: fc.constantFrom(0, 1),
          }),
        ),
        // the administration announces to the school, a class teacher to their class: drawn more often for staff
        w(
          isAdmin(a) ? 4 : a.roles.length > 0 ? 2 : 1,
          fc.record({
            kind: fc.constant("announce" as const),
            classId: fc.option(classArb, { nil: undefined }),
            audience: fc.constantFrom("PARENTS" as const, "STUDENTS" as const, "BOTH" as const),
          }),
        ),
        // a guardian's letter succeeds only for a few exact pairs
        w(nearLetters.length ? 3 : 1, fc.record({ kind: fc.constant("sendMessage" as const), to: letterArb })),
        w(1, fc.record({ kind: fc.constant("myLists" as const) })),
      );
    };
    const staff = actors.filter((a) => a.roles.length > 0);
    const teacherIds = staff.filter((a) => a.roles.includes("TEACHER")).map((a) => a.personId);
    const family = actors.filter((a) => a.roles.length === 0);
    const actorArb = fc.oneof(
      { arbitrary: fc.constantFrom(...staff), weight: 2 },
      { arbitrary: fc.constantFrom(...family), weight: 1 },
    );
    const caseArb = actorArb.chain((a) => fc.tuple(fc.constant(a), opFor(a)));
    type Op = ReturnType<typeof opFor> extends fc.Arbitrary<infer T> ? T : never;
    seen = await heads();

    let firstCrossing: string | undefined;
    await fc
      .assert(
        fc.asyncProperty(caseArb, async ([actor, o]) => {
          await runCase(actor, o);
          try {
            await expectNothingCrossed(actor);
          } catch (err) {
            // the database keeps what crossed, so every later (and every shrunk) case fails too: name the first
            firstCrossing ??= `${JSON.stringify([actor, o])}: ${(err as Error).message}`;
            throw err;
          }
        }),
        // a fixed number of cases, however busy the machine: every operation is both allowed and refused in them
        { numRuns: 1000 },
      )
      .catch((err) => {
        throw firstCrossing ? new Error(`first case that crossed a school: ${firstCrossing}`, { cause: err }) : err;
      });
    // the run means something only if every operation met both sides of the rules
    for (const opName of [
      "lessonCard",
      "classRead",
      "saveAttendance",
      "setAbsenceReason",
      "reportAbsence",
      "grantSubstitution",
      "addMarks",
      "setHomework",
      "familyRead",
      "announce",
      "sendMessage",
    ]) {
      expect(tally[opName]?.refused ?? 0, `${opName} refused`).toBeGreaterThan(0);
      expect(tally[opName]?.allowed ?? 0, `${opName} allowed`).toBeGreaterThan(0);
    }
    // and notifications were built and checked, not just outbox rows counted
    expect(notified.rows).toBeGreaterThan(0);
    expect(notified.recipients).toBeGreaterThan(0);

    async function runCase(actor: Actor, o: Op) {
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
            () => classAbsences(db.prisma, actor, { classId: o.classId, from: dates[0], to: dates[dates.length - 1] }),
          ][o.which];
          const res = await read().catch((e) => code(e));
          if (!allowed) return void expect(res).toBe("FORBIDDEN");
          if (typeof res === "string") throw new Error(`expected data, got ${res}`);
          expect(res.classId).toBe(o.classId);
          return;
        }
        case "addMarks":
        case "setHomework": {
          const allowed = mayWriteLesson(actor, lessons.get(o.lessonId), subs);
          count(o.kind, allowed);
          const before = allowed ? "" : await fingerprint();
          const res = await (o.kind === "addMarks"
            ? addMarks(db.prisma, actor, {
                lessonId: o.lessonId,
                workType: "classwork",
                entries: o.students.map((studentId) => ({ studentId, value: o.value })),
              })
            : setHomework(db.prisma, actor, {
                lessonId: o.lessonId,
                text: "§ 12, упражнения 3–5.",
                ...(o.studentIds ? { studentIds: o.studentIds } : {}),
              })
          ).catch((e) => code(e));
          if (allowed) return void expect(res).not.toBe("FORBIDDEN");
          expect(res).toBe("FORBIDDEN");
          expect(await fingerprint()).toBe(before);
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
          const res = await setAbsenceReason(db.prisma, actor, { attendanceIds: o.ids, reason: o.reason }).catch((e) =>
            code(e),
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
        case "familyRead": {
          // R-05 across schools: another school's child is never shown, to anyone
          const other = studentSchool.get(o.studentId) !== actor.schoolId;
          const today = localMoment("Europe/Moscow").date;
          const res = await (o.which === 0
            ? studentMarks(db.prisma, actor, { studentId: o.studentId })
            : studentDay(db.prisma, actor, { studentId: o.studentId, date: today })
          ).catch((e) => code(e));
          count(o.kind, typeof res !== "string");
          if (other) return void expect(["FORBIDDEN", "NOT_FOUND"]).toContain(res);
          if (typeof res !== "string") expect(studentSchool.get(o.studentId)).toBe(actor.schoolId);
          return;
        }
        case "announce": {
          const c = o.classId === undefined ? undefined : classFacts.get(o.classId);
          const other = o.classId !== undefined && c?.schoolId !== actor.schoolId;
          const before = await fingerprint();
          const res = await createAnnouncement(db.prisma, actor, {
            scope: o.classId === undefined ? "SCHOOL" : "CLASS",
            ...(o.classId === undefined ? {} : { classId: o.classId }),
            audience: o.audience,
            text: "Родительское собрание в четверг в 18:00.",
          }).catch((e) => code(e));
          count(o.kind, typeof res !== "string");
          if (typeof res === "string") {
            expect(["FORBIDDEN", "VALIDATION", "NOT_FOUND"]).toContain(res);
            expect(await fingerprint()).toBe(before);
          }
          if (other) expect(res).toBe("FORBIDDEN");
          return;
        }
        case "sendMessage": {
          const other =
            personSchool.get(o.to.toPersonId) !== actor.schoolId ||
            studentSchool.get(o.to.studentId) !== actor.schoolId;
          const before = await fingerprint();
          const res = await sendMessage(db.prisma, actor, {
            toPersonId: o.to.toPersonId,
            studentId: o.to.studentId,
            text: "Добрый день! Подскажите, пожалуйста, по домашнему заданию.",
          }).catch((e) => code(e));
          count(o.kind, typeof res !== "string");
          if (typeof res === "string") {
            expect(["FORBIDDEN", "CONSENT_REQUIRED", "VALIDATION", "NOT_FOUND"]).toContain(res);
            expect(await fingerprint()).toBe(before);
          }
          if (other) expect(typeof res).toBe("string");
          return;
        }
        case "myLists": {
          const [letters, notices] = await Promise.all([
            inbox(db.prisma, actor),
            myAnnouncements(db.prisma, actor).catch(() => []),
          ]);
          for (const l of letters) {
            expect(studentSchool.get(l.studentId)).toBe(actor.schoolId);
            expect(personSchool.get(l.withPersonId)).toBe(actor.schoolId);
          }
          if (notices.length) {
            const ids = notices.map((n) => n.announcementId);
            const rows = await db.prisma.announcement.findMany({
              where: { id: { in: ids } },
              select: { schoolId: true },
            });
            expect(rows.map((r) => r.schoolId)).toEqual(rows.map(() => actor.schoolId));
          }
          return;
        }
      }
    }
  }, 600_000);
});
