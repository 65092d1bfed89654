// The term-close jobs: families are told of a term mark as news, and of a change as a change, unless the
// guardian turned the alert off in Settings; teachers missing term marks are reminded before and after the
// period ends, once per period and stage, from an outbox row the per-school scan writes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, fromIsoDate, localMoment, zonedInstant } from "../../src/core/dates.ts";
import { setTermGrade } from "../../src/core/journal/term-grades.ts";
import { renderText } from "../../src/jobs/notify/render.ts";
import { reminderStage, scanTermReminders, termReminderHandler } from "../../src/jobs/term-close/reminders.ts";
import { termGradeSetHandler } from "../../src/jobs/term-close/term-grade-set.ts";
import { createLogger } from "../../src/logger.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { buildSchool, type TestSchool } from "../helpers/factories.ts";
import { createFakeTelegram, type FakeTelegram } from "../helpers/telegram.ts";

let db: TestDb;
let s: TestSchool;
let tg: FakeTelegram;
const ctx = () => ({ db: db.prisma, now: new Date(), logger: createLogger("silent") });

beforeAll(async () => {
  db = await createTestDb();
  s = await buildSchool(db.prisma, { today: localMoment("Europe/Moscow").date });
  tg = await createFakeTelegram({ prisma: db.prisma, schoolId: s.schoolId });
  for (const g of s.guardians.get(s.students.c7b[0]) ?? []) await tg.as(g);
  await tg.as(s.people.mathTeacher);
  await tg.as(s.people.russianTeacher);
}, 120_000);
afterAll(async () => {
  await db?.drop();
});

const outboxOf = (kind: string) =>
  db.prisma.outbox.findMany({ where: { schoolId: s.schoolId, kind }, orderBy: { id: "asc" } });

describe("R-16: families are told of term marks", () => {
  it("a new term mark is news to the consenting guardian; a change reads as a change", async () => {
    const math = await s.actor(s.people.mathTeacher);
    const input = { assignmentId: s.assignments.algebra7b, periodId: s.periodId, studentId: s.students.c7b[0] };
    await setTermGrade(db.prisma, math, { ...input, value: "4" });
    const [first] = await outboxOf("term-grade.set");
    const news = await termGradeSetHandler.handle(first, ctx());
    const consenting = s.guardians.get(s.students.c7b[0])?.[0];
    expect(news.map((m) => m.personId)).toEqual([consenting]);
    expect(renderText(news[0].render, "ru")).toMatch(
      /🎓 \S+: итоговая отметка за 2-ю четверть по предмету «Алгебра» — 4\./,
    );
    await setTermGrade(db.prisma, math, { ...input, value: "н/а" });
    const [, second] = await outboxOf("term-grade.set");
    const change = await termGradeSetHandler.handle(second, ctx());
    expect(renderText(change[0].render, "ru")).toContain("изменена: 4 → н/а");
    expect(renderText(change[0].render, "en")).toContain("changed: 4 → n/a");
    expect(change[0].dedupKey).not.toBe(news[0].dedupKey);
  });

  it("the guardian turns term-mark alerts off in Settings (audited) and is no longer told", async () => {
    const guardian = s.guardians.get(s.students.c7b[0])?.[0] as number;
    const parent = await tg.as(guardian);
    await parent.send("/settings");
    expect(parent.lastText()).toContain("• об итоговых и годовых отметках: вкл.");
    await parent.tap("Итоговые отметки: вкл.");
    expect(parent.lastText()).toContain("• об итоговых и годовых отметках: выкл.");
    const pref = await db.prisma.preference.findUniqueOrThrow({ where: { personId: guardian } });
    expect(pref.alertTermGrade).toBe(false);
    const audit = await db.prisma.auditEvent.findFirstOrThrow({
      where: { schoolId: s.schoolId, action: "preference.update", actorId: guardian },
      orderBy: { id: "desc" },
    });
    expect(audit.data).toMatchObject({ alertTermGrade: { old: true, new: false } });
    const [, second] = await outboxOf("term-grade.set");
    expect(await termGradeSetHandler.handle(second, ctx())).toEqual([]);
  });
});

describe("R-16: reminders to teachers", () => {
  it("which reminder is due: before the end, after it until the deadline, none otherwise", () => {
    const p = { startsOn: "2026-11-01", endsOn: "2026-12-28" };
    const settings = { termGradeReminderDaysBefore: 3, termGradeDeadlineDays: 2 };
    expect(
      ["2026-12-24", "2026-12-25", "2026-12-28", "2026-12-29", "2026-12-30", "2026-12-31"].map((d) =>
        reminderStage(d, p, settings),
      ),
    ).toEqual([null, "before", "before", "after", "after", null]);
  });

  it("the scan writes one row per period and stage from 09:00 school time; the handler tells each teacher their gaps", async () => {
    const q2 = await db.prisma.period.findUniqueOrThrow({ where: { id: s.periodId } });
    const end = q2.endsOn.toISOString().slice(0, 10);
    const before = addDays(end, -1);
    expect(await scanTermReminders(db.prisma, s.schoolId, zonedInstant("Europe/Moscow", before, "08:30"))).toEqual({
      written: 0,
    });
    const at = zonedInstant("Europe/Moscow", before, "10:00");
    expect(await scanTermReminders(db.prisma, s.schoolId, at)).toEqual({ written: 1 });
    expect(await scanTermReminders(db.prisma, s.schoolId, at)).toEqual({ written: 0 });
    const after = zonedInstant("Europe/Moscow", addDays(end, 1), "10:00");
    expect(await scanTermReminders(db.prisma, s.schoolId, after)).toEqual({ written: 1 });
    const rows = await outboxOf("term-grade.reminder");
    expect(rows.map((r) => r.payload)).toEqual([
      { periodId: s.periodId, stage: "before" },
      { periodId: s.periodId, stage: "after" },
    ]);
    const messages = await termReminderHandler.handle(rows[0], { ...ctx(), now: at });
    expect(messages.map((m) => m.personId).sort()).toEqual([s.people.mathTeacher, s.people.russianTeacher].sort());
    const math = messages.find((m) => m.personId === s.people.mathTeacher);
    const text = renderText(math?.render ?? { text: "" }, "ru");
    expect(text).toContain("2-я четверть заканчивается");
    expect(text).toContain("7Б Алгебра (5/6)"); // one term mark given above
    expect(text).toContain("8А Алгебра");
    expect(text).toContain("/terms");
    // a closed period is not reminded of
    await db.prisma.period.update({ where: { id: s.periodId }, data: { closedAt: new Date() } });
    expect(await termReminderHandler.handle(rows[1], ctx())).toEqual([]);
    expect(fromIsoDate(end)).toEqual(q2.endsOn);
  });
});
