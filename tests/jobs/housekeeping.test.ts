import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { housekeepingModule, pruneJob } from "../../src/jobs/modules/housekeeping.ts";
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
});
