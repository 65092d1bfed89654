// Logical backups of the database (R-30: at least monthly; daily by default) written to every archive target
// under backups/, keeping the newest BACKUP_KEEP there. With a pg_dump of at least the server's version
// (pg-tools.ts says where it is looked for) the backup is pg_dump's custom format (.dump, restored with
// pg_restore); without one — the embedded PostgreSQL 18 on a machine with an older client — it is our own
// logical format (.jsonl.gz, logical-backup.ts). `restore` tells them apart by their first bytes.
import { mkdtemp, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { ArchiveTarget } from "../archive/targets.ts";
import { isLogicalBackup, logicalBackup, logicalRestore } from "./logical-backup.ts";
import { findPgTool, PgToolError, runPgTool, serverMajor } from "./pg-tools.ts";

export const BACKUP_DIR = "backups";
const BACKUP_FILE = /^classbook-.*\.(dump|jsonl\.gz)$/;

export type BackupFormat = "auto" | "pg_dump" | "logical";

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
  opts: { keep: number; pgBinDir?: string; now?: Date; format?: BackupFormat },
): Promise<BackupResult> {
  if (targets.length === 0) throw new Error("no archive target to write the backup to");
  const schema = source.schema ?? "public";
  const format = opts.format ?? "auto";
  let tool: { path: string; major: number } | null = null;
  if (format !== "logical") {
    try {
      tool = await findPgTool("pg_dump", await serverMajor(source.url), opts.pgBinDir);
    } catch (err) {
      if (format === "pg_dump" || !(err instanceof PgToolError)) throw err;
    }
  }
  const prefix = `classbook-${schema.replace(/[^A-Za-z0-9_]/g, "_")}`;
  const base = `${prefix}-${stamp(opts.now ?? new Date())}`;
  const name = tool ? `${base}.dump` : `${base}.jsonl.gz`;
  const tmp = await mkdtemp(path.join(os.tmpdir(), "classbook-backup-"));
  const local = path.join(tmp, name);
  try {
    if (tool) {
      await runPgTool(
        tool.path,
        ["--format=custom", "--no-owner", "--no-privileges", `--schema=${schema}`, `--file=${local}`],
        source.url,
      );
    } else {
      await logicalBackup(source.url, schema, local);
    }
    const { size } = await stat(local);
    for (const t of targets) await t.copyIn(`${BACKUP_DIR}/${name}`, local);
    let removed = 0;
    for (const t of targets) {
      // this schema's backups only: several deployments may share a disk
      const old = (await t.list(BACKUP_DIR)).filter((n) => BACKUP_FILE.test(n) && n.startsWith(`${prefix}-`));
      for (const n of old.slice(0, Math.max(0, old.length - opts.keep))) {
        await t.remove(`${BACKUP_DIR}/${n}`);
        removed++;
      }
    }
    return {
      file: name,
      bytes: size,
      tool: tool ? `${tool.path} ${tool.major}` : "logical",
      targets: targets.map((t) => t.name),
      removed,
    };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/**
 * Restores a backup into the database at `url`, all in one transaction. pg_dump's format: the objects of the
 * backup are dropped where they exist and re-created, in the schema it was taken from. The logical format:
 * into `schema` (default public), migrated first, its tables' rows replaced.
 */
export async function restoreDatabase(
  file: string,
  url: string,
  opts: { pgBinDir?: string; schema?: string } = {},
): Promise<string> {
  if (await isLogicalBackup(file)) {
    await logicalRestore(file, url, opts.schema ?? "public");
    return "logical";
  }
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
