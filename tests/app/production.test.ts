// Production as deploy/ runs it: `npm run build` compiles to JavaScript, then the systemd units' own ExecStart
// lines (plain `node`, no TypeScript loader) run the web and worker roles with the example environment file,
// against the test database.
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  type ChildProduct,
  cleanEnv,
  pollUntil,
  readyUrl,
  runToEnd,
  START_BUDGET_MS,
  spawnProduct,
} from "../helpers/child-product.ts";

const schema = `prod_${randomBytes(4).toString("hex")}`;
const dataDir = mkdtempSync(path.join(os.tmpdir(), "classbook-prod-"));
const admin = new pg.Client({ connectionString: inject("databaseUrl") });
const running: ChildProduct[] = [];

/** KEY=value lines of deploy/classbook.env.example. */
function exampleEnv(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of readFileSync("deploy/classbook.env.example", "utf8").split("\n")) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m) out[m[1]] = m[2];
  }
  return out;
}

/** The command line of a unit's ExecStart, with this machine's node in place of /usr/bin/node. */
function execStart(unit: string): { cmd: string; args: string[] } {
  const line = readFileSync(path.join("deploy", unit), "utf8")
    .split("\n")
    .find((l) => l.startsWith("ExecStart="))!;
  const [bin, ...args] = line.slice("ExecStart=".length).trim().split(/\s+/);
  expect(bin).toBe("/usr/bin/node");
  return { cmd: process.execPath, args };
}

function productEnv(): NodeJS.ProcessEnv {
  const url = new URL(inject("databaseUrl"));
  url.searchParams.set("schema", schema);
  const redisUrl = inject("redisUrl");
  return cleanEnv({
    ...exampleEnv(),
    DATABASE_URL: url.toString(),
    REDIS_URL: redisUrl || undefined,
    QUEUE_PREFIX: schema,
    DATA_DIR: dataDir,
    PORT: "0",
    // nothing is asked of Telegram while the database holds no school
    TELEGRAM_API_ROOT: "http://127.0.0.1:9",
    NODE_OPTIONS: undefined,
  });
}

beforeAll(async () => {
  await admin.connect();
  await admin.query(`CREATE SCHEMA "${schema}"`);
});
afterAll(async () => {
  for (const p of running) await p.stop();
  await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await admin.end();
  rmSync(dataDir, { recursive: true, force: true });
}, START_BUDGET_MS);

describe("production: compiled JavaScript, the units' commands", () => {
  it(
    "npm run build writes dist/ with the entry points and no .ts import left",
    async () => {
      const build = await runToEnd("npm", ["run", "build"], { env: cleanEnv({}) }, START_BUDGET_MS * 2);
      expect(build.output).not.toMatch(/error TS/);
      expect(build.code).toBe(0);
      for (const f of ["dist/main.js", "dist/cli.js", "dist/db/generated/client.js"]) expect(existsSync(f)).toBe(true);
      expect(readFileSync("dist/cli.js", "utf8")).not.toMatch(/from "\.[^"]*\.ts"|import\("\.[^"]*\.ts"\)/);
    },
    START_BUDGET_MS * 2,
  );

  it(
    "the web unit's command: migrations applied, /healthz and /readyz answer, /metrics wants the bearer token",
    async () => {
      const { cmd, args } = execStart("classbook-web.service");
      const web = spawnProduct(cmd, args, { env: productEnv() });
      running.push(web);
      const url = await web.waitFor(readyUrl);
      expect(web.logs().some((l) => /^migrations applied: /.test(l.msg ?? ""))).toBe(true);
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      await pollUntil(async () => (await fetch(`${url}/readyz`)).status === 200, "/readyz answering 200", 60_000);
      expect((await fetch(`${url}/metrics`)).status).toBe(401);
      const token = exampleEnv().METRICS_TOKEN;
      const metrics = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toContain("process_uptime_seconds");
      // the console line comes from locales/, found from dist/ too
      expect(web.output()).toContain(`Classbook готов: ${url}`);
      expect(await web.stop()).toBe(0);
    },
    START_BUDGET_MS,
  );

  it(
    "the worker unit's command starts its queues and stops cleanly on SIGTERM",
    async () => {
      const { cmd, args } = execStart("classbook-worker.service");
      const worker = spawnProduct(cmd, args, { env: productEnv() });
      running.push(worker);
      await worker.waitFor((p) => p.logs().find((l) => l.msg === "ready" && l.role === "worker"));
      expect(await worker.stop()).toBe(0);
      expect(worker.logs().some((l) => l.msg === "stopped")).toBe(true);
    },
    START_BUDGET_MS,
  );
});
