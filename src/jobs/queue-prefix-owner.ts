// One QUEUE_PREFIX on one Redis belongs to one database. Two deployments sharing a prefix take each other's
// jobs, and each finds nothing of the other's rows: half of the messages stay PENDING for good, silently. So
// at start-up a deployment id kept in the database (BotState) claims `<prefix>:owner` in Redis (SET NX); a
// different owner stops start-up with one line naming QUEUE_PREFIX.
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { ConfigError } from "../config.ts";
import type { Db } from "../core/tx.ts";

const DEPLOYMENT_KEY = "classbook:deployment-id";

/** The part of an ioredis client this needs. */
export interface OwnerStore {
  set(key: string, value: string, nx: "NX"): Promise<unknown>;
  get(key: string): Promise<string | null>;
}

/** This database's deployment id, made on first use. */
export async function deploymentId(prisma: Db): Promise<string> {
  await prisma.botState.createMany({
    data: [{ key: DEPLOYMENT_KEY, value: { id: randomUUID() } }],
    skipDuplicates: true,
  });
  const row = await prisma.botState.findUniqueOrThrow({ where: { key: DEPLOYMENT_KEY }, select: { value: true } });
  return (row.value as { id: string }).id;
}

export const ownerKey = (prefix: string) => `${prefix}:owner`;

/** Claims the prefix for this database, or throws a ConfigError when another database owns it. */
export async function claimQueuePrefix(opts: { prisma: Db; redis: OwnerStore; prefix: string }): Promise<void> {
  const id = await deploymentId(opts.prisma);
  const key = ownerKey(opts.prefix);
  await opts.redis.set(key, id, "NX");
  const owner = await opts.redis.get(key);
  if (owner !== id) {
    throw new ConfigError(
      `Invalid configuration: QUEUE_PREFIX "${opts.prefix}" is already used on this Redis by another database ` +
        `(deployment ${owner}, this one is ${id}): give each deployment its own QUEUE_PREFIX, or, if that ` +
        `deployment is gone for good, delete the Redis key "${key}"`,
    );
  }
}

/** The same over a short-lived client of its own (start-up). */
export async function claimQueuePrefixOnRedis(opts: { prisma: Db; redisUrl: string; prefix: string }): Promise<void> {
  const redis = new Redis(opts.redisUrl, { maxRetriesPerRequest: 3, lazyConnect: true });
  try {
    await redis.connect();
    await claimQueuePrefix({ prisma: opts.prisma, redis, prefix: opts.prefix });
  } finally {
    redis.disconnect();
  }
}
