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
  close(): Promise<void>;
}

export interface OpenOptions {
  migrate?: boolean;
  schema?: string;
  log?: (msg: string) => void;
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
  return {
    prisma,
    url,
    schema: opts.schema,
    embedded: !!embedded,
    async close() {
      await prisma.$disconnect();
      await embedded?.stop();
    },
  };
}
