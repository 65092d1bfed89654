// A fresh PostgreSQL schema per test file, migrated with the real migrations.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import { setIntegritySecret } from "../../src/core/integrity/keys.ts";
import { createPrisma, type Db } from "../../src/db/database.ts";
import { applyMigrations } from "../../src/db/schema-engine.ts";

export interface TestDb {
  prisma: Db;
  url: string;
  schema: string;
  drop(): Promise<void>;
}

/** The APP_SECRET of every test process: audit hashes and archive signatures are keyed with it. */
export const TEST_APP_SECRET = "test-app-secret-of-at-least-32-characters";

export async function createTestDb(): Promise<TestDb> {
  setIntegritySecret(TEST_APP_SECRET);
  const url = inject("databaseUrl");
  const schema = `t_${randomBytes(5).toString("hex")}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA "${schema}"`);
  await admin.end();
  await applyMigrations({ connectionString: url, schema });
  const prisma = createPrisma(url, schema);
  return {
    prisma,
    url,
    schema,
    async drop() {
      await prisma.$disconnect();
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await c.end();
    },
  };
}
