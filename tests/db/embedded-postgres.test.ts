import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres } from "../../src/db/embedded-postgres.ts";

const dataDir = mkdtempSync(path.join(os.tmpdir(), "classbook-embedded-"));
chmodSync(dataDir, 0o755); // as root, PostgreSQL runs as the OS user postgres, which must reach the directory
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function query(url: string, sql: string): Promise<unknown[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql)).rows;
  } finally {
    await c.end();
  }
}

describe("embedded PostgreSQL", () => {
  it("starts again after the Node process that ran it was killed with SIGKILL, data intact", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "tests/helpers/start-embedded.ts", dataDir], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const url = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (c) => {
        out += c.toString();
        const m = /READY (\S+)/.exec(out);
        if (m) resolve(m[1]);
      });
      child.on("exit", (code) => reject(new Error(`child exited ${code}`)));
    });
    await query(url, "CREATE TABLE kept (v int); INSERT INTO kept VALUES (42)");
    child.kill("SIGKILL"); // the postgres server it started survives, holding postmaster.pid
    await new Promise((r) => child.once("exit", r));

    const db = await startEmbeddedPostgres(dataDir, () => {});
    try {
      expect(await query(db.url, "SELECT v FROM kept")).toEqual([{ v: 42 }]);
    } finally {
      await db.stop();
    }
  });
});
