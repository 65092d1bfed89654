// A region in simulation (issue 9, "Done when"): 100 schools × 1 bot × 200 guardians in one database, written
// with bulk inserts (a school day: one mark per child, so every digest has something to say), then the evening
// digest of every school through 2 worker processes (bench/region-worker.ts: the real jobs layer with a bot
// directory, real BullMQ) against a Bot API stand-in enforcing Telegram's flood control per bot (30/s) and per
// chat. The fan-out jobs are enqueued as the per-school scheduler enqueues them. Figures: total messages/s, the
// slowest bot's rate ÷ its limit, the workers' CPU ms, SQL statements and Redis commands per message, RSS per
// process at start and end, 429s and premature retries.
// Redis: a private redis-server when the binary is installed (so its command count and CPU are this bench's
// alone), else REDIS_URL (its counts then include whatever else uses that server).
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { Redis } from "ioredis";
import pino from "pino";
import { addDays, fromIsoDate, localMoment } from "../src/core/dates.ts";
import type { PrismaClient } from "../src/db/generated/client.ts";
import { createJobs } from "../src/jobs/index.ts";
import { featureJobs } from "../src/jobs/modules/index.ts";
import { sealBotToken } from "../src/messenger/telegram/bot-token.ts";
import { DEFAULT_LIMITS } from "../src/messenger/telegram/transport.ts";
import { startFakeBotApi } from "../tests/jobs/helpers/fake-bot-api.ts";
import { benchDatabase, benchRedisUrl, clearRedisPrefix, redisReachable, waitUntil } from "./helpers.ts";
import type { WorkerStats } from "./region-worker.ts";

const SCHOOLS = 100;
const GUARDIANS = 200;
const CLASSES = 8;
const WORKERS = 2;
const SEND_LIMIT_MS = 100_000;
const APP_SECRET = "bench-region-app-secret-of-at-least-32-chars";
const LIMIT = DEFAULT_LIMITS.botPerSecond;
const CHUNK = 5000;
const token = (n: number) => `${660000 + n}:REGION${String(n).padStart(4, "0")}${"y".repeat(24)}`;

function chunks<T>(rows: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/** A zone where it is now between 19:00 and 20:59: the default digest time (19:00) has come, quiet hours not. */
function eveningZone(): string {
  const utcHour = new Date().getUTCHours();
  let offset = 19 - utcHour;
  if (offset < -12) offset += 24;
  if (offset > 14) offset -= 24;
  return offset === 0 ? "Etc/UTC" : `Etc/GMT${offset > 0 ? "-" : "+"}${Math.abs(offset)}`;
}

type Prisma = PrismaClient;

async function seedRegion(prisma: Prisma, tz: string): Promise<number> {
  const today = localMoment(tz).date;
  const day = fromIsoDate(today);
  const schools = await prisma.school.createManyAndReturn({
    data: Array.from({ length: SCHOOLS }, (_, i) => ({ name: `School ${i + 1}`, timezone: tz })),
    select: { id: true },
  });
  const bots = await prisma.bot.createManyAndReturn({
    data: schools.map((s, i) => ({
      schoolId: s.id,
      username: `region_${i + 1}_bot`,
      tokenEncrypted: sealBotToken(token(i + 1), APP_SECRET),
    })),
    select: { id: true, schoolId: true },
  });
  const years = await prisma.academicYear.createManyAndReturn({
    data: schools.map((s) => ({
      schoolId: s.id,
      name: "region",
      startsOn: fromIsoDate(addDays(today, -80)),
      endsOn: fromIsoDate(addDays(today, 200)),
    })),
    select: { id: true, schoolId: true },
  });
  await prisma.period.createMany({
    data: years.map((y) => ({
      schoolId: y.schoolId,
      yearId: y.id,
      kind: "QUARTER" as const,
      number: 2,
      startsOn: fromIsoDate(addDays(today, -20)),
      endsOn: fromIsoDate(addDays(today, 40)),
    })),
  });
  const teachers = await prisma.person.createManyAndReturn({
    data: schools.map((s) => ({ schoolId: s.id, lastName: "Учитель", firstName: "Т" })),
    select: { id: true, schoolId: true },
  });
  const subjects = await prisma.subject.createManyAndReturn({
    data: schools.map((s) => ({ schoolId: s.id, name: "Алгебра", short: "Алг" })),
    select: { id: true, schoolId: true },
  });
  const classes = await prisma.classGroup.createManyAndReturn({
    data: years.flatMap((y) =>
      Array.from({ length: CLASSES }, (_, c) => ({
        schoolId: y.schoolId,
        yearId: y.id,
        name: `${5 + c}А`,
        grade: 5 + c,
        letter: "А",
      })),
    ),
    select: { id: true, schoolId: true, yearId: true },
  });
  const bySchool = <T extends { schoolId: number }>(rows: T[]) => new Map(rows.map((r) => [r.schoolId, r]));
  const teacherOf = bySchool(teachers);
  const subjectOf = bySchool(subjects);
  const assignments = await prisma.teachingAssignment.createManyAndReturn({
    data: classes.map((c) => ({
      schoolId: c.schoolId,
      yearId: c.yearId,
      teacherId: teacherOf.get(c.schoolId)!.id,
      subjectId: subjectOf.get(c.schoolId)!.id,
      classId: c.id,
    })),
    select: { id: true, schoolId: true, classId: true, subjectId: true, teacherId: true },
  });
  const lessons = await prisma.lesson.createManyAndReturn({
    data: assignments.map((a) => ({ schoolId: a.schoolId, assignmentId: a.id, date: day, slot: 1 })),
    select: { id: true, assignmentId: true },
  });
  const lessonOfClass = new Map(
    lessons.map((l) => {
      const a = assignments.find((x) => x.id === l.assignmentId)!;
      return [a.classId, { lessonId: l.id, subjectId: a.subjectId, teacherId: a.teacherId }];
    }),
  );
  const classesOf = new Map<number, number[]>();
  for (const c of classes) classesOf.set(c.schoolId, [...(classesOf.get(c.schoolId) ?? []), c.id]);

  // One child and one guardian per family, the child's class by turns.
  const families = schools.flatMap((s) =>
    Array.from({ length: GUARDIANS }, (_, i) => ({ schoolId: s.id, i, classId: classesOf.get(s.id)![i % CLASSES] })),
  );
  const botOf = bySchool(bots);
  const hourAgo = new Date(Date.now() - 3_600_000);
  let chat = 3_000_000_000;
  for (const part of chunks(families)) {
    const children = await prisma.person.createManyAndReturn({
      data: part.map((f) => ({ schoolId: f.schoolId, lastName: `Ученик${f.i}`, firstName: "У" })),
      select: { id: true },
    });
    const students = await prisma.student.createManyAndReturn({
      data: children.map((p, k) => ({ schoolId: part[k].schoolId, personId: p.id })),
      select: { id: true },
    });
    await prisma.enrollment.createMany({
      data: students.map((st, k) => ({
        schoolId: part[k].schoolId,
        studentId: st.id,
        classId: part[k].classId,
        fromDate: fromIsoDate(addDays(today, -80)),
      })),
    });
    const guardians = await prisma.person.createManyAndReturn({
      data: part.map((f) => ({ schoolId: f.schoolId, lastName: `Родитель${f.i}`, firstName: "Р" })),
      select: { id: true },
    });
    await prisma.guardianship.createMany({
      data: guardians.map((g, k) => ({
        schoolId: part[k].schoolId,
        guardianId: g.id,
        studentId: students[k].id,
        consentGivenAt: new Date(),
      })),
    });
    await prisma.messengerAccount.createMany({
      data: guardians.map((g, k) => ({
        schoolId: part[k].schoolId,
        personId: g.id,
        botId: botOf.get(part[k].schoolId)!.id,
        telegramUserId: BigInt(chat + k),
        chatId: BigInt(chat + k),
        languageCode: "ru",
      })),
    });
    chat += part.length;
    await prisma.mark.createMany({
      data: students.map((st, k) => {
        const l = lessonOfClass.get(part[k].classId)!;
        return {
          schoolId: part[k].schoolId,
          studentId: st.id,
          lessonId: l.lessonId,
          subjectId: l.subjectId,
          date: day,
          workType: "oral",
          weight: 1,
          value: String(3 + (k % 3)),
          authorId: l.teacherId,
          createdAt: hourAgo,
        };
      }),
    });
  }
  return families.length;
}

/** A redis-server of the bench's own on a free port, or undefined when the binary is not installed. */
async function privateRedis(): Promise<{ url: string; stop(): Promise<void> } | undefined> {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const child = spawn("redis-server", ["--port", String(port), "--save", "", "--appendonly", "no"], {
    stdio: "ignore",
  });
  const failed = await new Promise<boolean>((resolve) => {
    child.once("error", () => resolve(true));
    setTimeout(() => resolve(false), 300);
  });
  const url = `redis://127.0.0.1:${port}`;
  if (failed || !(await redisReachable(url))) {
    if (child.exitCode === null) child.kill("SIGKILL");
    return undefined;
  }
  return {
    url,
    stop: () =>
      new Promise<void>((r) => {
        if (child.exitCode !== null) return r();
        child.once("exit", () => r());
        child.kill();
      }),
  };
}

async function redisCounters(url: string): Promise<{ commands: number; cpuMs: number }> {
  const r = new Redis(url);
  try {
    const info = await r.info();
    const field = (k: string) => Number(new RegExp(`^${k}:([\\d.]+)`, "m").exec(info)?.[1] ?? 0);
    return {
      commands: field("total_commands_processed"),
      cpuMs: (field("used_cpu_user") + field("used_cpu_sys")) * 1000,
    };
  } finally {
    r.disconnect();
  }
}

interface Worker {
  child: ChildProcess;
  start: WorkerStats;
  ask(): Promise<WorkerStats>;
}

function spawnWorker(env: NodeJS.ProcessEnv): Promise<Worker> {
  const child = spawn(
    process.execPath,
    ["--expose-gc", "--import", "tsx", path.join(import.meta.dirname, "region-worker.ts")],
    {
      env: { ...process.env, ...env },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    },
  );
  const ask = () =>
    new Promise<WorkerStats>((resolve) => {
      const on = (msg: { stats?: WorkerStats }) => {
        if (!msg.stats) return;
        child.off("message", on);
        resolve(msg.stats);
      };
      child.on("message", on);
      child.send("stats");
    });
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`worker exited with ${code}`)));
    child.on("message", (msg: { ready?: WorkerStats }) => {
      if (msg.ready) resolve({ child, start: msg.ready, ask });
    });
  });
}

export async function benchRegion(): Promise<Record<string, number | string>> {
  const own = await privateRedis();
  const redisUrl = own?.url ?? benchRedisUrl();
  if (!(await redisReachable(redisUrl))) return { skipped: "no Redis at REDIS_URL" };
  const db = await benchDatabase("region");
  const prefix = `bench_region_${db.id}`;
  const api = await startFakeBotApi({ enforce: true });
  const logger = pino({ level: "silent" });
  const workers: Worker[] = [];
  const jobs = createJobs({
    ...featureJobs({ prisma: db.prisma, logger }),
    prisma: db.prisma,
    logger,
    databaseUrl: db.url,
    databaseSchema: db.schema,
    redisUrl,
    prefix,
  });
  try {
    const tz = eveningZone();
    const seedStarted = Date.now();
    const families = await seedRegion(db.prisma, tz);
    const seedS = (Date.now() - seedStarted) / 1000;
    const env = {
      BENCH_DB_URL: db.url,
      BENCH_DB_SCHEMA: db.schema,
      BENCH_REDIS_URL: redisUrl,
      BENCH_PREFIX: prefix,
      BENCH_API_ROOT: api.apiRoot,
      BENCH_APP_SECRET: APP_SECRET,
    };
    for (let w = 0; w < WORKERS; w++) workers.push(await spawnWorker(env));
    await jobs.ping();
    const redisBefore = await redisCounters(redisUrl);
    const parentCpu = process.cpuUsage();
    const started = Date.now();
    // What the per-school scheduler enqueues every minute: one fan-out per school.
    const schools = await db.prisma.school.findMany({ select: { id: true } });
    for (const s of schools) await jobs.enqueue("digest.fanout", { schoolId: s.id });
    // Phase 1: until every digest is in the ledger (composed, recorded, enqueued; sends already going out).
    let recorded = 0;
    while (Date.now() - started < SEND_LIMIT_MS) {
      recorded = await db.prisma.delivery.count();
      if (recorded >= families) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const fannedOutS = (Date.now() - started) / 1000;
    const mids = await Promise.all(workers.map((w) => w.ask()));
    const sentAtMid = api.sent.length;
    const redisMid = await redisCounters(redisUrl);
    // Phase 2: the rest is sending only.
    await waitUntil(() => api.sent.length >= families, Math.max(0, SEND_LIMIT_MS - (Date.now() - started)));
    const elapsedS = (Date.now() - started) / 1000;
    const ends = await Promise.all(workers.map((w) => w.ask()));
    const redisAfter = await redisCounters(redisUrl);
    const parentCpuMs = (() => {
      const d = process.cpuUsage(parentCpu);
      return (d.user + d.system) / 1000;
    })();

    const sent = api.sent.length;
    const distinct = new Set(api.sent.map((m) => m.chatId)).size;
    const times = api.sent.map((m) => m.at);
    const first = Math.min(...times);
    const last = Math.max(...times);
    // Each bot's rate over its own sending (first to last message of its school).
    const byBot = new Map<string, number[]>();
    for (const m of api.sent) byBot.set(m.token, [...(byBot.get(m.token) ?? []), m.at]);
    const rates = [...byBot.values()].map((ts) => {
      const span = (Math.max(...ts) - Math.min(...ts)) / 1000;
      return ts.length > 1 ? (ts.length - 1) / Math.max(0.001, span) : 0;
    });
    const slowest = Math.min(...rates);
    const sum = (to: WorkerStats[], from: WorkerStats[], k: "cpuMs" | "sql") =>
      to.reduce((n, e, i) => n + e[k] - from[i][k], 0);
    const starts = workers.map((w) => w.start);
    const cpuMs = sum(ends, starts, "cpuMs");
    const sql = sum(ends, starts, "sql");
    const sendOnly = sent - sentAtMid;
    const per = (x: number, n = sent) => (n > 0 ? (x / n).toFixed(2) : "n/a");
    const out: Record<string, number | string> = {
      "schools × guardians (one bot each)": `${SCHOOLS} × ${GUARDIANS}`,
      "school zone (evening now)": tz,
      "seed: bulk inserts (s)": seedS.toFixed(1),
      "worker processes": WORKERS,
      redis: own ? "private redis-server (counts are this bench's)" : "REDIS_URL (counts shared with others)",
      "digests sent / expected": `${sent} / ${families}`,
      "lost / sent twice": `${families - distinct} / ${sent - distinct}`,
      "phase 1, fan-out: every digest in the ledger after (s)": `${fannedOutS.toFixed(1)} (${recorded} recorded, ${sentAtMid} sent by then)`,
      "phase 1: workers' CPU ms / SQL statements per digest (sends included)": `${per(sum(mids, starts, "cpuMs"), recorded)} / ${per(sum(mids, starts, "sql"), recorded)}`,
      "phase 2, sending only: workers' CPU ms / SQL statements per message": `${per(sum(ends, mids, "cpuMs"), sendOnly)} / ${per(sum(ends, mids, "sql"), sendOnly)} (${sendOnly} messages)`,
      "phase 1 / phase 2: Redis commands per digest / per message": `${per(redisMid.commands - redisBefore.commands, recorded)} / ${per(redisAfter.commands - redisMid.commands, sendOnly)}`,
      "fan-out enqueued to last message (s)": elapsedS.toFixed(1),
      "total messages/s (fan-out start to last message)": (sent / Math.max(0.001, elapsedS)).toFixed(1),
      "total messages/s (first to last message)": ((sent - 1) / Math.max(0.001, (last - first) / 1000)).toFixed(1),
      "bots that sent / bots": `${byBot.size} / ${SCHOOLS}`,
      "slowest bot: messages/s ÷ its setting":
        byBot.size < SCHOOLS
          ? `0 (${SCHOOLS - byBot.size} bots sent nothing within ${SEND_LIMIT_MS / 1000} s)`
          : `${slowest.toFixed(2)} ÷ ${LIMIT} = ${(slowest / LIMIT).toFixed(3)} (Telegram's 30/s: ${(slowest / 30).toFixed(3)})`,
      "slowest bot that sent: messages/s ÷ its setting": (slowest / LIMIT).toFixed(3),
      "fastest bot: messages/s ÷ its limit": (Math.max(0, ...rates) / LIMIT).toFixed(3),
      "429s / premature retries": `${api.tooMany} / ${api.premature}`,
      "workers: CPU ms per message, fan-out included (both processes)": per(cpuMs),
      "workers: CPU cores busy while sending": (cpuMs / 1000 / Math.max(0.001, elapsedS)).toFixed(2),
      "workers: SQL statements per message, fan-out included": per(sql),
      "Redis: commands per message": per(redisAfter.commands - redisBefore.commands),
      "Redis: CPU ms per message": per(redisAfter.cpuMs - redisBefore.cpuMs),
      "bench process (Bot API stand-in): CPU ms per message": per(parentCpuMs),
    };
    for (const [i, w] of workers.entries()) {
      out[`worker ${i + 1}: bots served`] = w.start.bots;
      out[`worker ${i + 1}: RSS at start / end (MB)`] = `${w.start.rssMb.toFixed(0)} / ${ends[i].rssMb.toFixed(0)}`;
      out[`worker ${i + 1}: live heap after GC at start / end (MB)`] =
        `${w.start.heapAfterGcMb.toFixed(0)} / ${ends[i].heapAfterGcMb.toFixed(0)}`;
      out[`worker ${i + 1}: CPU ms`] = (ends[i].cpuMs - w.start.cpuMs).toFixed(0);
    }
    return out;
  } finally {
    for (const w of workers) w.child.kill("SIGTERM");
    await Promise.all(
      workers.map((w) => new Promise((r) => (w.child.exitCode !== null ? r(null) : w.child.once("exit", r)))),
    );
    await jobs.close();
    await api.close();
    if (own) await own.stop();
    else await clearRedisPrefix(redisUrl, prefix);
    await db.close();
  }
}
