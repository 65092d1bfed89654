// The digest fan-out on BullMQ's PostgreSQL backend (the embedded default): every due guardian gets one
// digest through the notify worker, and a crashed-and-retried fan-out after delivery sends nothing more.
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fanoutMarkerKey, runDigestFanout } from "../../src/jobs/digest/fanout.ts";
import { digestModule } from "../../src/jobs/modules/digest.ts";
import { type DigestFixture, digestFixture, ruDate } from "../core/digest/fixture.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { type FakeBotApi, startFakeBotApi } from "./helpers/fake-bot-api.ts";
import { waitFor } from "./helpers/fixtures.ts";
import { makeJobs, type TestJobs } from "./helpers/jobs.ts";

const logger = pino({ level: process.env.TEST_LOG ?? "silent" });

describe("digests on the PostgreSQL backend", () => {
  let db: TestDb;
  let api: FakeBotApi;
  let f: DigestFixture;
  let t: TestJobs;

  beforeAll(async () => {
    db = await createTestDb();
    api = await startFakeBotApi();
    f = await digestFixture(db.prisma);
    const m = digestModule({ prisma: db.prisma, logger });
    t = makeJobs(
      db,
      "postgres",
      { token: "123:TEST", apiRoot: api.apiRoot, botId: f.botId },
      { handlers: m.handlers, jobs: { definitions: m.definitions, processors: m.processors } },
    );
  });
  afterAll(async () => {
    await t.cleanup();
    await api.close();
    await db.drop();
  });

  it("one digest per consenting guardian, never a second one after a retried fan-out", async () => {
    const fanout = (now: Date) =>
      runDigestFanout(
        { prisma: db.prisma, logger, now: () => now, deliver: (messages) => t.jobs.deliver(messages) },
        f.s.schoolId,
      );
    expect(await fanout(f.now)).toMatchObject({ daily: 18 });
    await t.jobs.startWorkers();
    await waitFor(
      () => db.prisma.delivery.count({ where: { kind: "digest.daily", status: "SENT" } }),
      (n) => n === 18,
      60_000,
    );
    expect(api.byChat(f.chatOf(f.guardian))).toEqual([
      expect.stringMatching(new RegExp(`^Сводка за ${ruDate(f.date)}: Алексеев Артём\\n\\nОценки:\\n`)),
    ]);
    await db.prisma.botState.delete({ where: { key: fanoutMarkerKey(f.s.schoolId) } });
    expect(await fanout(new Date(f.now.getTime() + 60_000))).toMatchObject({ daily: 0, alreadySent: 18 });
    // nothing left to run: whatever the retried fan-out could have queued has been through the workers
    await waitFor(
      () => t.jobs.counts(),
      (c) =>
        (["digest", "notify"] as const).every(
          (q) => c[q].waiting + c[q].active + c[q].delayed + c[q].prioritized === 0,
        ),
      60_000,
    );
    expect(api.sent).toHaveLength(18);
    expect(new Set(api.sent.map((m) => m.chatId)).size).toBe(18);
  });
});
