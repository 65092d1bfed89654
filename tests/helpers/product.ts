// The whole product started the way an operator starts it (`run(role, config)`), on its own database schema and
// Redis key prefix, for tests that drive it from the outside (HTTP, a browser).
import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import pg from "pg";
import { inject } from "vitest";
import { type Role, type Running, run } from "../../src/app/run.ts";
import { type Config, loadConfig } from "../../src/config.ts";
import { createLogger } from "../../src/logger.ts";

export interface ProductEnv {
  config: Config;
  /** The PostgreSQL schema this product instance lives in. */
  schema: string;
  start(role?: Role): Promise<Running>;
  /** Runs SQL against the product's database (schema-qualified names needed). */
  sql(text: string, values?: unknown[]): Promise<pg.QueryResult>;
  cleanup(): Promise<void>;
}

export async function productEnv(env: Record<string, string> = {}): Promise<ProductEnv> {
  const schema = `prod_${randomBytes(4).toString("hex")}`;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "classbook-product-"));
  chmodSync(dataDir, 0o755);
  const base = inject("databaseUrl");
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE SCHEMA "${schema}"`);
  const url = new URL(base);
  url.searchParams.set("schema", schema);
  const redisUrl = inject("redisUrl");
  const config = loadConfig(
    {
      DATABASE_URL: url.toString(),
      ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
      PORT: "0",
      DATA_DIR: dataDir,
      QUEUE_PREFIX: schema,
      LOG_LEVEL: "silent",
      ...env,
    },
    dataDir,
  );
  return {
    config,
    schema,
    start: (role: Role = "all") => run(role, config, createLogger("silent")),
    sql: (text, values) => admin.query(text, values as unknown[]),
    async cleanup() {
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await admin.end();
      if (redisUrl) {
        const redis = new Redis(redisUrl);
        const keys = await redis.keys(`${schema}:*`);
        if (keys.length) await redis.del(...keys);
        redis.disconnect();
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
