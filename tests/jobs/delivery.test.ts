// The delivery engine (issue 5 item 7): ledger, 403, quiet hours, grace period, corrections, and a 429 storm
// through the real notify queue on both backends. Telegram is a fake Bot API on 127.0.0.1.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { localMoment } from "../../src/core/dates.ts";
import type { Jobs } from "../../src/jobs/index.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { type FakeBotApi, startFakeBotApi } from "./helpers/fake-bot-api.ts";
import { absent, mark, preferences, seedSchool, waitFor } from "./helpers/fixtures.ts";
import { type Backend, makeJobs, type TestJobs } from "./helpers/jobs.ts";

const fmt = (minutes: number) => {
  const m = ((minutes % 1440) + 1440) % 1440;
  return `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
};

/** Runs the sender for the recorded message with this dedup key, as its notify job would. */
async function send(db: TestDb, jobs: Jobs, dedupKey: string) {
  const d = await db.prisma.delivery.findUniqueOrThrow({ where: { dedupKey }, select: { id: true } });
  return jobs.sendNotification({ deliveryId: String(d.id) });
}

describe("delivery engine (ledger, 403, quiet hours, marks)", () => {
  let db: TestDb;
  let api: FakeBotApi;
  let t: TestJobs | undefined;
  const blockedChat = 990_000_001;

  beforeAll(async () => {
    db = await createTestDb();
    api = await startFakeBotApi({ blockedChats: [blockedChat] });
  });
  afterEach(async () => {
    await t?.cleanup();
    t = undefined;
  });
  afterAll(async () => {
    await api.close();
    await db.drop();
  });

  async function setup(opts: Parameters<typeof seedSchool>[1] = {}) {
    const f = await seedSchool(db.prisma, opts);
    t = makeJobs(db, "redis", { token: "123:TEST", apiRoot: api.apiRoot, botId: f.botId });
    return { f, jobs: t.jobs };
  }

  it("a notify job run twice for the same dedupKey (retry after a crash) sends once", async () => {
    const { f, jobs } = await setup();
    const g = f.families[0].guardians[0];
    const attendanceId = await absent(db.prisma, f, f.families[0].studentId, f.lessons[0]);
    expect(await jobs.dispatchOutbox()).toEqual({ rows: 1, messages: 1 });
    const data = `attendance.absent-${attendanceId}-${g.personId}`;
    expect(await send(db, jobs, data)).toMatchObject({ status: "sent" });
    expect(await send(db, jobs, data)).toEqual({ status: "skipped", reason: "already-done" });
    expect(api.byChat(g.chatId)).toHaveLength(1);
    const d = await db.prisma.delivery.findUniqueOrThrow({ where: { dedupKey: data } });
    expect(d).toMatchObject({ status: "SENT", attempts: 1, personId: g.personId, chatId: g.chatId });
    expect(d.messageId).toBeGreaterThan(0);
  });

  it("two workers holding the same message at once: exactly one calls Telegram", async () => {
    const { f, jobs } = await setup();
    const g = f.families[0].guardians[0];
    const attendanceId = await absent(db.prisma, f, f.families[0].studentId, f.lessons[0], "LATE");
    await jobs.dispatchOutbox();
    const data = `attendance.late-${attendanceId}-${g.personId}`;
    const outcomes = await Promise.all([send(db, jobs, data), send(db, jobs, data)]);
    expect(outcomes.filter((o) => o.status === "sent")).toHaveLength(1);
    expect(api.byChat(g.chatId)).toEqual([expect.stringContaining("опоздал(а) на урок «Алгебра»")]);
  });

  it("403: the account is marked blocked, the delivery BLOCKED, nothing retried or sent later", async () => {
    const { f, jobs } = await setup();
    const g = f.families[0].guardians[0];
    await db.prisma.messengerAccount.update({ where: { id: g.accountId }, data: { chatId: BigInt(blockedChat) } });
    const a1 = await absent(db.prisma, f, f.families[0].studentId, f.lessons[0]);
    await jobs.dispatchOutbox();
    const data = `attendance.absent-${a1}-${g.personId}`;
    expect(await send(db, jobs, data)).toEqual({ status: "blocked" });
    expect(await send(db, jobs, data)).toEqual({ status: "skipped", reason: "already-done" });
    expect(
      (await db.prisma.messengerAccount.findUniqueOrThrow({ where: { id: g.accountId } })).blockedAt,
    ).not.toBeNull();
    expect((await db.prisma.delivery.findUniqueOrThrow({ where: { dedupKey: data } })).status).toBe("BLOCKED");
    const requestsBefore = api.requests;
    // A later alert for the same parent is not even dispatched to the blocked chat.
    const lesson2 = await db.prisma.lesson.create({
      data: { schoolId: f.schoolId, assignmentId: f.assignmentId, date: new Date(`${f.today}T00:00:00Z`), slot: 2 },
    });
    await absent(db.prisma, f, f.families[0].studentId, lesson2.id);
    expect(await jobs.dispatchOutbox()).toEqual({ rows: 1, messages: 0 });
    expect(api.requests).toBe(requestsBefore);
  });

  it("quiet hours delay a mark alert until their end; an absence alert is not delayed", async () => {
    const { f, jobs } = await setup({ timezone: "Asia/Yekaterinburg" });
    const g = f.families[0].guardians[0];
    const local = localMoment(f.timezone);
    await preferences(db.prisma, f, g.personId, {
      alertEveryMark: true,
      quietFrom: fmt(local.minutes - 60),
      quietTo: fmt(local.minutes + 60),
    });
    const markId = await mark(db.prisma, f, f.families[0].studentId, "5");
    const attendanceId = await absent(db.prisma, f, f.families[0].studentId, f.lessons[0]);
    const before = Date.now();
    expect(await jobs.dispatchOutbox()).toEqual({ rows: 2, messages: 2 });
    const markKey = `mark.created-${markId}-${g.personId}`;
    const markDelivery = await db.prisma.delivery.findUniqueOrThrow({ where: { dedupKey: markKey } });
    expect(markDelivery.dueAt.getTime()).toBeGreaterThan(before + 58 * 60_000);
    expect(markDelivery.dueAt.getTime()).toBeLessThan(before + 61 * 60_000);
    const counts = await jobs.counts();
    expect(counts.notify.delayed).toBe(1); // the mark alert waits in BullMQ
    expect(counts.notify.waiting + counts.notify.prioritized).toBe(1); // the absence goes now
    const outcome = await send(db, jobs, markKey);
    expect(outcome).toMatchObject({ status: "delayed", reason: "not-due" });
    const absenceKey = `attendance.absent-${attendanceId}-${g.personId}`;
    expect(await send(db, jobs, absenceKey)).toMatchObject({
      status: "sent",
    });
    expect(api.byChat(g.chatId)).toEqual([expect.stringContaining("отсутствует")]);
  });

  it("a mark fixed silently within the grace period is never announced; its replacement is, once", async () => {
    const { f, jobs } = await setup();
    const g = f.families[0].guardians[0];
    await preferences(db.prisma, f, g.personId, { alertEveryMark: true });
    const typo = await mark(db.prisma, f, f.families[0].studentId, "2", { status: "SUPERSEDED" });
    const fixed = await mark(db.prisma, f, f.families[0].studentId, "4", { supersedesId: typo });
    await db.prisma.outbox.create({
      data: { schoolId: f.schoolId, kind: "mark.corrected", payload: { markId: fixed, previousMarkId: typo } },
    });
    expect(await jobs.dispatchOutbox()).toEqual({ rows: 3, messages: 1 });
    const key = `mark.created-${fixed}-${g.personId}`;
    expect(await send(db, jobs, key)).toMatchObject({ status: "sent" });
    expect(await send(db, jobs, key)).toMatchObject({
      status: "skipped",
    });
    const texts = api.byChat(g.chatId);
    expect(texts).toHaveLength(1);
    expect(texts[0]).toMatch(/^Пётр0 получил\(а\) оценку 4 по предмету «Алгебра» \(контрольная работа, /);
    expect((await db.prisma.mark.findUniqueOrThrow({ where: { id: fixed } })).announcedAt).not.toBeNull();
    expect((await db.prisma.mark.findUniqueOrThrow({ where: { id: typo } })).announcedAt).toBeNull();
  });

  it("a correction of an announced mark is announced as a correction, once, to every guardian", async () => {
    const { f, jobs } = await setup({ guardians: 2 });
    const [g1, g2] = f.families[0].guardians;
    await preferences(db.prisma, f, g1.personId, { alertEveryMark: true });
    await preferences(db.prisma, f, g2.personId, { alertLowMark: true, lowMarkThreshold: 3 });
    const first = await mark(db.prisma, f, f.families[0].studentId, "4");
    await jobs.dispatchOutbox();
    const k1 = `mark.created-${first}-${g1.personId}`;
    expect(await send(db, jobs, k1)).toMatchObject({
      status: "sent",
    });
    expect(await db.prisma.delivery.count({ where: { dedupKey: `mark.created-${first}-${g2.personId}` } })).toBe(0);
    // The teacher corrects 4 → 5 after the grace period, with a reason.
    await db.prisma.mark.update({ where: { id: first }, data: { status: "SUPERSEDED" } });
    const second = await mark(db.prisma, f, f.families[0].studentId, "5", {
      supersedesId: first,
      reason: "ошибка при вводе",
    });
    await db.prisma.outbox.create({
      data: { schoolId: f.schoolId, kind: "mark.corrected", payload: { markId: second, previousMarkId: first } },
    });
    expect(await jobs.dispatchOutbox()).toEqual({ rows: 2, messages: 2 }); // mark.created of `second`: nothing
    for (const g of [g1, g2]) {
      const key = `mark.corrected-${second}-${g.personId}`;
      const out = await send(db, jobs, key);
      if (out.status === "delayed") {
        // g1 just got the first alert: one message a second per chat.
        await new Promise((r) => setTimeout(r, out.until.getTime() - Date.now() + 10));
        expect(await send(db, jobs, key)).toMatchObject({ status: "sent" });
      } else expect(out).toMatchObject({ status: "sent" });
    }
    expect(api.byChat(g1.chatId)).toEqual([
      expect.stringContaining("оценку 4"),
      expect.stringMatching(/^Исправление оценки: Пётр0, «Алгебра» \(.*\): 4 → 5, исправлено: ошибка при вводе\.$/),
    ]);
    expect(api.byChat(g2.chatId)).toEqual([expect.stringContaining("4 → 5, исправлено: ошибка при вводе")]);
  });

  it("an entry for a past date says that date", async () => {
    const { f, jobs } = await setup();
    const g = f.families[0].guardians[0];
    const past = await db.prisma.lesson.create({
      data: { schoolId: f.schoolId, assignmentId: f.assignmentId, date: new Date("2025-10-06T00:00:00Z"), slot: 3 },
    });
    const attendanceId = await absent(db.prisma, f, f.families[0].studentId, past.id);
    await jobs.dispatchOutbox();
    const key = `attendance.absent-${attendanceId}-${g.personId}`;
    await send(db, jobs, key);
    expect(api.byChat(g.chatId)).toEqual([
      "Запись внесена позже: ваш ребёнок Пётр0 отсутствовал(а) на уроке «Алгебра» 06.10.2025 (3-й урок).",
    ]);
  });
});

// The storm names its scope (the chat): every chat's calls go one at a time, so "sent before retry_after" is
// judged exactly, whatever the machine's load. A storm for the whole bot is driven in-process on a virtual clock
// (tests/bot/flood-control.test.ts), where no request can be in flight while a 429 is on its way back.
describe.each<Backend>(["redis", "postgres"])("429 storm through the notify queue on %s", (backend) => {
  let db: TestDb;
  let api: FakeBotApi;
  let t: TestJobs;

  beforeAll(async () => {
    db = await createTestDb();
    api = await startFakeBotApi({ storm: { count: 4, retryAfter: 1, scope: "chat" } });
  });
  afterAll(async () => {
    await t?.cleanup();
    await api.close();
    await db.drop();
  });

  it("nothing lost, nothing sent before retry_after, a chat's messages in order", async () => {
    const f = await seedSchool(db.prisma, { families: 3, lessons: 4 });
    t = makeJobs(db, backend, { token: "123:TEST", apiRoot: api.apiRoot, botId: f.botId }, { outboxEveryMs: 200 });
    for (const lessonId of f.lessons) {
      for (const fam of f.families) await absent(db.prisma, f, fam.studentId, lessonId);
    }
    await t.jobs.startWorkers();
    await t.jobs.startSchedulers();
    await waitFor(
      () => api.sent.length,
      (n) => n >= 12,
      60_000,
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(api.sent).toHaveLength(12); // nothing lost, nothing twice
    expect(api.tooMany).toBeGreaterThanOrEqual(4);
    expect(api.premature).toBe(0);
    for (const fam of f.families) {
      const slots = api.byChat(fam.guardians[0].chatId).map((text) => Number(/, (\d)-й урок/.exec(text)?.[1]));
      expect(slots).toEqual([1, 2, 3, 4]);
    }
    const statuses = await db.prisma.delivery.groupBy({
      by: ["status"],
      _count: true,
      where: { schoolId: f.schoolId },
    });
    expect(statuses).toEqual([{ status: "SENT", _count: 12 }]);
  });
});
