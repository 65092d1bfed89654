// One QUEUE_PREFIX on one Redis per database: a second database on the same prefix is refused at start-up with
// one line naming QUEUE_PREFIX; the same database restarting is fine.
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ConfigError } from "../../src/config.ts";
import { claimQueuePrefix, deploymentId, ownerKey } from "../../src/jobs/queue-prefix-owner.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { productEnv } from "../helpers/product.ts";

const redisUrl = inject("redisUrl");

describe.skipIf(!redisUrl)("QUEUE_PREFIX ownership", () => {
  let first: TestDb;
  let second: TestDb;
  let redis: Redis;
  let prefix: string;
  beforeAll(async () => {
    first = await createTestDb();
    second = await createTestDb();
    redis = new Redis(redisUrl);
    prefix = `qpo_${first.schema}`;
  });
  afterAll(async () => {
    await redis.del(ownerKey(prefix));
    redis.disconnect();
    await first.drop();
    await second.drop();
  });

  it("the first database claims the prefix, and keeps it across restarts", async () => {
    await claimQueuePrefix({ prisma: first.prisma, redis, prefix });
    expect(await redis.get(ownerKey(prefix))).toBe(await deploymentId(first.prisma));
    await expect(claimQueuePrefix({ prisma: first.prisma, redis, prefix })).resolves.toBeUndefined();
  });

  it("a second database on the same prefix is refused with one line naming QUEUE_PREFIX; on its own prefix it runs", async () => {
    const refused = await claimQueuePrefix({ prisma: second.prisma, redis, prefix }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ConfigError);
    const message = (refused as Error).message;
    expect(message).toContain(`QUEUE_PREFIX "${prefix}"`);
    expect(message).toContain(ownerKey(prefix));
    expect(message).not.toContain("\n");
    expect(await redis.get(ownerKey(prefix))).toBe(await deploymentId(first.prisma));

    const own = `${prefix}_b`;
    try {
      await expect(claimQueuePrefix({ prisma: second.prisma, redis, prefix: own })).resolves.toBeUndefined();
    } finally {
      await redis.del(ownerKey(own));
    }
  });

  it("the product: a deployment started on another database's QUEUE_PREFIX refuses to start; the owner restarts", async () => {
    const owner = await productEnv();
    const intruder = await productEnv({ QUEUE_PREFIX: owner.config.queuePrefix });
    try {
      const running = await owner.start("worker");
      await running.stop();
      const refused = await intruder.start("worker").catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(ConfigError);
      expect((refused as Error).message).toMatch(
        /^Invalid configuration: QUEUE_PREFIX "prod_[0-9a-f]+" is already used/,
      );
      const again = await owner.start("worker");
      await again.stop();
    } finally {
      await intruder.cleanup();
      await owner.cleanup();
    }
  }, 120_000);
});
