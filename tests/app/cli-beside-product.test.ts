// A CLI command run beside a running product on the embedded PostgreSQL connects to the product's server and
// leaves it running; a server that goes away anyway is reported once and the product comes back with it.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  type ChildProduct,
  cleanEnv,
  pollUntil,
  readyUrl,
  runToEnd,
  START_BUDGET_MS,
  spawnProduct,
} from "../helpers/child-product.ts";

const dataDir = mkdtempSync(path.join(os.tmpdir(), "classbook-beside-"));
const env = cleanEnv({ DATA_DIR: dataDir, PORT: "0", LOG_LEVEL: "info", DEFAULT_LOCALE: "ru" });
const tsx = (...args: string[]) => [process.execPath, ["--import", "tsx", "src/cli.ts", ...args]] as const;
let product: ChildProduct | undefined;
let clusterDir = "";

afterAll(async () => {
  await product?.stop();
  rmSync(dataDir, { recursive: true, force: true });
  // as root from a 0700 temp dir the cluster lives under /var/lib/classbook/clusters
  if (clusterDir.startsWith("/var/lib/classbook/")) {
    rmSync(clusterDir, { recursive: true, force: true });
    rmSync(`${clusterDir}.owner`, { force: true });
  }
}, START_BUDGET_MS);

const readyz = async (url: string) => {
  try {
    const r = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(10_000) });
    return { status: r.status, body: (await r.json()) as { checks: Record<string, boolean> } };
  } catch {
    return { status: 0, body: { checks: {} } };
  }
};

/** The server's processes: the postmaster and its backends (their parent is the postmaster). */
function serverProcesses(postmaster: number): number[] {
  const children = readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        return Number(readFileSync(`/proc/${d}/stat`, "utf8").split(") ")[1].split(" ")[1]) === postmaster;
      } catch {
        return false;
      }
    })
    .map(Number);
  return [postmaster, ...children];
}

const postmasterPid = () => Number(readFileSync(path.join(clusterDir, "postmaster.pid"), "utf8").split("\n")[0]);

describe("a CLI command beside a running product (embedded PostgreSQL)", () => {
  it(
    "invite prints a link and exits 0; the product's server keeps running and /readyz stays ready",
    async () => {
      const [cmd, args] = tsx("serve");
      product = spawnProduct(cmd, [...args], { env });
      const url = await product.waitFor(readyUrl);
      clusterDir = await product.waitFor((p) => {
        const line = p.logs().find((l) => /^embedded PostgreSQL on /.test(l.msg ?? ""));
        return line && /\((\/[^)]+)\)/.exec(line.msg!)![1];
      });
      expect((await readyz(url)).status).toBe(200);
      const serverPid = postmasterPid();
      const people = (await (await fetch(`${url}/sandbox/people`)).json()) as { teachers: { personId: number }[] };

      const [c, a] = tsx("invite", String(people.teachers[0].personId));
      const invite = await runToEnd(c, [...a], { env });
      expect(invite.output).toMatch(/https:\/\/t\.me\/\w+\?start=[\w-]+/);
      expect(invite.code).toBe(0);

      expect(postmasterPid()).toBe(serverPid);
      expect((await readyz(url)).status).toBe(200);
    },
    START_BUDGET_MS * 3,
  );

  it(
    "a frozen server: /readyz says not ready, the log says so once, and both recover when it answers again",
    async () => {
      const url = readyUrl(product!)!;
      const frozen = serverProcesses(postmasterPid());
      const before = product!.logs().length;
      for (const pid of frozen) process.kill(pid, "SIGSTOP"); // nothing answers: neither new connections nor open ones
      try {
        const down = await pollUntil(async () => {
          const r = await readyz(url);
          return r.status === 503 && r;
        }, "/readyz to say not ready");
        expect(down.body.checks.database).toBe(false);
        await product!.waitFor((p) =>
          p
            .logs()
            .slice(before)
            .some((l) => /^database unavailable/.test(l.msg ?? "")),
        );
      } finally {
        for (const pid of frozen) process.kill(pid, "SIGCONT");
      }
      await pollUntil(async () => (await readyz(url)).status === 200, "/readyz to be ready again");
      await product!.waitFor((p) =>
        p
          .logs()
          .slice(before)
          .some((l) => l.msg === "database available again"),
      );
      const said = product!
        .logs()
        .slice(before)
        .filter((l) => /^database unavailable/.test(l.msg ?? ""));
      expect(said).toHaveLength(1);
    },
    START_BUDGET_MS,
  );

  it(
    "a server stopped from outside is started again on the same port, and the product serves again",
    async () => {
      const url = readyUrl(product!)!;
      const pid = postmasterPid();
      process.kill(pid, "SIGINT");
      await product!.waitFor((p) => p.logs().some((l) => /: back$/.test(l.msg ?? "")));
      expect(postmasterPid()).not.toBe(pid);
      await pollUntil(async () => (await readyz(url)).status === 200, "/readyz to be ready again");
      const people = await fetch(`${url}/sandbox/people`);
      expect(people.status).toBe(200);
    },
    START_BUDGET_MS,
  );
});
