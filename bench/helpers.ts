// Set-up and tear-down shared by the benchmarks: a scratch PostgreSQL schema with the migrations applied (on
// DATABASE_URL, else on an embedded server in a temp directory), optionally a Prisma client on it, extra schema
// names to drop at the end (BullMQ's PostgreSQL backend), and the Redis checks and clean-up.
import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import pg from "pg";
import { setIntegritySecret } from "../src/core/integrity/keys.ts";
import { createPrisma } from "../src/db/database.ts";
import { type EmbeddedDatabase, startEmbeddedPostgres } from "../src/db/embedded-postgres.ts";
import type { PrismaClient } from "../src/db/generated/client.ts";
import { applyMigrations } from "../src/db/schema-engine.ts";

export interface BenchDatabase {
  /** Connection string: DATABASE_URL, else the embedded server's. */
  url: string;
  /** The scratch schema, created and migrated: `bench_<name>_<id>`. */
  schema: string;
  /** Random hex shared by the schema names; for Redis prefixes, usernames and the like. */
  id: string;
  /** A temp directory for the bench's files, removed by close(). */
  tmpDir: string;
  /** Reserves `bench_<name>_<suffix>_<id>` (not created) and drops it on close(). */
  extraSchema(suffix: string): string;
  /** Disconnects the Prisma client made here, drops the schemas, stops the embedded server, removes tmpDir. */
  close(): Promise<void>;
}

export interface BenchDatabaseOptions {
  /** false: make no Prisma client (the caller makes its own on url/schema and closes it before close()). */
  prisma?: boolean;
}

/** A migrated scratch schema `bench_<name>_<id>` with a Prisma client on it. */
export function benchDatabase(name: string): Promise<BenchDatabase & { prisma: PrismaClient }>;
export function benchDatabase(name: string, opts: { prisma: false }): Promise<BenchDatabase>;
export async function benchDatabase(
  name: string,
  opts: BenchDatabaseOptions = {},
): Promise<BenchDatabase & { prisma?: PrismaClient }> {
  setIntegritySecret(process.env.APP_SECRET ?? "bench-app-secret-of-at-least-32-characters");
  const tmpDir = mkdtempSync(path.join(os.tmpdir(), `classbook-bench-${name}-`));
  let embedded: EmbeddedDatabase | undefined;
  let admin: pg.Client | undefined;
  let prisma: PrismaClient | undefined;
  const id = randomBytes(4).toString("hex");
  const schema = `bench_${name}_${id}`;
  const schemas = [schema];

  async function close(): Promise<void> {
    try {
      await prisma?.$disconnect();
      if (admin) {
        for (const s of schemas) await admin.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
        await admin.end();
      }
    } finally {
      await embedded?.stop();
      rmSync(tmpDir, { recursive: true, force: true });
    }
  }

  try {
    let url = process.env.DATABASE_URL;
    if (!url) {
      chmodSync(tmpDir, 0o755); // as root, the embedded server runs as "postgres" and must reach its directory
      embedded = await startEmbeddedPostgres(path.join(tmpDir, "pg"), () => {});
      url = embedded.url;
    }
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    admin = client;
    await admin.query(`CREATE SCHEMA "${schema}"`);
    await applyMigrations({ connectionString: url, schema });
    if (opts.prisma !== false) prisma = createPrisma(url, schema);
    return {
      url,
      schema,
      id,
      tmpDir,
      prisma,
      extraSchema(suffix: string): string {
        const extra = `bench_${name}_${suffix}_${id}`;
        schemas.push(extra);
        return extra;
      },
      close,
    };
  } catch (err) {
    await close().catch(() => {});
    throw err;
  }
}

/** REDIS_URL, else the local default. */
export function benchRedisUrl(): string {
  return process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
}

/** Whether a Redis answers PING at url (one attempt, no retries). */
export async function redisReachable(url: string): Promise<boolean> {
  const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  r.on("error", () => {});
  try {
    await r.connect();
    await r.ping();
    return true;
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

/** Deletes every key `<prefix>:*` (SCAN, not KEYS). */
export async function clearRedisPrefix(url: string, prefix: string): Promise<void> {
  const r = new Redis(url);
  try {
    let cursor = "0";
    do {
      const [next, keys] = await r.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
      cursor = next;
      if (keys.length) await r.del(...keys);
    } while (cursor !== "0");
  } finally {
    await r.quit();
  }
}

/** Polls ok() every 50 ms until it holds or limitMs has passed (the caller checks which). */
export async function waitUntil(ok: () => boolean, limitMs: number): Promise<void> {
  const started = Date.now();
  while (!ok() && Date.now() - started < limitMs) await new Promise((r) => setTimeout(r, 50));
}
