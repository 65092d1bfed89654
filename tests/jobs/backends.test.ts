// Both BullMQ backends run the same jobs: Redis (REDIS_URL, unique prefix) and PostgreSQL (unique schema).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { materializeSchoolLessons } from "../../src/jobs/maintenance/materialize-lessons.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { type FakeBotApi, startFakeBotApi } from "./helpers/fake-bot-api.ts";
import { absent, seedSchool, waitFor } from "./helpers/fixtures.ts";
import { type Backend, makeJobs, type TestJobs } from "./helpers/jobs.ts";

describe.each<Backend>(["redis", "postgres"])("jobs on %s", (backend) => {
  let db: TestDb;
  let api: FakeBotApi;
  let t: TestJobs;
  let fixture: Awaited<ReturnType<typeof seedSchool>>;

  beforeAll(async () => {
    db = await createTestDb();
    api = await startFakeBotApi();
    fixture = await seedSchool(db.prisma, { families: 2, guardians: 2 });
    for (let weekday = 1; weekday <= 7; weekday++) {
      await db.prisma.timetableEntry.create({
        data: {
          schoolId: fixture.schoolId,
          assignmentId: fixture.assignmentId,
          weekday,
          slot: 5,
          validFrom: new Date("2025-01-01"),
        },
      });
    }
    t = makeJobs(
      db,
      backend,
      { token: "123:TEST", apiRoot: api.apiRoot, botId: fixture.botId },
      { outboxEveryMs: 300 },
    );
    await t.jobs.startWorkers();
  });
  afterAll(async () => {
    await t?.cleanup();
    await api?.close();
    await db?.drop();
  });

  it("is reachable and reports counts per queue", async () => {
    expect(t.jobs.backend).toBe(backend);
    expect(await t.jobs.ping()).toBe(true);
    const counts = await t.jobs.counts();
    expect(Object.keys(counts).sort()).toEqual(["digest", "maintenance", "notify", "outbox", "reports"]);
    expect(counts.notify.failed).toBe(0);
  });

  it("maintenance.materialize-lessons creates the horizon's lessons once (idempotent)", async () => {
    const lessons = () => db.prisma.lesson.count({ where: { schoolId: fixture.schoolId, slot: 5 } });
    await t.jobs.enqueue("maintenance.materialize-lessons", { schoolId: fixture.schoolId }, { jobId: "materialize-1" });
    const first = await waitFor(lessons, (n) => n > 0);
    expect(first).toBe(15); // today + 14 days of the default horizon, a lesson every day
    await t.jobs.enqueue("maintenance.materialize-lessons", { schoolId: fixture.schoolId }, { jobId: "materialize-2" });
    await waitFor(
      () => t.jobs.counts(),
      (c) => c.maintenance.waiting + c.maintenance.active + c.maintenance.delayed === 0,
    );
    expect(await lessons()).toBe(15);
    expect((await materializeSchoolLessons(db.prisma, fixture.schoolId)).created).toBe(0);
  });

  it("outbox → notify → exactly one message per consenting guardian, through the schedulers", async () => {
    const [f1, f2] = fixture.families;
    // The second family's second guardian withdrew consent: nothing for them.
    await db.prisma.guardianship.updateMany({
      where: { guardianId: f2.guardians[1].personId },
      data: { consentRevokedAt: new Date() },
    });
    await absent(db.prisma, fixture, f1.studentId, fixture.lessons[0]);
    await absent(db.prisma, fixture, f2.studentId, fixture.lessons[0]);
    await t.jobs.startSchedulers();
    await waitFor(
      () => api.sent.length,
      (n) => n >= 3,
    );
    await waitFor(
      () => db.prisma.outbox.count({ where: { schoolId: fixture.schoolId, dispatchedAt: null } }),
      (n) => n === 0,
    );
    // A second dispatch pass and a re-sent job change nothing.
    await t.jobs.dispatchOutbox();
    // whatever that pass could have queued has been through the notify worker
    await waitFor(
      () => t.jobs.counts(),
      (c) => c.notify.waiting + c.notify.active + c.notify.delayed + c.notify.prioritized === 0,
    );
    expect(api.sent).toHaveLength(3);
    for (const g of [...f1.guardians, f2.guardians[0]]) {
      const texts = api.byChat(g.chatId);
      expect(texts).toHaveLength(1);
      expect(texts[0]).toMatch(/^Ваш ребёнок Пётр\d отсутствует на уроке «Алгебра» \(\d\d\.\d\d\.\d{4}, 1-й урок\)\.$/);
    }
    expect(api.byChat(f2.guardians[1].chatId)).toEqual([]);
    const deliveries = await db.prisma.delivery.findMany({ where: { schoolId: fixture.schoolId } });
    expect(deliveries.map((d) => d.status)).toEqual(["SENT", "SENT", "SENT"]);
  });
});
