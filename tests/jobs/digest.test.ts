// Daily digests and weekly summaries through the real fan-out, the real notify queue (Redis) and the real sender,
// against a fake Bot API (issue 5 item 3 and "Done when"): content (ru), nothing when empty unless asked, never
// twice after a crash and retry, consent, the digest time, grace period and corrections.
import pino from "pino";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { addDays } from "../../src/core/dates.ts";
import { digestDedupKey, summaryWeekOf } from "../../src/core/digest/index.ts";
import { fanoutMarkerKey, runDigestFanout } from "../../src/jobs/digest/fanout.ts";
import { digestDailyHandler } from "../../src/jobs/digest/handlers.ts";
import { digestModule } from "../../src/jobs/modules/digest.ts";
import { type DigestFixture, digestFixture, ruDate, ruRange } from "../core/digest/fixture.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { type FakeBotApi, startFakeBotApi } from "./helpers/fake-bot-api.ts";
import { waitFor } from "./helpers/fixtures.ts";
import { makeJobs, type TestJobs } from "./helpers/jobs.ts";

const logger = pino({ level: process.env.TEST_LOG ?? "silent" });

describe("digests through the jobs layer (Redis)", () => {
  let db: TestDb;
  let api: FakeBotApi;
  let f: DigestFixture;
  let t: TestJobs;
  let queued: string[];

  beforeAll(async () => {
    db = await createTestDb();
    api = await startFakeBotApi();
  });
  beforeEach(async () => {
    f = await digestFixture(db.prisma);
    const m = digestModule({ prisma: db.prisma, logger });
    t = makeJobs(
      db,
      "redis",
      { token: "123:TEST", apiRoot: api.apiRoot, botId: f.botId },
      { handlers: m.handlers, jobs: { definitions: m.definitions, processors: m.processors } },
    );
    queued = [];
  });
  afterEach(async () => {
    await t.cleanup();
  });
  afterAll(async () => {
    await api.close();
    await db.drop();
  });

  const fanout = (now: Date) =>
    runDigestFanout(
      {
        prisma: db.prisma,
        logger,
        now: () => now,
        deliver: async (messages) => {
          queued.push(...messages.map((m) => m.dedupKey));
          return t.jobs.deliver(messages);
        },
      },
      f.s.schoolId,
    );
  const daily = (guardianId: number, studentId: number, date = f.date) =>
    digestDedupKey("daily", f.s.schoolId, guardianId, studentId, date);
  /** The notify job of a recorded digest, run now; a digest never recorded has nothing to send. */
  const send = async (dedupKey: string) => {
    const d = await db.prisma.delivery.findUnique({ where: { dedupKey }, select: { id: true } });
    return d ? t.jobs.sendNotification({ deliveryId: String(d.id) }) : { status: "skipped" as const };
  };
  const queuedFor = (guardianId: number, studentId: number, date = f.date) =>
    queued.includes(digestDedupKey("daily", f.s.schoolId, guardianId, studentId, date));
  const consenting = () => [...f.s.guardians.entries()].map(([studentId, [g]]) => ({ guardianId: g, studentId }));

  it("the evening digest of a day with marks, absences, homework and notices, sent once per guardian and child", async () => {
    const r = await fanout(f.now);
    // every consenting guardian: the school notice of the day concerns them all
    expect(r).toMatchObject({ date: f.date, time: "19:05", due: 18, daily: 18, empty: 0, alreadySent: 0 });
    await t.jobs.startWorkers();
    await waitFor(
      () => api.sent.length,
      (n) => n >= 18,
    );
    expect(api.byChat(f.chatOf(f.guardian))).toEqual([
      [
        `Сводка за ${ruDate(f.date)}: Алексеев Артём`,
        "",
        "Оценки:",
        "• Алгебра — 5 (контрольная работа)",
        "• Русский язык — 3 → 4 (ответ на уроке), исправлено: ошибка при вводе",
        "",
        "Пропуски и опоздания:",
        "• 1-й урок, Алгебра — опоздал(а)",
        "• 2-й урок, Русский язык — отсутствовал(а), по болезни",
        "",
        `Домашнее задание на завтра (${ruDate(f.tomorrow)}):`,
        "• Алгебра: № 245, 247 (прикреплено 2 файла)",
        "",
        "Объявления:",
        "• Родительское собрание в четверг в 18:00, кабинет 101.",
        "• В пятницу уроки по 30 минут. (с вложением)",
      ].join("\n"),
    ]);
    // the English mark entered a minute before is still in its grace period: not announced
    expect(api.byChat(f.chatOf(f.guardian))[0]).not.toContain("Английский");
    // the second guardian never gave consent
    expect(api.byChat(f.chatOf(f.noConsent))).toEqual([]);
    const d = await db.prisma.delivery.findUniqueOrThrow({ where: { dedupKey: daily(f.guardian, f.child) } });
    expect(d).toMatchObject({ status: "SENT", kind: "digest.daily", personId: f.guardian });
  });

  it("the «Ознакомлен» button goes with the digest", async () => {
    const [m] = await digestDailyHandler.handle(
      {
        schoolId: f.s.schoolId,
        kind: "digest.daily",
        payload: { guardianId: f.guardian, studentId: f.child, date: f.date },
      },
      { db: db.prisma, now: new Date(), logger },
    );
    const compact = f.date.replace(/-/g, "");
    expect(m.buttons).toEqual([[{ text: "Ознакомлен", action: `dg:d:${f.child}:${compact}` }]]);
  });

  it("no digest twice after a crash and retry of the fan-out or of the notify job", async () => {
    const first = await fanout(f.now);
    const countsAfterFirst = await t.jobs.counts();
    // the worker crashed before the run was recorded: the retry does it all again
    await db.prisma.botState.delete({ where: { key: fanoutMarkerKey(f.s.schoolId) } });
    const again = await fanout(f.now);
    expect(again).toMatchObject({ daily: 0, alreadySent: first.daily }); // the ledger holds every one already
    const countsAfterRetry = await t.jobs.counts();
    expect(countsAfterRetry.notify.waiting).toBe(countsAfterFirst.notify.waiting); // same job ids
    // the notify job runs twice (a retry after a crash mid-send)
    const job = daily(f.guardian, f.child);
    expect(await send(job)).toMatchObject({ status: "sent" });
    expect(await send(job)).toEqual({ status: "skipped", reason: "already-done" });
    expect(api.byChat(f.chatOf(f.guardian))).toHaveLength(1);
    // the next minute's run does not pick anyone again; a run with the marker lost skips what the ledger has
    queued = [];
    expect(await fanout(new Date(f.now.getTime() + 60_000))).toMatchObject({ due: 0, daily: 0 });
    await db.prisma.botState.delete({ where: { key: fanoutMarkerKey(f.s.schoolId) } });
    const lost = await fanout(new Date(f.now.getTime() + 120_000));
    expect(lost).toMatchObject({ daily: 0, alreadySent: first.daily }); // every one is in the ledger already
    expect(queuedFor(f.guardian, f.child)).toBe(false);
  });

  it("nothing to say: no message, unless the guardian asked for one even when empty", async () => {
    const nextWeek = addDays(f.date, 7);
    const now = new Date(f.now.getTime() + 7 * 86_400_000);
    await db.prisma.preference.create({
      data: { schoolId: f.s.schoolId, personId: f.quietGuardian, digestWhenEmpty: true },
    });
    const r = await fanout(now);
    expect(r).toMatchObject({ date: nextWeek, due: 18, daily: 1, empty: 17 });
    expect(queued).toEqual([digestDedupKey("daily", f.s.schoolId, f.quietGuardian, f.quietChild, nextWeek)]);
    // and another guardian's empty digest is not sent even when asked for directly
    expect(await send(daily(f.guardian, f.child, nextWeek))).toMatchObject({ status: "skipped" });
    expect(await send(daily(f.quietGuardian, f.quietChild, nextWeek))).toMatchObject({
      status: "sent",
    });
    const name = await db.prisma.student.findUniqueOrThrow({
      where: { id: f.quietChild },
      select: { person: { select: { lastName: true, firstName: true } } },
    });
    expect(api.byChat(f.chatOf(f.quietGuardian))).toEqual([
      `Сводка за ${ruDate(nextWeek)}: ${name.person.lastName} ${name.person.firstName}\n\nЗа день новых оценок, пропусков, заданий и объявлений нет.`,
    ]);
    expect(api.byChat(f.chatOf(f.guardian))).toEqual([]);
  });

  it("R-09: a guardian who withdrew consent is not selected, and a digest already queued is not sent", async () => {
    const revoked = consenting()[5];
    await db.prisma.guardianship.updateMany({
      where: { guardianId: revoked.guardianId, studentId: revoked.studentId },
      data: { consentRevokedAt: new Date() },
    });
    const r = await fanout(f.now);
    expect(r.daily).toBe(17);
    expect(queuedFor(revoked.guardianId, revoked.studentId)).toBe(false);
    expect(queuedFor(f.noConsent, f.child)).toBe(false);
    // withdrawn after the fan-out, before the send
    expect(queuedFor(f.guardian, f.child)).toBe(true);
    await db.prisma.guardianship.updateMany({
      where: { guardianId: f.guardian, studentId: f.child },
      data: { consentRevokedAt: new Date() },
    });
    expect(await send(daily(f.guardian, f.child))).toMatchObject({ status: "skipped" });
    expect(await send(daily(f.noConsent, f.child))).toMatchObject({ status: "skipped" });
    expect(api.byChat(f.chatOf(f.guardian))).toEqual([]);
    expect(api.byChat(f.chatOf(f.noConsent))).toEqual([]);
  });

  it("the digest time is respected (school time); «off» means none", async () => {
    await db.prisma.preference.create({ data: { schoolId: f.s.schoolId, personId: f.guardian, digestTime: "20:30" } });
    await db.prisma.preference.create({
      data: { schoolId: f.s.schoolId, personId: f.quietGuardian, digestTime: "off" },
    });
    const at1905 = await fanout(f.now);
    expect(at1905.daily).toBe(16);
    expect(queuedFor(f.guardian, f.child)).toBe(false);
    queued = [];
    const at2029 = await fanout(new Date(f.now.getTime() + 84 * 60_000));
    expect(at2029).toMatchObject({ time: "20:29", due: 0 });
    const at2031 = await fanout(new Date(f.now.getTime() + 86 * 60_000));
    expect(at2031).toMatchObject({ time: "20:31", due: 1, daily: 1 });
    expect(queued).toEqual([digestDedupKey("daily", f.s.schoolId, f.guardian, f.child, f.date)]);
    // «off»: not even at the end of the day
    expect(await fanout(new Date(f.now.getTime() + 4 * 3_600_000 + 50 * 60_000))).toMatchObject({ due: 0 });
  });

  it("any quarter-hour: a 22:30 digest tells of today, a 07:00 one next morning tells of the day before", async () => {
    await db.prisma.preference.create({ data: { schoolId: f.s.schoolId, personId: f.guardian, digestTime: "22:30" } });
    await db.prisma.preference.create({
      data: { schoolId: f.s.schoolId, personId: f.quietGuardian, digestTime: "07:00" },
    });
    const at1905 = await fanout(f.now);
    expect(at1905.daily).toBe(16);
    queued = [];
    expect(await fanout(new Date(f.now.getTime() + (3 * 60 + 24) * 60_000))).toMatchObject({ time: "22:29", due: 0 });
    const at2230 = await fanout(new Date(f.now.getTime() + (3 * 60 + 25) * 60_000));
    expect(at2230).toMatchObject({ time: "22:30", due: 1, daily: 1 });
    expect(queued).toEqual([digestDedupKey("daily", f.s.schoolId, f.guardian, f.child, f.date)]);
    queued = [];
    const next = addDays(f.date, 1);
    const at0700 = await fanout(new Date(f.now.getTime() + (11 * 60 + 55) * 60_000));
    expect(at0700).toMatchObject({ date: next, time: "07:00", due: 1, daily: 1 });
    const quietChild = [...f.s.guardians.entries()].find(([, gs]) => gs.includes(f.quietGuardian))![0];
    expect(queued).toEqual([digestDedupKey("daily", f.s.schoolId, f.quietGuardian, quietChild, f.date)]);
    await t.jobs.startWorkers();
    await waitFor(
      () => api.byChat(f.chatOf(f.quietGuardian)).length,
      (n) => n >= 1,
    );
    expect(api.byChat(f.chatOf(f.quietGuardian))[0]).toContain(`Сводка за ${ruDate(f.date)}`);
  });

  it("the weekly summary on the chosen day: averages by subject, absences", async () => {
    await db.prisma.preference.create({ data: { schoolId: f.s.schoolId, personId: f.guardian, weeklyDay: 5 } });
    const friday = new Date(f.now.getTime() + 2 * 86_400_000);
    const r = await fanout(friday);
    expect(r).toMatchObject({ weekly: 1 });
    const { weekStart, weekEnd } = summaryWeekOf(addDays(f.date, 2));
    const key = digestDedupKey("weekly", f.s.schoolId, f.guardian, f.child, weekStart);
    expect(queued).toContain(key);
    const out = await send(key);
    expect(out).toMatchObject({ status: "sent" });
    // composed by the fan-out at its own (Friday's) clock: the English mark's grace period is long over by then
    expect(api.byChat(f.chatOf(f.guardian))).toEqual([
      [
        `Итоги недели ${ruRange(weekStart, weekEnd)}: Алексеев Артём`,
        "",
        "Средний балл по предметам (за неделю / за 2-ю четверть):",
        "• Алгебра — 5,00 / 5,00 (оценки: 5)",
        "• Английский язык — 2,00 / 2,00 (оценки: 2)",
        "• Русский язык — 4,00 / 4,00 (оценки: 4)",
        "",
        "Пропущен 1 урок, из них: по болезни — 1.",
        "Опоздание: 1.",
      ].join("\n"),
    ]);
  });

  it("the module's per-school fan-out job runs on the worker with the real clock and records its run", async () => {
    await t.jobs.startWorkers();
    await t.jobs.enqueue("digest.fanout", { schoolId: f.s.schoolId });
    const marker = await waitFor(
      () => db.prisma.botState.findUnique({ where: { key: fanoutMarkerKey(f.s.schoolId) } }),
      (m) => m !== null,
    );
    expect(marker!.value).toMatchObject({ date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
  });
});
