// The database runtime: the Prisma client over the pg driver adapter, on DATABASE_URL or an embedded server.
import { PrismaPg } from "@prisma/adapter-pg";
import type { Config } from "../config.ts";
import { setIntegritySecret } from "../core/integrity/keys.ts";
import { startEmbeddedPostgres } from "./embedded-postgres.ts";
import { PrismaClient } from "./generated/client.ts";
import { applyMigrations } from "./schema-engine.ts";

export type Db = PrismaClient;

export interface Database {
  prisma: PrismaClient;
  /** Connection string actually in use (embedded or configured). Contains credentials: never log it. */
  url: string;
  /** PostgreSQL schema in use, when not the default. */
  schema?: string;
  embedded: boolean;
  /** Whether the last periodic check reached the database. */
  available(): boolean;
  close(): Promise<void>;
}

export interface OpenOptions {
  migrate?: boolean;
  schema?: string;
  log?: (msg: string) => void;
  /** Where "database unavailable" / "available again" go (once per change); default: log. */
  warn?: (msg: string) => void;
  /** How often the connection is checked; 0: never. */
  checkEveryMs?: number;
}

export function createPrisma(url: string, schema?: string): PrismaClient {
  // The adapter qualifies Prisma's own queries with the schema; search_path makes raw SQL land there too.
  const options = schema ? `-c search_path="${schema.replaceAll('"', '""')}"` : undefined;
  const adapter = new PrismaPg({ connectionString: url, max: 10, options }, schema ? { schema } : undefined);
  return new PrismaClient({ adapter });
}

/** Prisma's `?schema=` convention: the schema travels in the URL; pg itself must not see the parameter. */
export function splitSchema(url: string): { url: string; schema?: string } {
  const u = new URL(url);
  const schema = u.searchParams.get("schema") ?? undefined;
  if (!schema) return { url };
  u.searchParams.delete("schema");
  return { url: u.toString(), schema };
}

/**
 * Checks the connection now and then and says so once when it is lost and once when it is back. The pool itself
 * reconnects: a lost server only fails the queries made while it is away.
 */
function watchConnection(prisma: PrismaClient, warn: (msg: string) => void, everyMs: number) {
  const state = { up: true, checking: false, stop: () => {} };
  if (everyMs <= 0) return state;
  const timer = setInterval(async () => {
    if (state.checking) return;
    state.checking = true;
    let up: boolean;
    let reason = "";
    try {
      await Promise.race([
        prisma.$queryRaw`SELECT 1`,
        new Promise((_, reject) => setTimeout(() => reject(new Error("no answer in 5 s")), 5000).unref()),
      ]);
      up = true;
    } catch (err) {
      up = false;
      const e = err as { code?: string; message?: string };
      reason = e.code ?? (e.message ?? "").split("\n")[0].slice(0, 120);
    }
    state.checking = false;
    if (up === state.up) return;
    state.up = up;
    warn(up ? "database available again" : `database unavailable (${reason}); retrying`);
  }, everyMs);
  timer.unref();
  state.stop = () => clearInterval(timer);
  return state;
}

export async function openDatabase(config: Config, opts: OpenOptions = {}): Promise<Database> {
  const log = opts.log ?? (() => {});
  setIntegritySecret(config.appSecret);
  const embedded = config.databaseUrl ? undefined : await startEmbeddedPostgres(config.dataDir, log);
  const configured = config.databaseUrl ? splitSchema(config.databaseUrl) : undefined;
  const url = configured?.url ?? embedded!.url;
  opts = { ...opts, schema: opts.schema ?? configured?.schema };
  try {
    if (opts.migrate !== false) {
      const applied = await applyMigrations({ connectionString: url, schema: opts.schema });
      if (applied.length) log(`migrations applied: ${applied.join(", ")}`);
    }
  } catch (err) {
    await embedded?.stop();
    throw err;
  }
  const prisma = createPrisma(url, opts.schema);
  const monitor = watchConnection(prisma, opts.warn ?? log, opts.checkEveryMs ?? 5000);
  return {
    prisma,
    url,
    schema: opts.schema,
    embedded: !!embedded,
    available: () => monitor.up,
    async close() {
      monitor.stop();
      await prisma.$disconnect();
      await embedded?.stop();
    },
  };
}
