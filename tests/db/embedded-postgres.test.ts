import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { liveServer, startEmbeddedPostgres } from "../../src/db/embedded-postgres.ts";
import { START_BUDGET_MS } from "../helpers/child-product.ts";

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

function startInChild(dir: string) {
  const child = spawn(process.execPath, ["--import", "tsx", "tests/helpers/start-embedded.ts", dir], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (c) => {
      out += c.toString();
      const m = /READY (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.on("exit", (code) => reject(new Error(`child exited ${code}`)));
  });
  return { child, url };
}

describe("embedded PostgreSQL", () => {
  it(
    "beside a live owner: connects to its server, and stopping leaves the server running",
    async () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), "classbook-embedded-"));
      chmodSync(dir, 0o755);
      const owner = startInChild(dir);
      try {
        const ownerUrl = await owner.url;
        const guest = await startEmbeddedPostgres(dir, () => {});
        expect(guest.owner).toBe(false);
        expect(guest.url).toBe(ownerUrl);
        await query(guest.url, "CREATE TABLE shared (v int)");
        const server = liveServer(guest.dir);
        await guest.stop();
        expect(liveServer(guest.dir)).toEqual(server);
        expect(await query(ownerUrl, "SELECT count(*)::int AS n FROM shared")).toEqual([{ n: 0 }]);
      } finally {
        owner.child.kill("SIGTERM"); // its exit hook stops the server it started
        await new Promise((r) => owner.child.once("exit", r));
        rmSync(dir, { recursive: true, force: true });
      }
    },
    START_BUDGET_MS,
  );

  it(
    "a postmaster.pid naming a live process that is not a postgres is stale: removed, the server starts",
    async () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), "classbook-embedded-"));
      chmodSync(dir, 0o755);
      try {
        const first = await startEmbeddedPostgres(dir, () => {});
        await first.stop();
        const pidFile = path.join(first.dir, "postmaster.pid");
        writeFileSync(pidFile, `${process.pid}\n${first.dir}\n0\n5\n\n127.0.0.1\n`); // this very Node process
        const db = await startEmbeddedPostgres(dir, () => {});
        try {
          expect(db.owner).toBe(true);
          expect(Number(readFileSync(pidFile, "utf8").split("\n")[0])).not.toBe(process.pid);
        } finally {
          await db.stop();
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    START_BUDGET_MS,
  );

  it(
    "starts again after the Node process that ran it was killed with SIGKILL, data intact",
    async () => {
      const { child, url: ready } = startInChild(dataDir);
      const url = await ready;
      await query(url, "CREATE TABLE kept (v int); INSERT INTO kept VALUES (42)");
      child.kill("SIGKILL"); // the postgres server it started survives, holding postmaster.pid
      await new Promise((r) => child.once("exit", r));

      const db = await startEmbeddedPostgres(dataDir, () => {});
      try {
        expect(db.owner).toBe(true); // adopted: this process stops it
        expect(await query(db.url, "SELECT v FROM kept")).toEqual([{ v: 42 }]);
      } finally {
        await db.stop();
      }
      expect(liveServer(db.dir)).toBeUndefined();
    },
    START_BUDGET_MS,
  );
});
