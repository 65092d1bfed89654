// The per-school digest fan-out (runs every minute): finds the guardians whose digest time has come since the
// last run today (school time), composes their digests in batches (a fixed number of queries a batch) and
// enqueues one notify job per guardian and child with a deterministic job id and Delivery dedupKey, so a
// crashed-and-retried fan-out, two overlapping runs or a retried notify job never send a digest twice.
//
// What was done is known from two places: a per-school marker in BotState ("digest fan-out of <date> done up
// to <minute>", written after the whole run) and the Delivery ledger (digests already sent are not enqueued
// again, even when the marker is lost). Digests with nothing to say are not enqueued unless the guardian asked
// for them; the sender re-composes every digest at send time anyway (src/jobs/digest/handlers.ts).
import type { JobsOptions } from "bullmq";
import { systemActor } from "../../core/actor.ts";
import { localMoment } from "../../core/dates.ts";
import {
  composeDailyDigests,
  composeWeeklySummaries,
  type DigestRecipient,
  digestDayOf,
  digestDedupKey,
  listDigestRecipients,
  summaryWeekOf,
} from "../../core/digest/index.ts";
import { getSchool } from "../../core/settings.ts";
import type { Db } from "../../core/tx.ts";
import type { Logger } from "../../logger.ts";
import { notifySendJob } from "../definitions.ts";
import type { NotifyPayload } from "../notify/payload.ts";
import { jobId } from "../queues.ts";
import { DIGEST_DAILY_KIND, DIGEST_WEEKLY_KIND } from "./handlers.ts";

export interface DigestFanoutDeps {
  prisma: Db;
  logger: Logger;
  /** The jobs layer's enqueue (JobContext.enqueue in the processor). */
  enqueue(name: string, payload: unknown, opts?: JobsOptions): Promise<void>;
  /** Recipients composed per batch (default 500). */
  batchSize?: number;
  now?: () => Date;
}

export interface DigestFanoutResult {
  schoolId: number;
  date: string;
  time: string;
  /** Guardian × child pairs whose digest time came in this run. */
  due: number;
  daily: number;
  weekly: number;
  /** Nothing to say (and not asked for anyway). */
  empty: number;
  /** Already in the Delivery ledger. */
  alreadySent: number;
  batches: number;
}

interface Marker {
  date: string;
  through: number;
}

export const fanoutMarkerKey = (schoolId: number) => `digest.fanout.${schoolId}`;
const ENQUEUE_CONCURRENCY = 100;

export async function runDigestFanout(deps: DigestFanoutDeps, schoolId: number): Promise<DigestFanoutResult> {
  const { prisma } = deps;
  const now = deps.now?.() ?? new Date();
  const school = await getSchool(prisma, schoolId);
  const local = localMoment(school.timezone, now);
  const actor = systemActor(schoolId);
  const marker = (await prisma.botState.findUnique({ where: { key: fanoutMarkerKey(schoolId) } }))?.value as
    | Marker
    | undefined;
  const after = marker?.date === local.date && typeof marker.through === "number" ? marker.through : -1;
  const result: DigestFanoutResult = {
    schoolId,
    date: local.date,
    time: local.time,
    due: 0,
    daily: 0,
    weekly: 0,
    empty: 0,
    alreadySent: 0,
    batches: 0,
  };
  if (after >= local.minutes) return result;
  const week = summaryWeekOf(local.date);
  const limit = deps.batchSize ?? 500;
  let afterId = 0;
  for (;;) {
    const page = await listDigestRecipients(prisma, actor, {
      schoolId,
      date: local.date,
      afterMinutes: after,
      uptoMinutes: local.minutes,
      weekday: local.weekday,
      afterId,
      limit,
    });
    if (page.length === 0) break;
    afterId = page[page.length - 1].id;
    result.batches++;
    result.due += page.length;
    await fanOutPage(deps, { schoolId, school, now, date: local.date, weekday: local.weekday, week, page }, result);
    if (page.length < limit) break;
  }
  await prisma.botState.upsert({
    where: { key: fanoutMarkerKey(schoolId) },
    create: { key: fanoutMarkerKey(schoolId), value: { date: local.date, through: local.minutes } },
    update: { value: { date: local.date, through: local.minutes } },
  });
  deps.logger.info(result, "digest fan-out");
  return result;
}

async function fanOutPage(
  deps: DigestFanoutDeps,
  ctx: {
    schoolId: number;
    school: Awaited<ReturnType<typeof getSchool>>;
    now: Date;
    date: string;
    weekday: number;
    week: { weekStart: string };
    page: DigestRecipient[];
  },
  result: DigestFanoutResult,
): Promise<void> {
  const { prisma } = deps;
  const { schoolId, date, page } = ctx;
  const actor = systemActor(schoolId);
  // A morning digest (e.g. 07:00) tells of the previous school day; an evening one (e.g. 22:30) of today.
  const dayOf = (r: DigestRecipient) => digestDayOf(date, r.digestMinutes ?? 0);
  const dailyKey = (r: DigestRecipient) => digestDedupKey("daily", schoolId, r.guardianId, r.studentId, dayOf(r));
  const weeklyKey = (r: DigestRecipient) =>
    digestDedupKey("weekly", schoolId, r.guardianId, r.studentId, ctx.week.weekStart);
  const wantsDaily = page.filter((r) => r.digestMinutes !== null);
  const wantsWeekly = page.filter((r) => r.weeklyDay === ctx.weekday);
  const keys = [...wantsDaily.map(dailyKey), ...wantsWeekly.map(weeklyKey)];
  const sent = new Set(
    keys.length
      ? (await prisma.delivery.findMany({ where: { dedupKey: { in: keys } }, select: { dedupKey: true } })).map(
          (d) => d.dedupKey,
        )
      : [],
  );
  const daily = wantsDaily.filter((r) => !sent.has(dailyKey(r)));
  const weekly = wantsWeekly.filter((r) => !sent.has(weeklyKey(r)));
  result.alreadySent += wantsDaily.length - daily.length + wantsWeekly.length - weekly.length;
  const whenEmpty = new Map(page.map((r) => [`${r.guardianId}-${r.studentId}`, r.digestWhenEmpty]));
  const pairsOf = (rs: DigestRecipient[]) => rs.map((r) => ({ guardianId: r.guardianId, studentId: r.studentId }));
  const opts = { now: ctx.now, school: ctx.school };
  const days = [...new Set(daily.map(dayOf))];
  const [dailyByDay, summaries] = await Promise.all([
    Promise.all(
      days.map(async (day) => ({
        day,
        digests: await composeDailyDigests(
          prisma,
          actor,
          { schoolId, date: day, pairs: pairsOf(daily.filter((r) => dayOf(r) === day)) },
          opts,
        ),
      })),
    ),
    weekly.length
      ? composeWeeklySummaries(prisma, actor, { schoolId, weekStart: ctx.week.weekStart, pairs: pairsOf(weekly) }, opts)
      : [],
  ]);
  const jobs: { dedupKey: string; personId: number; data: NotifyPayload }[] = [];
  for (const { day, digests } of dailyByDay) {
    for (const d of digests) {
      if (d.empty && !whenEmpty.get(`${d.guardianId}-${d.studentId}`)) {
        result.empty++;
        continue;
      }
      const dedupKey = digestDedupKey("daily", schoolId, d.guardianId, d.studentId, day);
      const payload = { guardianId: d.guardianId, studentId: d.studentId, date: day };
      jobs.push({
        dedupKey,
        personId: d.guardianId,
        data: { schoolId, source: { kind: DIGEST_DAILY_KIND, payload }, dedupKey },
      });
      result.daily++;
    }
  }
  for (const s of summaries) {
    if (s.empty && !whenEmpty.get(`${s.guardianId}-${s.studentId}`)) {
      result.empty++;
      continue;
    }
    const dedupKey = digestDedupKey("weekly", schoolId, s.guardianId, s.studentId, s.weekStart);
    const payload = { guardianId: s.guardianId, studentId: s.studentId, weekStart: s.weekStart };
    jobs.push({
      dedupKey,
      personId: s.guardianId,
      data: { schoolId, source: { kind: DIGEST_WEEKLY_KIND, payload }, dedupKey },
    });
    result.weekly++;
  }
  // A guardian's several messages (children, weekly) start a second apart: one message a second per chat.
  const nth = new Map<number, number>();
  for (let i = 0; i < jobs.length; i += ENQUEUE_CONCURRENCY) {
    await Promise.all(
      jobs.slice(i, i + ENQUEUE_CONCURRENCY).map((j) => {
        const k = nth.get(j.personId) ?? 0;
        nth.set(j.personId, k + 1);
        return deps.enqueue(notifySendJob.name, j.data, {
          jobId: jobId("notify", j.dedupKey),
          ...(k > 0 ? { delay: k * 1100 } : {}),
        });
      }),
    );
  }
}
