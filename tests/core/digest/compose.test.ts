// Digest composition as plain data (issue 5 item 3): content of a day, the grace-period rule, corrections as
// corrections, consent, system-only access, a fixed number of queries per batch, the weekly summary.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemActor } from "../../../src/core/actor.ts";
import { addDays } from "../../../src/core/dates.ts";
import {
  composeDailyDigest,
  composeDailyDigests,
  composeWeeklySummary,
  listDigestRecipients,
  summaryWeekOf,
} from "../../../src/core/digest/index.ts";
import { isAppError } from "../../../src/core/errors.ts";
import { createTestDb, type TestDb } from "../../helpers/db.ts";
import { type DigestFixture, digestFixture } from "./fixture.ts";
import { countingPrisma } from "./query-counter.ts";

describe("daily digest composition", () => {
  let db: TestDb;
  let f: DigestFixture;
  const sys = () => systemActor(f.s.schoolId);
  const one = (guardianId: number, studentId: number, date = f.date) =>
    composeDailyDigest(db.prisma, sys(), { schoolId: f.s.schoolId, guardianId, studentId, date }, { now: f.now });

  beforeAll(async () => {
    db = await createTestDb();
    f = await digestFixture(db.prisma);
  });
  afterAll(async () => {
    await db.drop();
  });

  it("a day with marks, absences, homework for tomorrow and class notices", async () => {
    const d = await one(f.guardian, f.child);
    expect(d).not.toBeNull();
    expect(d!.empty).toBe(false);
    expect(d!.student).toEqual({
      studentId: f.child,
      lastName: "Алексеев",
      firstName: "Артём",
      className: "7Б",
    });
    expect(d!.marks.map((m) => [m.subjectName, m.value, m.workType, m.late])).toEqual([
      ["Алгебра", "5", "control", false],
      ["Русский язык", "4", "oral", false],
    ]);
    expect(d!.attendance).toEqual([
      expect.objectContaining({ slot: 1, subjectName: "Алгебра", status: "LATE", reason: null }),
      expect.objectContaining({ slot: 2, subjectName: "Русский язык", status: "ABSENT", reason: "ILLNESS" }),
    ]);
    expect(d!.homeworkDate).toBe(f.tomorrow);
    expect(d!.homework).toEqual([
      expect.objectContaining({ subjectName: "Алгебра", text: "№ 245, 247", files: 2, individual: false }),
    ]);
    expect(d!.notices.map((n) => [n.scope, n.text, n.hasFile])).toEqual([
      ["CLASS", "Родительское собрание в четверг в 18:00, кабинет 101.", false],
      ["SCHOOL", "В пятницу уроки по 30 минут.", true],
    ]);
    // plain data: survives JSON unchanged
    expect(JSON.parse(JSON.stringify(d))).toEqual(d);
  });

  it("R-15: a correction is shown as one; a mark still in its grace period is not shown", async () => {
    const d = await one(f.guardian, f.child);
    const russian = d!.marks.find((m) => m.subjectName === "Русский язык")!;
    expect(russian.corrections).toEqual([expect.objectContaining({ from: "3", to: "4", reason: "ошибка при вводе" })]);
    expect(d!.marks.some((m) => m.markId === f.marks.grace || m.subjectName === "Английский язык")).toBe(false);
    // eleven minutes later the grace period is over: the mark is part of the day
    const later = await composeDailyDigest(
      db.prisma,
      sys(),
      { schoolId: f.s.schoolId, guardianId: f.guardian, studentId: f.child, date: f.date },
      { now: new Date(f.now.getTime() + 11 * 60_000) },
    );
    expect(later!.marks.map((m) => m.subjectName)).toContain("Английский язык");
  });

  it("a mark entered today for an earlier lesson is flagged late", async () => {
    const past = await db.prisma.lesson.findFirstOrThrow({
      where: { assignmentId: f.s.assignments.algebra7b, date: new Date(`${addDays(f.date, -2)}T00:00:00Z`) },
    });
    const m = await db.prisma.mark.create({
      data: {
        schoolId: f.s.schoolId,
        studentId: f.s.students.c7b[3],
        lessonId: past.id,
        subjectId: f.s.subjects.algebra,
        date: past.date,
        workType: "test",
        weight: 1.5,
        value: "3",
        authorId: f.s.people.mathTeacher,
        createdAt: new Date(f.now.getTime() - 3 * 3_600_000),
      },
    });
    const g = f.s.guardians.get(f.s.students.c7b[3])![0];
    const d = await one(g, f.s.students.c7b[3]);
    expect(d!.marks).toEqual([expect.objectContaining({ markId: m.id, late: true, date: addDays(f.date, -2) })]);
  });

  it("another class's parents get the school's and their class's notices, not 7Б's; a day with nothing at all is empty", async () => {
    const d = await one(f.quietGuardian, f.quietChild);
    expect(d).toMatchObject({ empty: false, marks: [], attendance: [], homework: [] });
    expect(d!.notices.map((n) => [n.scope, n.text])).toEqual([
      ["SCHOOL", "В пятницу уроки по 30 минут."],
      ["CLASS", "y"],
    ]);
    const nextWeek = addDays(f.date, 7);
    const quiet = await composeDailyDigest(
      db.prisma,
      sys(),
      { schoolId: f.s.schoolId, guardianId: f.quietGuardian, studentId: f.quietChild, date: nextWeek },
      { now: new Date(f.now.getTime() + 7 * 86_400_000) },
    );
    expect(quiet).toMatchObject({ empty: true, marks: [], attendance: [], homework: [], notices: [] });
    expect(quiet!.homeworkDate).toBe(addDays(nextWeek, 1));
  });

  it("R-09: no digest for a guardian without consent, with consent withdrawn, or of another child", async () => {
    expect(await one(f.noConsent, f.child)).toBeNull();
    expect(await one(f.guardian, f.quietChild)).toBeNull();
    const g = f.s.guardians.get(f.s.students.c8a[0])![0];
    await db.prisma.guardianship.updateMany({
      where: { guardianId: g, studentId: f.s.students.c8a[0] },
      data: { consentRevokedAt: new Date() },
    });
    expect(await one(g, f.s.students.c8a[0])).toBeNull();
    const batch = await composeDailyDigests(
      db.prisma,
      sys(),
      {
        schoolId: f.s.schoolId,
        date: f.date,
        pairs: [
          { guardianId: f.noConsent, studentId: f.child },
          { guardianId: g, studentId: f.s.students.c8a[0] },
          { guardianId: f.guardian, studentId: f.child },
        ],
      },
      { now: f.now },
    );
    expect(batch.map((d) => d.guardianId)).toEqual([f.guardian]);
  });

  it("only the system actor of the school composes digests", async () => {
    const teacher = await f.s.actor(f.s.people.mathTeacher);
    const input = { schoolId: f.s.schoolId, guardianId: f.guardian, studentId: f.child, date: f.date };
    await expect(composeDailyDigest(db.prisma, teacher, input)).rejects.toSatisfy((e) => isAppError(e, "FORBIDDEN"));
    await expect(composeDailyDigest(db.prisma, systemActor(f.s.schoolId + 1), input)).rejects.toSatisfy((e) =>
      isAppError(e, "FORBIDDEN"),
    );
  });

  it("a batch takes the same number of queries for 2 pairs as for all of them (no N+1)", async () => {
    const counted = countingPrisma(db.url, db.schema);
    try {
      const all = [...f.s.guardians.entries()].map(([studentId, [guardianId]]) => ({ guardianId, studentId }));
      const run = async (pairs: typeof all) => {
        counted.reset();
        const out = await composeDailyDigests(
          counted.prisma,
          sys(),
          { schoolId: f.s.schoolId, date: f.date, pairs },
          { now: f.now },
        );
        return { n: counted.count(), out };
      };
      await run(all.slice(0, 1)); // warm-up (connections)
      const small = await run(all.slice(0, 2));
      const big = await run(all);
      expect(big.out.length).toBeGreaterThan(10);
      expect(big.n).toBe(small.n);
      expect(big.n).toBeLessThanOrEqual(20);
    } finally {
      await counted.close();
    }
  });

  it("recipients: consenting guardians with a linked account whose digest time has come", async () => {
    const sid = f.s.schoolId;
    const q = (afterMinutes: number, uptoMinutes: number) =>
      listDigestRecipients(db.prisma, sys(), { schoolId: sid, date: f.date, afterMinutes, uptoMinutes, weekday: 3 });
    await db.prisma.preference.create({ data: { schoolId: sid, personId: f.guardian, digestTime: "20:30" } });
    await db.prisma.preference.create({ data: { schoolId: sid, personId: f.quietGuardian, digestTime: "off" } });
    const at1905 = await q(-1, 19 * 60 + 5);
    const guardians = at1905.map((r) => r.guardianId);
    expect(guardians).not.toContain(f.guardian); // 20:30
    expect(guardians).not.toContain(f.quietGuardian); // off
    expect(guardians).not.toContain(f.noConsent);
    expect(at1905.every((r) => r.digestMinutes === 19 * 60)).toBe(true);
    expect(at1905.length).toBeGreaterThan(10);
    expect((await q(19 * 60 + 5, 20 * 60 + 30)).map((r) => r.guardianId)).toEqual([f.guardian]);
    expect(await q(19 * 60, 19 * 60 + 5)).toEqual([]); // 19:00 already done
    await db.prisma.preference.deleteMany({ where: { personId: { in: [f.guardian, f.quietGuardian] } } });
  });
});

describe("weekly summary composition", () => {
  let db: TestDb;
  let f: DigestFixture;

  beforeAll(async () => {
    db = await createTestDb();
    f = await digestFixture(db.prisma);
  });
  afterAll(async () => {
    await db.drop();
  });

  it("averages by subject for the week and the period so far, and the week's absences", async () => {
    const { weekStart, weekEnd } = summaryWeekOf(addDays(f.date, 2)); // Friday: this week
    expect(weekStart <= f.date && f.date <= weekEnd).toBe(true);
    // an older algebra mark in the same quarter, two weeks before
    const earlier = await db.prisma.lesson.findFirstOrThrow({
      where: { assignmentId: f.s.assignments.algebra7b, date: new Date(`${addDays(f.date, -7)}T00:00:00Z`) },
    });
    await db.prisma.mark.create({
      data: {
        schoolId: f.s.schoolId,
        studentId: f.child,
        lessonId: earlier.id,
        subjectId: f.s.subjects.algebra,
        date: earlier.date,
        workType: "oral",
        weight: 1,
        value: "3",
        authorId: f.s.people.mathTeacher,
        createdAt: new Date(Date.now() - 86_400_000),
      },
    });
    const w = await composeWeeklySummary(
      db.prisma,
      systemActor(f.s.schoolId),
      { schoolId: f.s.schoolId, guardianId: f.guardian, studentId: f.child, weekStart },
      { now: new Date(f.now.getTime() + 2 * 86_400_000) },
    );
    expect(w).toMatchObject({
      weekStart,
      weekEnd,
      empty: false,
      period: { kind: "QUARTER", number: 2 },
      absences: { absent: 1, late: 1, illness: 1, excused: 0, unexcused: 0 },
    });
    const bySubject = Object.fromEntries(w!.subjects.map((s) => [s.subjectName, s]));
    // Algebra: week 5 (×2) → 5.00; quarter 5×2 + 3×1 over 3 → 4.33
    expect(bySubject["Алгебра"]).toMatchObject({ weekMarks: ["5"], weekAverage: 5, periodAverage: 4.33 });
    expect(bySubject["Русский язык"]).toMatchObject({ weekMarks: ["4"], weekAverage: 4, periodAverage: 4 });
    // the grace-period mark is long past its grace two days later
    expect(bySubject["Английский язык"]).toMatchObject({ weekMarks: ["2"] });
  });
});
