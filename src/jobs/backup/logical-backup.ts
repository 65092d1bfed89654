// The backup used when no pg_dump of the server's version is at hand: the default embedded server is
// PostgreSQL 18 while a machine may only have an older client (Debian 12 ships 15). Every table of the
// application's schema is read in one REPEATABLE READ snapshot and written as gzip'd lines
// "<table>\t<JSON array of rows>" after a JSON header with the migrations applied. Rows stay text end to end
// (row_to_json on the way out, json_populate_recordset on the way in), so bigint ids and decimals keep every
// digit. Restore migrates the target schema with the same migrations and loads the rows in one transaction.
import { once } from "node:events";
import { createReadStream, createWriteStream } from "node:fs";
import readline from "node:readline";
import { PassThrough } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip, createGzip } from "node:zlib";
import pg from "pg";
import { applyMigrations } from "../../db/schema-engine.ts";

export const LOGICAL_FORMAT = "classbook-logical/1";
const MIGRATIONS = "_prisma_migrations";
const BATCH = 5000;

const q = (name: string) => `"${name.replaceAll('"', '""')}"`;

interface Header {
  format: typeof LOGICAL_FORMAT;
  schema: string;
  createdAt: string;
  migrations: string[];
  tables: string[];
}

async function appliedMigrations(c: pg.Client, schema: string): Promise<string[]> {
  const r = await c.query<{ name: string }>(
    `SELECT migration_name AS name FROM ${q(schema)}.${q(MIGRATIONS)}
     WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name`,
  );
  return r.rows.map((x) => x.name);
}

async function tablesOf(c: pg.Client, schema: string): Promise<string[]> {
  const r = await c.query<{ t: string }>(
    "SELECT tablename AS t FROM pg_tables WHERE schemaname = $1 AND tablename <> $2 ORDER BY tablename",
    [schema, MIGRATIONS],
  );
  return r.rows.map((x) => x.t);
}

export async function logicalBackup(url: string, schema: string, file: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const gzip = createGzip();
  const done = pipeline(gzip, createWriteStream(file));
  const write = async (s: string) => {
    if (!gzip.write(s)) await once(gzip, "drain");
  };
  try {
    await c.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const tables = await tablesOf(c, schema);
    const header: Header = {
      format: LOGICAL_FORMAT,
      schema,
      createdAt: new Date().toISOString(),
      migrations: await appliedMigrations(c, schema),
      tables,
    };
    await write(`${JSON.stringify(header)}\n`);
    for (const t of tables) {
      await c.query(
        `DECLARE rows_cursor NO SCROLL CURSOR FOR SELECT row_to_json(x)::text AS r FROM ${q(schema)}.${q(t)} x`,
      );
      for (;;) {
        const batch = await c.query<{ r: string }>(`FETCH ${BATCH} FROM rows_cursor`);
        if (batch.rows.length === 0) break;
        await write(`${t}\t[${batch.rows.map((x) => x.r).join(",")}]\n`);
      }
      await c.query("CLOSE rows_cursor");
    }
    await c.query("COMMIT");
    gzip.end();
    await done;
  } catch (err) {
    gzip.destroy();
    await done.catch(() => {});
    throw err;
  } finally {
    await c.end();
  }
}

/** Whether a file is a logical backup (by its first bytes: gzip). */
export async function isLogicalBackup(file: string): Promise<boolean> {
  const stream = createReadStream(file, { start: 0, end: 1 });
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  const head = Buffer.concat(chunks);
  return head[0] === 0x1f && head[1] === 0x8b;
}

/**
 * The lines of a gzip'd file. The iterator is taken at once: readline emits lines as soon as the stream
 * flows, and those emitted before `for await` asks for them are lost (the header went missing whenever the
 * `BEGIN` between opening the file and reading it took long, on a busy machine).
 */
export function gzipLines(file: string): AsyncIterableIterator<string> {
  return readline
    .createInterface({
      input: createReadStream(file).pipe(createGunzip()).pipe(new PassThrough()),
      crlfDelay: Number.POSITIVE_INFINITY,
    })
    [Symbol.asyncIterator]();
}

/**
 * Loads a logical backup into `schema` (created and migrated if need be; it may differ from the schema the
 * backup was taken from). Whatever the tables held is replaced; all or nothing. The migrations must be the
 * backup's: restore with the version of Classbook that made it, then upgrade.
 */
export async function logicalRestore(file: string, url: string, schema: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(`CREATE SCHEMA IF NOT EXISTS ${q(schema)}`);
    await applyMigrations({ connectionString: url, schema });
    const lines = gzipLines(file);
    let header: Header | undefined;
    await c.query("BEGIN");
    try {
      for await (const line of lines) {
        if (!header) {
          header = JSON.parse(line) as Header;
          if (header.format !== LOGICAL_FORMAT) throw new Error("not a Classbook backup");
          const here = await appliedMigrations(c, schema);
          if (here.join(",") !== header.migrations.join(",")) {
            throw new Error(
              `the backup was made with other migrations (${header.migrations.at(-1)}) than this version has (${here.at(-1)})`,
            );
          }
          // Rows go in table by table, so foreign keys are checked by nobody until the end: replica mode.
          await c.query("SET LOCAL session_replication_role = replica");
          const tables = await tablesOf(c, schema);
          if (tables.length) await c.query(`TRUNCATE ${tables.map((t) => `${q(schema)}.${q(t)}`).join(", ")}`);
          continue;
        }
        const tab = line.indexOf("\t");
        if (tab < 0) continue;
        const table = line.slice(0, tab);
        await c.query(
          `INSERT INTO ${q(schema)}.${q(table)} SELECT * FROM json_populate_recordset(NULL::${q(schema)}.${q(table)}, $1::json)`,
          [line.slice(tab + 1)],
        );
      }
      if (!header) throw new Error("empty backup file");
      const seqs = await c.query<{ t: string; col: string; seq: string }>(
        `SELECT table_name AS t, column_name AS col, pg_get_serial_sequence(format('%I.%I', table_schema, table_name), column_name) AS seq
         FROM information_schema.columns WHERE table_schema = $1 AND column_default LIKE 'nextval%'`,
        [schema],
      );
      for (const s of seqs.rows) {
        await c.query(
          `SELECT setval($1, COALESCE((SELECT MAX(${q(s.col)}) FROM ${q(schema)}.${q(s.t)}), 0) + 1, false)`,
          [s.seq],
        );
      }
      await c.query("COMMIT");
    } catch (err) {
      await c.query("ROLLBACK").catch(() => {});
      throw err;
    }
  } finally {
    await c.end();
  }
}
