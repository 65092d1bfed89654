// `git clone … ~/classbook && npm ci && npm start` as root in a 0700 home: the embedded PostgreSQL runs as the OS
// user postgres, which can reach neither node_modules nor the clone's .data. The product still starts, with the
// binaries and the cluster under /var/lib/classbook, and says where in its start-up log.
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  type ChildProduct,
  cleanEnv,
  pollUntil,
  readyUrl,
  START_BUDGET_MS,
  spawnProduct,
} from "../helpers/child-product.ts";

const isRoot = os.userInfo().uid === 0;
const home = mkdtempSync(path.join(os.tmpdir(), "classbook-home-"));
let product: ChildProduct | undefined;
let clusterDir = "";

afterAll(async () => {
  await product?.stop();
  rmSync(home, { recursive: true, force: true });
  if (clusterDir.startsWith("/var/lib/classbook/clusters/")) {
    rmSync(clusterDir, { recursive: true, force: true });
    rmSync(`${clusterDir}.owner`, { force: true });
  }
}, START_BUDGET_MS);

describe.skipIf(!isRoot)("as root, cloned inside a 0700 home", () => {
  it(
    "npm start comes up: binaries and cluster where the postgres user reaches them, named in the log; the sandbox serves the demo school",
    async () => {
      chmodSync(home, 0o700);
      const clone = path.join(home, "classbook");
      mkdirSync(clone);
      // a clone and its `npm ci`, as hard links (same files, same modes, now behind the 0700 directory)
      const parts = ["node_modules", "src", "locales", "prisma", "package.json", "tsconfig.json"];
      execFileSync("cp", ["-al", ...parts.map((p) => path.resolve(p)), clone]);

      product = spawnProduct(process.execPath, ["--import", "tsx", "src/main.ts"], {
        cwd: clone,
        env: cleanEnv({ PORT: "0", LOG_LEVEL: "info", DATA_DIR: undefined }),
      });
      const url = await product.waitFor(readyUrl);
      const messages = product.logs().map((l) => l.msg ?? "");
      expect(messages).toContainEqual(
        expect.stringMatching(/^embedded PostgreSQL binaries in \/var\/lib\/classbook\/embedded-postgres\//),
      );
      const cluster = messages.find((m) => m.startsWith("embedded PostgreSQL on "));
      expect(cluster).toMatch(/\(\/var\/lib\/classbook\/clusters\/[^)]+\)$/);
      clusterDir = /\((\/[^)]+)\)$/.exec(cluster!)![1];
      // the cluster belongs to the server's OS user
      expect(execFileSync("stat", ["-c", "%U", clusterDir]).toString().trim()).toBe("postgres");

      // ready may take a moment longer than listening on a busy machine
      await pollUntil(async () => (await fetch(`${url}/readyz`)).status === 200, "/readyz answering 200", 60_000);
      const people = (await (await fetch(`${url}/sandbox/people`)).json()) as { teachers: unknown[] };
      expect(people.teachers.length).toBeGreaterThan(0);
      expect(await product.stop()).toBe(0);
    },
    START_BUDGET_MS * 2,
  );
});
