import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  housekeepingModule,
  pruneIdleRateScopes,
  pruneJob,
  pruneOlderThan,
} from "../../src/jobs/modules/housekeeping.ts";
import { postgresRateStore } from "../../src/messenger/telegram/rate-store.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";

describe("housekeeping", () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb();
  });
  afterAll(() => db.drop());

  it("prunes webhook update ids older than two days and keeps recent ones", async () => {
    const old = new Date(Date.now() - 3 * 24 * 3_600_000);
    await db.prisma.processedUpdate.createMany({
      data: [
        { botId: 1, updateId: 1n, createdAt: old },
        { botId: 1, updateId: 2n },
      ],
    });
    const logger = pino({ level: "silent" });
    const module = housekeepingModule({ prisma: db.prisma, logger });
    const processor = module.processors!.find((p) => p.name === pruneJob.name)!;
    await processor.process({}, { logger } as never);
    expect((await db.prisma.processedUpdate.findMany()).map((r) => r.updateId)).toEqual([2n]);
  });

  describe("Outbox and Delivery retention", () => {
    const daysAgo = (d: number) => new Date(Date.now() - d * 24 * 3_600_000);
    let schoolId: number;
    let seq = 0;
    const rows = async (ages: number[]) => {
      for (const age of ages) {
        const at = daysAgo(age);
        seq++;
        await db.prisma.outbox.create({
          data: { schoolId, kind: "test.kind", payload: { age }, createdAt: at, availableAt: at, dispatchedAt: at },
        });
        await db.prisma.delivery.create({
          data: { schoolId, dedupKey: `retention-${seq}`, chatId: 1n, kind: "test.kind", createdAt: at, dueAt: at },
        });
      }
    };
    const ages = async () => ({
      outbox: (await db.prisma.outbox.findMany({ orderBy: { id: "asc" } })).map(
        (r) => (r.payload as { age: number }).age,
      ),
      deliveries: await db.prisma.delivery.count(),
    });

    beforeAll(async () => {
      schoolId = (await db.prisma.school.create({ data: { name: "School" } })).id;
    });

    it("the hourly prune deletes rows older than 90 days by default and keeps recent ones", async () => {
      await rows([200, 91, 89, 1]);
      const logger = pino({ level: "silent" });
      const processor = housekeepingModule({ prisma: db.prisma, logger }).processors!.find(
        (p) => p.name === pruneJob.name,
      )!;
      expect(await processor.process({}, { logger } as never)).toMatchObject({ outbox: 2, deliveries: 2 });
      expect(await ages()).toEqual({ outbox: [89, 1], deliveries: 2 });
    });

    it("the age is a setting (OUTBOX_RETENTION_DAYS); a message due later than the cutoff stays", async () => {
      await db.prisma.outbox.deleteMany();
      await db.prisma.delivery.deleteMany();
      await rows([40, 20]);
      await db.prisma.delivery.create({
        data: { schoolId, dedupKey: "retention-scheduled", chatId: 1n, kind: "test.kind", createdAt: daysAgo(40) },
      });
      const logger = pino({ level: "silent" });
      const processor = housekeepingModule({ prisma: db.prisma, logger, outboxRetentionDays: 30 }).processors!.find(
        (p) => p.name === pruneJob.name,
      )!;
      await processor.process({}, { logger } as never);
      expect(await ages()).toEqual({ outbox: [20], deliveries: 2 });
      expect(await db.prisma.delivery.count({ where: { dedupKey: "retention-scheduled" } })).toBe(1);
    });

    it("deletes in batches until nothing old is left", async () => {
      await db.prisma.outbox.deleteMany();
      await db.prisma.delivery.deleteMany();
      await rows([100, 100, 100, 100, 100, 3]);
      expect(await pruneOlderThan(db.prisma, "Outbox", daysAgo(90), 2)).toBe(5);
      expect(await pruneOlderThan(db.prisma, "Delivery", daysAgo(90), 2)).toBe(5);
      expect(await ages()).toEqual({ outbox: [3], deliveries: 1 });
    });
  });

  describe("the transport's rate state without Redis (RateScope)", () => {
    const hour = 3_600_000;
    const chatRule = { intervalMs: 1050, burst: 3 };
    const botRule = { intervalMs: 1000 / 29.2, burst: 1, window: { count: 30, ms: 1000, pendingMs: 30_000 } };
    const keys = async () => (await db.prisma.rateScope.findMany({ orderBy: { key: "asc" } })).map((r) => r.key);

    it("the hourly prune deletes the rows of chats idle for more than a day and keeps the live ones", async () => {
      const store = postgresRateStore(db.prisma);
      const now = Date.now();
      await store.reserve("chat:1:100", chatRule, now - 50 * hour); // written to two days ago, not since
      await store.reserve("chat:1:101", chatRule, now - 25 * hour);
      await store.reserve("chat:1:102", chatRule, now - 50 * hour);
      await store.reserve("chat:1:102", chatRule, now - hour); // written to again an hour ago
      await store.block("chat:1:103", now + hour); // closed by a 429 until an hour from now
      const bot = await store.reserve("bot:1", botRule, now - 2 * hour);
      await store.answered("bot:1", botRule, bot.ticket!, now - 2 * hour);
      const logger = pino({ level: "silent" });
      const processor = housekeepingModule({ prisma: db.prisma, logger }).processors!.find(
        (p) => p.name === pruneJob.name,
      )!;
      expect(await processor.process({}, { logger } as never)).toMatchObject({ rateScopes: 2 });
      expect(await keys()).toEqual(["bot:1", "chat:1:102", "chat:1:103"]);
    });

    it("deletes in batches until no idle row is left", async () => {
      await db.prisma.rateScope.deleteMany();
      const store = postgresRateStore(db.prisma);
      const now = Date.now();
      for (let c = 0; c < 5; c++) await store.reserve(`chat:2:${c}`, chatRule, now - 30 * hour);
      await store.reserve("chat:2:live", chatRule, now);
      expect(await pruneIdleRateScopes(db.prisma, now - 24 * hour, 2)).toBe(5);
      expect(await keys()).toEqual(["chat:2:live"]);
    });
  });
});
