// Start-up to ready: `npm start` with no configuration (embedded PostgreSQL, sandbox), cold (empty DATA_DIR:
// init, migrations, demo seed) and warm (second start on the same data), until /readyz answers 200.
import { type ChildProcess, spawn } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function startOnce(dataDir: string): Promise<{ ms: number; child: ChildProcess }> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: "warn" };
  for (const k of ["DATABASE_URL", "REDIS_URL", "BOT_TOKEN", "TELEGRAM_API_ROOT", "PUBLIC_URL"]) delete env[k];
  const started = Date.now();
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], { env, stdio: "ignore" });
  const deadline = started + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      if (res.status === 200) return { ms: Date.now() - started, child };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill("SIGKILL");
  throw new Error("not ready within 120 s");
}

function stop(child: ChildProcess): Promise<number> {
  const started = Date.now();
  return new Promise((resolve) => {
    child.once("exit", () => resolve(Date.now() - started));
    child.kill("SIGTERM");
  });
}

export async function benchStartup(): Promise<Record<string, number | string>> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "classbook-bench-"));
  chmodSync(dataDir, 0o755); // as root, the embedded PostgreSQL runs as the OS user postgres
  try {
    const cold = await startOnce(dataDir);
    const coldStop = await stop(cold.child);
    const warm = await startOnce(dataDir);
    const warmStop = await stop(warm.child);
    // a crash: SIGKILL leaves the embedded PostgreSQL running; the next start must recover
    const crashed = await startOnce(dataDir);
    crashed.child.kill("SIGKILL");
    await new Promise((r) => setTimeout(r, 200));
    const recovered = await startOnce(dataDir);
    await stop(recovered.child);
    return {
      "cold start to ready, ms (init + migrations + demo)": cold.ms,
      "warm start to ready, ms": warm.ms,
      "start after SIGKILL to ready, ms": recovered.ms,
      "graceful shutdown (cold run), ms": coldStop,
      "graceful shutdown (warm run), ms": warmStop,
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
