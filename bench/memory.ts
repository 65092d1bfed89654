// Memory of one process serving 100 bots (issue 9, item 6): the bot role long-polling 100 schools' bots against
// a Bot API stand-in that holds each poll as Telegram does, started as `npm start` starts it (tsx) and as
// `npm run start:prod` does (compiled JavaScript; `npm run build` first when dist/ is older than src/), side by
// side on the same database, and a compiled process serving 1 bot (what the other 99 cost). Reports the RSS once
// every bot polls and over a soak: the serving process (the largest of its tree) and the whole process tree (the
// tsx CLI runs the program in a child node process and stays alive beside it, with esbuild).
// Default soak 60 s; `BENCH_MEMORY_SOAK_S=600 npm run bench -- memory` for the 10-minute soak.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { sealBotToken } from "../src/messenger/telegram/bot-token.ts";
import { type FakeBotApi, startFakeBotApi } from "../tests/jobs/helpers/fake-bot-api.ts";
import { benchDatabase, benchRedisUrl, clearRedisPrefix, redisReachable, waitUntil } from "./helpers.ts";

const BOTS = 100;
const APP_SECRET = "bench-memory-app-secret-of-at-least-32-chars";
const SAMPLE_EVERY_MS = 5_000;
const root = path.resolve(import.meta.dirname, "..");
const token = (n: number) => `${880000 + n}:MEMORY${String(n).padStart(4, "0")}${"x".repeat(24)}`;

/** Resident set of a process, MB (VmRSS). */
function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Newest modification time of the files under dir (ms). */
function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) t = Math.max(t, statSync(path.join(e.parentPath, e.name)).mtimeMs);
  }
  return t;
}

function distIsCurrent(): boolean {
  try {
    return statSync(path.join(root, "dist/main.js")).mtimeMs >= newest(path.join(root, "src"));
  } catch {
    return false;
  }
}

/** pid and every descendant of it. */
function tree(pid: number): number[] {
  const parent = new Map<number, number>();
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // gone
    }
  }
  const out = [pid];
  for (let i = 0; i < out.length; i++) for (const [p, pp] of parent) if (pp === out[i]) out.push(p);
  return out;
}

interface Served {
  label: string;
  child: ChildProcess;
  api: FakeBotApi;
  bots: number;
  samples: { t: number; leaf: number; tree: number }[];
}

function start(label: string, args: string[], env: NodeJS.ProcessEnv, api: FakeBotApi): Served {
  const child = spawn(args[0], args.slice(1), {
    cwd: root,
    env: { ...env, TELEGRAM_API_ROOT: api.apiRoot },
    stdio: ["ignore", "ignore", "inherit"],
  });
  return {
    label,
    child,
    api,
    bots: BOTS,
    samples: [],
  };
}

function sample(s: Served, t0: number): void {
  const rss = tree(s.child.pid!).map(rssMb);
  s.samples.push({ t: Date.now() - t0, leaf: Math.max(...rss), tree: rss.reduce((n, x) => n + x, 0) });
}

const polling = (api: FakeBotApi) => new Set(api.calls.filter((c) => c.method === "getUpdates").map((c) => c.token));

export async function benchMemory(): Promise<Record<string, number | string>> {
  const soakMs = Number(process.env.BENCH_MEMORY_SOAK_S ?? 60) * 1000;
  const db = await benchDatabase("memory");
  const one = await benchDatabase("memory1");
  const redisUrl = benchRedisUrl();
  const useRedis = await redisReachable(redisUrl);
  const prefix = `bench_memory_${db.id}`;
  const apis: FakeBotApi[] = [];
  const served: Served[] = [];
  try {
    const schools = await db.prisma.school.createManyAndReturn({
      data: Array.from({ length: BOTS }, (_, i) => ({ name: `School ${i + 1}` })),
      select: { id: true },
    });
    await db.prisma.bot.createMany({
      data: schools.map((s, i) => ({
        schoolId: s.id,
        username: `memory_${i + 1}_bot`,
        tokenEncrypted: sealBotToken(token(i + 1), APP_SECRET),
      })),
    });
    await db.prisma.$disconnect();
    const single = await one.prisma.school.create({ data: { name: "One" } });
    await one.prisma.bot.create({
      data: { schoolId: single.id, username: "memory_one_bot", tokenEncrypted: sealBotToken(token(0), APP_SECRET) },
    });
    await one.prisma.$disconnect();
    const buildStarted = Date.now();
    const built = !distIsCurrent();
    if (built) execFileSync("npm", ["run", "build"], { cwd: root, stdio: "ignore" });
    const buildMs = Date.now() - buildStarted;

    const urlOf = (d: typeof db) => {
      const url = new URL(d.url);
      url.searchParams.set("schema", d.schema);
      return url.toString();
    };
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ROLE: "bot",
      DATABASE_URL: urlOf(db),
      APP_SECRET,
      QUEUE_PREFIX: prefix,
      DATA_DIR: path.join(db.tmpDir, "data"),
      LOG_LEVEL: "warn",
      NODE_ENV: "production",
    };
    delete env.BOT_TOKEN;
    delete env.PUBLIC_URL;
    if (useRedis) env.REDIS_URL = redisUrl;
    else delete env.REDIS_URL;
    for (let i = 0; i < 3; i++) apis.push(await startFakeBotApi({ holdPollsMs: 25_000 }));
    served.push(start("tsx (npm start)", [path.join(root, "node_modules/.bin/tsx"), "src/main.ts"], env, apis[0]));
    served.push(start("compiled (npm run start:prod)", [process.execPath, "dist/main.js"], env, apis[1]));
    const oneEnv = {
      ...env,
      DATABASE_URL: urlOf(one),
      QUEUE_PREFIX: `${prefix}_1`,
      DATA_DIR: path.join(one.tmpDir, "data"),
    };
    served.push({ ...start("compiled, 1 bot", [process.execPath, "dist/main.js"], oneEnv, apis[2]), bots: 1 });
    const t0 = Date.now();
    const readyAt = new Map<Served, number>();
    await waitUntil(() => {
      for (const s of served) {
        if (s.child.exitCode !== null) throw new Error(`${s.label} exited with ${s.child.exitCode}`);
        if (!readyAt.has(s) && polling(s.api).size >= s.bots) {
          readyAt.set(s, Date.now() - t0);
          sample(s, t0);
        }
      }
      return readyAt.size === served.length;
    }, 180_000);
    if (readyAt.size < served.length) throw new Error("not every bot polled within 180 s");
    const soakStart = Date.now();
    while (Date.now() - soakStart < soakMs) {
      await new Promise((r) => setTimeout(r, SAMPLE_EVERY_MS));
      for (const s of served) {
        if (s.child.exitCode !== null) throw new Error(`${s.label} exited with ${s.child.exitCode}`);
        sample(s, t0);
      }
    }
    const out: Record<string, number | string> = {
      bots: BOTS,
      "soak (s)": soakMs / 1000,
      "npm run build (s)": built ? (buildMs / 1000).toFixed(1) : "dist/ current, not rebuilt",
    };
    for (const s of served) {
      const first = s.samples[0];
      const last = s.samples.at(-1)!;
      // growth: the last fifth of the soak against the fifth after the first minute of settling
      const after = s.samples.filter((x) => x.t >= first.t + Math.min(60_000, soakMs / 5));
      const fifth = Math.max(1, Math.floor(after.length / 5));
      const mean = (xs: typeof after, k: "leaf" | "tree") => xs.reduce((n, x) => n + x[k], 0) / xs.length;
      const early = after.slice(0, fifth);
      const late = after.slice(-fifth);
      const k = s.label;
      out[`${k}: all ${s.bots} bot(s) polling after (s)`] = (readyAt.get(s)! / 1000).toFixed(1);
      out[`${k}: RSS serving process at ready / end / max (MB)`] =
        `${first.leaf.toFixed(0)} / ${last.leaf.toFixed(0)} / ${Math.max(...s.samples.map((x) => x.leaf)).toFixed(0)}`;
      out[`${k}: RSS process tree at ready / end (MB)`] = `${first.tree.toFixed(0)} / ${last.tree.toFixed(0)}`;
      out[`${k}: RSS growth over the soak, serving process (MB)`] = early.length
        ? (mean(late, "leaf") - mean(early, "leaf")).toFixed(1)
        : "n/a";
      out[`${k}: getUpdates answered`] = s.api.calls.filter((c) => c.method === "getUpdates").length;
    }
    return out;
  } finally {
    for (const s of served) if (s.child.exitCode === null) s.child.kill("SIGTERM");
    await Promise.all(
      served.map((s) => new Promise((r) => (s.child.exitCode !== null ? r(null) : s.child.once("exit", r)))),
    );
    for (const api of apis) await api.close();
    if (useRedis) {
      await clearRedisPrefix(redisUrl, prefix);
      await clearRedisPrefix(redisUrl, `${prefix}_1`);
    }
    await one.close();
    await db.close();
  }
}
