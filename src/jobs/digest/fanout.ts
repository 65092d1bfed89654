// The per-school digest fan-out (runs every minute): finds the guardians whose digest time has come since the
// last run today (school time), composes and renders their digests in batches (a fixed number of queries a
// batch), records each message once in the Delivery ledger (its dedupKey per guardian, child and day) and
// enqueues the sends in bulk, so a crashed-and-retried fan-out, two overlapping runs or a retried notify job
// never send a digest twice.
//
// What was done is known from two places: a per-school marker in BotState ("digest fan-out of <date> done up
// to <minute>", written after the whole run) and the Delivery ledger (digests already sent are not enqueued
// again, even when the marker is lost). Digests with nothing to say are not enqueued unless the guardian asked
// for them. At send time only the guardian's right to it is re-checked (src/jobs/digest/handlers.ts, R-09).
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
import { languagesOf } from "../notices-messages/recipient-language.ts";
import type { OutgoingMessage } from "../outbox/handler.ts";
import { digestMessage } from "./handlers.ts";
import { renderDailyDigest, renderWeeklySummary } from "./render.ts";

export interface DigestFanoutDeps {
  prisma: Db;
  logger: Logger;
  /** Records built messages and enqueues their sends (JobContext.deliver in the processor). */
  deliver(messages: OutgoingMessage[]): Promise<number>;
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
  const langs = await languagesOf(prisma, [...new Set(page.map((r) => r.guardianId))]);
  const lngOf = (guardianId: number) => langs.get(guardianId) ?? "ru";
  const messages: OutgoingMessage[] = [];
  for (const { day, digests } of dailyByDay) {
    for (const d of digests) {
      if (d.empty && !whenEmpty.get(`${d.guardianId}-${d.studentId}`)) {
        result.empty++;
        continue;
      }
      const lng = lngOf(d.guardianId);
      messages.push(digestMessage("daily", schoolId, d.guardianId, d.studentId, day, renderDailyDigest(d, lng), lng));
      result.daily++;
    }
  }
  for (const s of summaries) {
    if (s.empty && !whenEmpty.get(`${s.guardianId}-${s.studentId}`)) {
      result.empty++;
      continue;
    }
    const lng = lngOf(s.guardianId);
    messages.push(
      digestMessage("weekly", schoolId, s.guardianId, s.studentId, s.weekStart, renderWeeklySummary(s, lng), lng),
    );
    result.weekly++;
  }
  // Built once here, recorded in the ledger (a guardian's several messages a second apart) and enqueued in bulk.
  await deps.deliver(messages);
}
