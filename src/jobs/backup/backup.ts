// Logical backups of the database (R-30: at least monthly; daily by default) with pg_dump's custom format,
// written to every archive target under backups/, keeping the newest BACKUP_KEEP there. Restore with
// pg_restore into the database the application is configured for (or any other).
import { mkdtemp, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { ArchiveTarget } from "../archive/targets.ts";
import { findPgTool, runPgTool, serverMajor } from "./pg-tools.ts";

export const BACKUP_DIR = "backups";
const BACKUP_FILE = /^classbook-.*\.dump$/;

export interface BackupSource {
  /** Connection URL without `?schema=` (see splitSchema). */
  url: string;
  /** The application's schema; "public" when none is configured. */
  schema?: string;
}

export interface BackupResult {
  file: string;
  bytes: number;
  tool: string;
  targets: string[];
  removed: number;
}

function stamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
}

export async function backupDatabase(
  source: BackupSource,
  targets: ArchiveTarget[],
  opts: { keep: number; pgBinDir?: string; now?: Date },
): Promise<BackupResult> {
  if (targets.length === 0) throw new Error("no archive target to write the backup to");
  const schema = source.schema ?? "public";
  const tool = await findPgTool("pg_dump", await serverMajor(source.url), opts.pgBinDir);
  const name = `classbook-${schema.replace(/[^A-Za-z0-9_]/g, "_")}-${stamp(opts.now ?? new Date())}.dump`;
  const tmp = await mkdtemp(path.join(os.tmpdir(), "classbook-backup-"));
  const local = path.join(tmp, name);
  try {
    await runPgTool(
      tool.path,
      ["--format=custom", "--no-owner", "--no-privileges", `--schema=${schema}`, `--file=${local}`],
      source.url,
    );
    const { size } = await stat(local);
    for (const t of targets) await t.copyIn(`${BACKUP_DIR}/${name}`, local);
    let removed = 0;
    for (const t of targets) {
      const old = (await t.list(BACKUP_DIR)).filter((n) => BACKUP_FILE.test(n));
      for (const n of old.slice(0, Math.max(0, old.length - opts.keep))) {
        await t.remove(`${BACKUP_DIR}/${n}`);
        removed++;
      }
    }
    return {
      file: name,
      bytes: size,
      tool: `${tool.path} ${tool.major}`,
      targets: targets.map((t) => t.name),
      removed,
    };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/**
 * Restores a backup into the database at `url`: the objects of the backup are dropped first where they exist
 * and re-created, all in one transaction. The data lands in the schema it was taken from.
 */
export async function restoreDatabase(file: string, url: string, opts: { pgBinDir?: string } = {}): Promise<string> {
  const tool = await findPgTool("pg_restore", await serverMajor(url), opts.pgBinDir);
  await runPgTool(
    tool.path,
    [
      "--clean",
      "--if-exists",
      "--no-owner",
      "--no-privileges",
      "--single-transaction",
      "--exit-on-error",
      `--dbname=${new URL(url).pathname.replace(/^\//, "") || "postgres"}`,
      path.resolve(file),
    ],
    url,
  );
  return `${tool.path} ${tool.major}`;
}
