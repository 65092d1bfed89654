// The product as an operator runs it: a separate process (`serve`, `node dist/main.js`, a CLI command), its
// output collected, waited for by its "ready" log line or by polling, never by sleeping a fixed time.
import { type ChildProcess, spawn } from "node:child_process";

/** Start-up on a busy 2-core machine (migrations, the demo seed, tsx compiling on the fly) takes tens of seconds. */
export const START_BUDGET_MS = 180_000;

export interface ChildProduct {
  child: ChildProcess;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Its JSON log lines so far. */
  logs(): { msg?: string; level?: number; [k: string]: unknown }[];
  /** Waits until `check` holds for the output; fails with the output when the process exits or time runs out. */
  waitFor<T>(check: (p: ChildProduct) => T | undefined | false, budgetMs?: number): Promise<T>;
  /** SIGTERM, then waits for the exit code. */
  stop(): Promise<number | null>;
}

/** The environment of the test run minus what would point the product at the suite's own services. */
export function cleanEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ["DATABASE_URL", "REDIS_URL", "BOT_TOKEN", "PUBLIC_URL", "TELEGRAM_API_ROOT", "VITEST"]) {
    delete base[k];
  }
  for (const k of Object.keys(base)) if (k.startsWith("VITEST_")) delete base[k];
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete base[k];
    else base[k] = v;
  }
  return base;
}

export async function pollUntil<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  what: string,
  budgetMs = START_BUDGET_MS,
  everyMs = 200,
): Promise<T> {
  const until = Date.now() + budgetMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export function spawnProduct(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env: NodeJS.ProcessEnv },
): ChildProduct {
  const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout!.on("data", (c) => {
    out += c.toString();
  });
  child.stderr!.on("data", (c) => {
    out += c.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const self: ChildProduct = {
    child,
    output: () => out,
    logs: () =>
      out
        .split("\n")
        .filter((l) => l.startsWith("{"))
        .flatMap((l) => {
          try {
            return [JSON.parse(l)];
          } catch {
            return [];
          }
        }),
    async waitFor(check, budgetMs = START_BUDGET_MS) {
      return pollUntil(
        () => {
          const v = check(self);
          if (v) return v;
          if (child.exitCode !== null) throw new Error(`${cmd} exited (${child.exitCode}):\n${out.slice(-3000)}`);
          return undefined;
        },
        `${args.join(" ")}: ${out.slice(-1500)}`,
        budgetMs,
      );
    },
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
  return self;
}

/** The URL in the "ready" log line of `serve`. */
export const readyUrl = (p: ChildProduct): string | undefined =>
  p.logs().find((l) => l.msg === "ready" && typeof l.url === "string")?.url as string | undefined;

/** Runs a command to its end; resolves with its exit code and everything it printed. */
export async function runToEnd(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env: NodeJS.ProcessEnv },
  budgetMs = START_BUDGET_MS,
): Promise<{ code: number | null; output: string }> {
  const p = spawnProduct(cmd, args, opts);
  const closed = new Promise<number | null>((resolve) => p.child.once("close", (code) => resolve(code)));
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      p.child.kill("SIGKILL");
      reject(new Error(`${args.join(" ")} did not finish:\n${p.output().slice(-3000)}`));
    }, budgetMs);
  });
  try {
    const code = await Promise.race([closed, timeout]);
    return { code, output: p.output() };
  } finally {
    clearTimeout(timer);
  }
}
