// Digests for 10,000 guardians (issue 5 "Done when"): a school of 5,000 students in 200 classes, two consenting
// guardians each with a linked account, and a school day of marks, absences, lateness, homework for tomorrow and
// class notices, all written with bulk inserts. Then the real fan-out (src/jobs/digest/fanout.ts) at 19:05 school
// time composes every digest in batches and enqueues one notify job each (Redis when reachable, else BullMQ's
// PostgreSQL backend). Reports the time, digests per second and SQL statements per 1,000 digests (counted at the
// pg driver under Prisma; BullMQ's own statements on the PostgreSQL backend are not included). Bounded: fixed
// sizes, the fan-out stops after 5 minutes.
import { randomBytes } from "node:crypto";
import pino from "pino";
import { systemActor } from "../src/core/actor.ts";
import { addDays, fromIsoDate, isoWeekday, localMoment, zonedInstant } from "../src/core/dates.ts";
import { composeDailyDigest, composeDailyDigests } from "../src/core/digest/index.ts";
import type { Prisma as P } from "../src/db/generated/client.ts";
import { runDigestFanout } from "../src/jobs/digest/fanout.ts";
import { createJobs } from "../src/jobs/index.ts";
import { digestModule } from "../src/jobs/modules/digest.ts";
import { featureJobs } from "../src/jobs/modules/index.ts";
import { oneBotDirectory } from "../src/messenger/telegram/bot-directory.ts";
import { postgresRateStore } from "../src/messenger/telegram/rate-store.ts";
import { countingPrisma } from "../tests/core/digest/query-counter.ts";
import { benchDatabase, benchRedisUrl, clearRedisPrefix, redisReachable } from "./helpers.ts";

const TZ = "Europe/Moscow";
const CLASSES = 200;
const PER_CLASS = 25;
const GUARDIANS_PER_STUDENT = 2;
const SUBJECTS = ["Алгебра", "Русский язык", "Литература", "История", "Физика", "Английский язык"];
const TIME_LIMIT_MS = 300_000;
const CHUNK = 5000;

function chunks<T>(rows: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/** The next Wednesday after today: a school day with lessons today and tomorrow. */
function benchDate(): string {
  let d = addDays(localMoment(TZ).date, 1);
  while (isoWeekday(d) !== 3) d = addDays(d, 1);
  return d;
}

type Prisma = ReturnType<typeof countingPrisma>["prisma"];

async function buildBenchSchool(prisma: Prisma, date: string) {
  const day = fromIsoDate(date);
  const tomorrow = fromIsoDate(addDays(date, 1));
  const school = await prisma.school.create({ data: { name: "Bench school", timezone: TZ } });
  const schoolId = school.id;
  const bot = await prisma.bot.create({
    data: { schoolId, username: `bench_digest_${randomBytes(4).toString("hex")}` },
  });
  const year = await prisma.academicYear.create({
    data: {
      schoolId,
      name: "bench",
      startsOn: fromIsoDate(addDays(date, -80)),
      endsOn: fromIsoDate(addDays(date, 200)),
    },
  });
  await prisma.period.create({
    data: {
      schoolId,
      yearId: year.id,
      kind: "QUARTER",
      number: 2,
      startsOn: fromIsoDate(addDays(date, -20)),
      endsOn: fromIsoDate(addDays(date, 40)),
    },
  });
  const teachers = await prisma.person.createManyAndReturn({
    data: Array.from({ length: 40 }, (_, i) => ({ schoolId, lastName: "Учитель", firstName: `T${i}` })),
    select: { id: true },
  });
  const subjects = await prisma.subject.createManyAndReturn({
    data: SUBJECTS.map((name, i) => ({ schoolId, name, short: `S${i}` })),
    select: { id: true },
  });
  const classes = await prisma.classGroup.createManyAndReturn({
    data: Array.from({ length: CLASSES }, (_, i) => {
      const grade = 1 + (i % 11);
      const letter = String.fromCharCode(1040 + Math.floor(i / 11));
      return { schoolId, yearId: year.id, name: `${grade}${letter}`, grade, letter };
    }),
    select: { id: true, grade: true },
  });
  const assignments = await prisma.teachingAssignment.createManyAndReturn({
    data: classes.flatMap((c, ci) =>
      subjects.map((s, si) => ({
        schoolId,
        yearId: year.id,
        teacherId: teachers[(ci + si) % teachers.length].id,
        subjectId: s.id,
        classId: c.id,
      })),
    ),
    select: { id: true, classId: true, subjectId: true, teacherId: true },
  });
  const lessons = await prisma.lesson.createManyAndReturn({
    data: assignments.flatMap((a, i) => [
      { schoolId, assignmentId: a.id, date: day, slot: 1 + (i % SUBJECTS.length) },
      { schoolId, assignmentId: a.id, date: tomorrow, slot: 1 + (i % SUBJECTS.length) },
    ]),
    select: { id: true, assignmentId: true, date: true },
  });
  const assignmentOf = new Map(assignments.map((a) => [a.id, a]));
  const todayLessons = new Map<number, { id: number; subjectId: number; teacherId: number }[]>();
  for (const l of lessons) {
    if (l.date.getTime() !== day.getTime()) continue;
    const a = assignmentOf.get(l.assignmentId)!;
    todayLessons.set(a.classId, [
      ...(todayLessons.get(a.classId) ?? []),
      { id: l.id, subjectId: a.subjectId, teacherId: a.teacherId },
    ]);
  }

  const students: { studentId: number; classId: number }[] = [];
  const guardianRows: { personId: number; studentId: number }[] = [];
  for (const part of chunks(classes, 40)) {
    const persons = await prisma.person.createManyAndReturn({
      data: part.flatMap((c) =>
        Array.from({ length: PER_CLASS }, (_, i) => ({ schoolId, lastName: `Ученик${c.id}`, firstName: `N${i}` })),
      ),
      select: { id: true },
    });
    const created = await prisma.student.createManyAndReturn({
      data: persons.map((p) => ({ schoolId, personId: p.id })),
      select: { id: true },
    });
    const classOf = part.flatMap((c) => Array.from({ length: PER_CLASS }, () => c.id));
    for (const [i, s] of created.entries()) students.push({ studentId: s.id, classId: classOf[i] });
    await prisma.enrollment.createMany({
      data: created.map((s, i) => ({
        schoolId,
        studentId: s.id,
        classId: classOf[i],
        fromDate: fromIsoDate(addDays(date, -80)),
      })),
    });
    const guardians = await prisma.person.createManyAndReturn({
      data: created.flatMap((s) =>
        Array.from({ length: GUARDIANS_PER_STUDENT }, (_, g) => ({
          schoolId,
          lastName: `Родитель${s.id}`,
          firstName: `G${g}`,
        })),
      ),
      select: { id: true },
    });
    for (const [i, g] of guardians.entries()) {
      guardianRows.push({ personId: g.id, studentId: created[Math.floor(i / GUARDIANS_PER_STUDENT)].id });
    }
  }
  for (const part of chunks(guardianRows)) {
    await prisma.guardianship.createMany({
      data: part.map((g) => ({ schoolId, guardianId: g.personId, studentId: g.studentId, consentGivenAt: new Date() })),
    });
    await prisma.messengerAccount.createMany({
      data: part.map((g) => ({
        schoolId,
        personId: g.personId,
        botId: bot.id,
        telegramUserId: BigInt(5_000_000_000 + g.personId),
        chatId: BigInt(5_000_000_000 + g.personId),
        languageCode: "ru",
      })),
    });
  }
  // The day: two marks for most students, one in ten absent from a lesson, one in twenty late.
  const hourAgo = new Date(Date.now() - 3_600_000);
  const marks = students.flatMap((s, i) => {
    const ls = todayLessons.get(s.classId)!;
    if (i % 7 === 0) return [];
    return [ls[i % ls.length], ls[(i + 2) % ls.length]].map((l, k) => ({
      schoolId,
      studentId: s.studentId,
      lessonId: l.id,
      subjectId: l.subjectId,
      date: day,
      workType: k === 0 ? "oral" : "control",
      weight: k === 0 ? 1 : 2,
      value: String(2 + ((i + k) % 4)),
      authorId: l.teacherId,
      createdAt: hourAgo,
    }));
  });
  for (const part of chunks(marks)) await prisma.mark.createMany({ data: part });
  const attendance = students.flatMap((s, i): P.AttendanceCreateManyInput[] => {
    const ls = todayLessons.get(s.classId)!;
    if (i % 10 === 0) {
      return [
        {
          schoolId,
          studentId: s.studentId,
          lessonId: ls[1].id,
          classId: s.classId,
          date: day,
          status: "ABSENT" as const,
          reason: "ILLNESS" as const,
          updatedById: ls[1].teacherId,
        },
      ];
    }
    if (i % 20 === 5) {
      return [
        {
          schoolId,
          studentId: s.studentId,
          lessonId: ls[0].id,
          classId: s.classId,
          date: day,
          status: "LATE" as const,
          updatedById: ls[0].teacherId,
        },
      ];
    }
    return [];
  });
  await prisma.attendance.createMany({ data: attendance });
  await prisma.homework.createMany({
    data: [...todayLessons.values()].flatMap((ls) =>
      ls.slice(0, 3).map((l, k) => ({
        schoolId,
        lessonId: l.id,
        text: `Параграф ${10 + k}, вопросы 1–5`,
        files: k === 0 ? [{ kind: "photo", fileId: "AgAD" }] : [],
        dueDate: tomorrow,
        authorId: l.teacherId,
      })),
    ),
  });
  const sentAt = zonedInstant(TZ, date, "15:00");
  await prisma.announcement.createMany({
    data: [
      ...classes.slice(0, 20).map((c) => ({
        schoolId,
        authorId: teachers[0].id,
        scope: "CLASS" as const,
        classId: c.id,
        audience: "PARENTS" as const,
        text: "Родительское собрание в четверг в 18:00.",
        sentAt,
      })),
      {
        schoolId,
        authorId: teachers[0].id,
        scope: "PARALLEL" as const,
        grade: 9,
        audience: "BOTH" as const,
        text: "ОГЭ: пробный экзамен в субботу.",
        sentAt,
      },
    ],
  });
  return {
    schoolId,
    botId: bot.id,
    pairs: guardianRows.map((g) => ({ guardianId: g.personId, studentId: g.studentId })),
  };
}

export async function benchDigest(): Promise<Record<string, number | string>> {
  const db = await benchDatabase("digest", { prisma: false });
  const { url, schema, id } = db;
  const pgSchema = db.extraSchema("bullmq");
  const prefix = `bench_digest_${id}`;
  const redisUrl = benchRedisUrl();
  const useRedis = await redisReachable(redisUrl);
  const counted = countingPrisma(url, schema);
  const prisma = counted.prisma;
  const logger = pino({ level: "silent" });
  const module = digestModule({ prisma, logger });
  const jobs = createJobs({
    prisma,
    logger,
    databaseUrl: url,
    databaseSchema: schema,
    redisUrl: useRedis ? redisUrl : undefined,
    prefix,
    pgSchema,
    bots: oneBotDirectory(
      { id: 1, token: "123456:BENCH" },
      { apiRoot: "http://127.0.0.1:9", store: postgresRateStore(prisma), logger },
    ),
    // every kind core writes needs its handler (the jobs refuse to start otherwise); the jobs are the digest's alone
    handlers: featureJobs({ prisma, logger }).handlers,
    jobs: { definitions: module.definitions, processors: module.processors },
  });
  try {
    const date = benchDate();
    const now = zonedInstant(TZ, date, "19:05");
    const setupStarted = performance.now();
    const school = await buildBenchSchool(prisma, date);
    const setupMs = performance.now() - setupStarted;
    await jobs.ping(); // connect (and migrate the PostgreSQL backend) before timing

    // Composition alone, in the fan-out's batches.
    counted.reset();
    const composeStarted = performance.now();
    let composed = 0;
    for (let i = 0; i < school.pairs.length; i += 500) {
      const out = await composeDailyDigests(
        prisma,
        systemActor(school.schoolId),
        { schoolId: school.schoolId, date, pairs: school.pairs.slice(i, i + 500) },
        { now },
      );
      composed += out.length;
    }
    const composeMs = performance.now() - composeStarted;
    const composeQueries = counted.count();

    // The real fan-out: select due guardians, compose and render, record in the ledger, enqueue the sends in bulk.
    counted.reset();
    const started = performance.now();
    const result = await Promise.race([
      runDigestFanout(
        { prisma, logger, now: () => now, deliver: (messages) => jobs.deliver(messages), batchSize: 500 },
        school.schoolId,
      ),
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error("digest fan-out over the time limit")), TIME_LIMIT_MS).unref(),
      ),
    ]);
    const fanoutMs = performance.now() - started;
    const fanoutQueries = counted.count();
    const counts = await jobs.counts();
    const queued = counts.notify.waiting + counts.notify.delayed + counts.notify.prioritized;

    // At send time each digest is composed again for one guardian (the notify job's handler).
    counted.reset();
    const sample = school.pairs.slice(0, 20);
    const oneStarted = performance.now();
    for (const p of sample) {
      await composeDailyDigest(
        prisma,
        systemActor(school.schoolId),
        { schoolId: school.schoolId, date, ...p },
        { now },
      );
    }
    const oneMs = (performance.now() - oneStarted) / sample.length;
    const oneQueries = counted.count() / sample.length;

    const digests = result.daily;
    return {
      backend: useRedis ? "redis" : "postgres",
      "guardian × child pairs": school.pairs.length,
      "setup: school built with bulk inserts (s)": (setupMs / 1000).toFixed(1),
      "fan-out: digests enqueued": digests,
      "fan-out: notify jobs in the queue": queued,
      "fan-out: total time (s)": (fanoutMs / 1000).toFixed(2),
      "fan-out: digests/s (compose + enqueue)": Math.round(digests / (fanoutMs / 1000)),
      "fan-out: SQL statements": fanoutQueries,
      "fan-out: SQL statements per 1,000 digests": ((fanoutQueries / Math.max(1, digests)) * 1000).toFixed(1),
      "compose only: digests": composed,
      "compose only: time (s)": (composeMs / 1000).toFixed(2),
      "compose only: digests/s": Math.round(composed / (composeMs / 1000)),
      "compose only: SQL statements per batch of 500": (composeQueries / Math.ceil(school.pairs.length / 500)).toFixed(
        1,
      ),
      "compose only: SQL statements per 1,000 digests": ((composeQueries / Math.max(1, composed)) * 1000).toFixed(1),
      "send time: one digest re-composed (ms)": oneMs.toFixed(1),
      "send time: SQL statements per digest": oneQueries.toFixed(1),
    };
  } finally {
    await jobs.close();
    await counted.close();
    if (useRedis) await clearRedisPrefix(redisUrl, prefix);
    await db.close();
  }
}

// `npx tsx bench/digest.ts` runs it alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  const figures = await benchDigest();
  for (const [k, v] of Object.entries(figures)) console.log(`  ${k.padEnd(52)} ${v}`);
  process.exit(0);
}
