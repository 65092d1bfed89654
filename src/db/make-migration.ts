// `npm run db:migration -- <name>`: writes prisma/migrations/<timestamp>_<name>/migration.sql with the SQL that
// takes a database migrated with every existing migration to the current prisma/schema.prisma.
// It migrates a scratch PostgreSQL schema, diffs it against schema.prisma, and drops the scratch schema.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { loadConfig } from "../config.ts";
import { openDatabase } from "./database.ts";
import { applyMigrations, diffMigrationsToSchema, migrationsDir } from "./schema-engine.ts";

const name = (process.argv[2] ?? "").trim().replace(/[^a-zA-Z0-9_]+/g, "_");
if (!name) {
  console.error("usage: npm run db:migration -- <name>");
  process.exit(2);
}

const config = loadConfig();
const db = await openDatabase(config, { migrate: false });
const scratch = `migration_scratch_${Date.now()}`;
const admin = new pg.Client({ connectionString: db.url });
await admin.connect();
try {
  await admin.query(`CREATE SCHEMA "${scratch}"`);
  const engine = { connectionString: db.url, schema: scratch };
  await applyMigrations(engine);
  const sql = await diffMigrationsToSchema(engine);
  if (!sql.trim() || /^-- This is an empty migration/.test(sql.trim())) {
    console.log("schema.prisma matches the migrations: nothing to write");
  } else {
    const stamp = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
    const dir = path.join(migrationsDir, `${stamp}_${name}`);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, "migration.sql"), sql);
    await writeFile(path.join(migrationsDir, "migration_lock.toml"), 'provider = "postgresql"\n');
    console.log(`wrote ${path.relative(process.cwd(), dir)}/migration.sql`);
  }
} finally {
  await admin.query(`DROP SCHEMA IF EXISTS "${scratch}" CASCADE`).catch(() => {});
  await admin.end();
  await db.close();
}
