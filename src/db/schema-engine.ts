// Prisma's WASM schema engine, driven through the pg driver adapter. The native schema engine cannot be
// downloaded here; this one ships inside an npm package and writes the same `_prisma_migrations` table, so
// `prisma migrate deploy` stays usable wherever the native engine exists.
import { readdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import type { MigrationList, SchemaEngine } from "@prisma/schema-engine-wasm";
import * as bindings from "@prisma/schema-engine-wasm/schema_engine_bg";
import pg from "pg";

const require = createRequire(import.meta.url);
export const projectRoot = path.resolve(import.meta.dirname, "../..");
export const migrationsDir = path.join(projectRoot, "prisma", "migrations");
export const schemaPath = path.join(projectRoot, "prisma", "schema.prisma");

let wasmReady: Promise<void> | undefined;

// The package entry imports its .wasm file as an ES module, which Node cannot do: instantiate it ourselves.
function loadWasm(): Promise<void> {
  wasmReady ??= (async () => {
    const bgPath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const wasmPath = path.join(path.dirname(bgPath), "schema_engine_bg.wasm");
    const bytes = await readFile(wasmPath);
    const { instance } = await WebAssembly.instantiate(bytes, {
      "./schema_engine_bg.js": bindings as unknown as WebAssembly.ModuleImports,
    });
    bindings.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
  })();
  return wasmReady;
}

const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

// The engine's catalogue queries return PostgreSQL's internal one-byte "char" type (e.g. pg_constraint.contype),
// which the pg driver adapter does not map. Its text form is a plain string, so report it as text.
function relabelCharColumns<T>(result: T): T {
  for (const r of Array.isArray(result) ? result : [result]) {
    for (const field of (r as pg.QueryResult | undefined)?.fields ?? []) {
      if (field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
    }
  }
  return result;
}

function relabelClient(client: pg.PoolClient): pg.PoolClient {
  const query = client.query.bind(client);
  // biome-ignore lint/suspicious/noExplicitAny: pg's overloaded query signature
  client.query = ((...a: any[]) => {
    // biome-ignore lint/suspicious/noExplicitAny: see above
    const ret = (query as any)(...a);
    return ret && typeof ret.then === "function" ? ret.then(relabelCharColumns) : ret;
  }) as typeof client.query;
  return client;
}

class CatalogueSafePool extends pg.Pool {
  // biome-ignore lint/suspicious/noExplicitAny: pg's overloaded query signature
  override query(...args: any[]): any {
    // biome-ignore lint/suspicious/noExplicitAny: see above
    const ret = (super.query as any)(...args);
    return ret && typeof ret.then === "function" ? ret.then(relabelCharColumns) : ret;
  }
  override async connect(): Promise<pg.PoolClient>;
  override connect(
    callback: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void,
  ): void;
  // biome-ignore lint/suspicious/noExplicitAny: pg's overloaded connect signature
  override connect(callback?: any): any {
    if (typeof callback === "function") {
      return super.connect((err, client, done) => callback(err, client && relabelClient(client), done));
    }
    return super.connect().then(relabelClient);
  }
}

// Errors raised by the adapter reach us as "External error id#N"; recover the original from the registry.
function explainEngineError(err: unknown, adapter: ReturnType<typeof bindMigrationAwareSqlAdapterFactory>): unknown {
  const match = /External error id#(\d+)/.exec(String((err as Error)?.message));
  if (!match) return err;
  const original = adapter.errorRegistry.consumeError(Number(match[1]));
  const inner = original?.error as { message?: string; kind?: string } | undefined;
  return new Error(`schema engine: ${inner?.message ?? inner?.kind ?? JSON.stringify(inner)}`, { cause: inner ?? err });
}

const noFilter = { externalTables: [], externalEnums: [] };

export interface EngineOptions {
  connectionString: string;
  /** PostgreSQL schema (search_path) the migrations apply to. */
  schema?: string;
}

async function withEngine<T>(opts: EngineOptions, fn: (engine: SchemaEngine) => Promise<T>): Promise<T> {
  await loadWasm();
  const datamodel = await readFile(schemaPath, "utf8");
  const pool = new CatalogueSafePool({
    connectionString: opts.connectionString,
    options: opts.schema ? `-c search_path=${opts.schema}` : undefined,
  });
  const factory = new PrismaPg(pool, { schema: opts.schema, disposeExternalPool: true });
  const adapter = bindMigrationAwareSqlAdapterFactory(factory);
  let engine: SchemaEngine | undefined;
  try {
    engine = await bindings.SchemaEngine.new({ datamodels: [[schemaPath, datamodel]] }, () => {}, adapter);
    return await fn(engine);
  } catch (err) {
    throw explainEngineError(err, adapter);
  } finally {
    engine?.free();
    await pool.end().catch(() => {});
  }
}

export async function loadMigrationList(): Promise<MigrationList> {
  const entries = (await readdir(migrationsDir, { withFileTypes: true }).catch(() => []))
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const migrationDirectories = await Promise.all(
    entries.map(async (name) => {
      const content = await readFile(path.join(migrationsDir, name, "migration.sql"), "utf8").then(
        (value) => ({ tag: "ok" as const, value }),
        (err: Error) => ({ tag: "error" as const, value: err.message }),
      );
      return { path: name, migrationFile: { path: "migration.sql", content } };
    }),
  );
  const lockPath = path.join(migrationsDir, "migration_lock.toml");
  const lockContent = await readFile(lockPath, "utf8").catch(() => null);
  return {
    baseDir: migrationsDir,
    lockfile: { path: "migration_lock.toml", content: lockContent },
    shadowDbInitScript: "",
    migrationDirectories,
  };
}

// The engine takes one advisory lock for the whole database (every schema in it) and gives up after 10 s:
// several processes starting at once, or many schemas migrated side by side on a busy machine, wait longer.
const LOCK_WAIT_MS = 5 * 60_000;
const isLockTimeout = (err: unknown) => err instanceof Error && /advisory lock/i.test(err.message);

/** Applies every pending migration; returns the names applied now. */
export async function applyMigrations(opts: EngineOptions): Promise<string[]> {
  const migrationsList = await loadMigrationList();
  const started = Date.now();
  for (;;) {
    try {
      return await withEngine(opts, async (engine) => {
        const out = await engine.applyMigrations({ migrationsList, filters: noFilter });
        return out.appliedMigrationNames;
      });
    } catch (err) {
      if (!isLockTimeout(err) || Date.now() - started > LOCK_WAIT_MS) throw err;
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 900));
    }
  }
}

/** SQL that takes a database migrated with every existing migration to the current schema.prisma. */
export async function diffMigrationsToSchema(opts: EngineOptions): Promise<string> {
  const datamodel = await readFile(schemaPath, "utf8");
  return withEngine(opts, async (engine) => {
    const out = await engine.diff({
      // the live database reached through the driver adapter
      from: { tag: "schemaDatasource", files: [{ path: schemaPath, content: datamodel }], configDir: projectRoot },
      to: { tag: "schemaDatamodel", files: [{ path: schemaPath, content: datamodel }] },
      script: true,
      exitCode: null,
      filters: noFilter,
    });
    return out.stdout ?? "";
  });
}
