// digest.daily { guardianId, studentId, date } and digest.weekly { guardianId, studentId, weekStart }: run by
// the sender at send time (the fan-out enqueues notify jobs naming these kinds). They re-compose the digest from
// the journal as it is now, skip it when the guardian may no longer receive it (consent withdrawn, guardianship
// ended), turned digests off, or there is nothing to say (unless «send even when empty»), and render it with
// the "acknowledged" button. They write nothing.
import { z } from "zod";
import { encodeDigestAck } from "../../actions/digest.ts";
import { systemActor } from "../../core/actor.ts";
import { isIsoDate } from "../../core/dates.ts";
import { composeDailyDigest, composeWeeklySummary, digestDedupKey, digestMinutesOf } from "../../core/digest/index.ts";
import type { Db } from "../../core/tx.ts";
import { type Language, translator } from "../../i18n.ts";
import type { OutboxHandler, OutgoingMessage } from "../outbox/handler.ts";
import { guardianLanguage } from "./language.ts";
import { renderDailyDigest, renderWeeklySummary } from "./render.ts";

export const DIGEST_DAILY_KIND = "digest.daily";
export const DIGEST_WEEKLY_KIND = "digest.weekly";

const id = z.number().int().positive();
const isoDate = z.string().refine(isIsoDate);
export const dailyPayloadSchema = z.object({ guardianId: id, studentId: id, date: isoDate });
export const weeklyPayloadSchema = z.object({ guardianId: id, studentId: id, weekStart: isoDate });
export type DailyPayload = z.infer<typeof dailyPayloadSchema>;
export type WeeklyPayload = z.infer<typeof weeklyPayloadSchema>;

const PREF_SELECT = { locale: true, digestTime: true, digestWhenEmpty: true, weeklyDay: true } as const;

/**
 * At send time: the guardian may still receive the child's digest — the guardianship has not ended and
 * consent was not withdrawn since the digest was built.
 */
async function stillGuardian(db: Db, ref: Record<string, unknown>): Promise<boolean> {
  const n = await db.guardianship.count({
    where: {
      guardianId: Number(ref.guardianId),
      studentId: Number(ref.studentId),
      endedAt: null,
      consentGivenAt: { not: null },
      consentRevokedAt: null,
    },
  });
  return n > 0;
}

export const digestDailyHandler: OutboxHandler = {
  kind: DIGEST_DAILY_KIND,
  isCurrent: stillGuardian,
  async handle(row, { db, now }) {
    const p = dailyPayloadSchema.parse(row.payload);
    const [digest, pref] = await Promise.all([
      composeDailyDigest(db, systemActor(row.schoolId), { schoolId: row.schoolId, ...p }, { now }),
      db.preference.findUnique({ where: { personId: p.guardianId }, select: PREF_SELECT }),
    ]);
    if (!digest) return [];
    if (pref && digestMinutesOf(pref.digestTime) === null) return [];
    if (digest.empty && !pref?.digestWhenEmpty) return [];
    const lng = await guardianLanguage(db, p.guardianId, pref);
    return [
      digestMessage("daily", row.schoolId, p.guardianId, p.studentId, p.date, renderDailyDigest(digest, lng), lng),
    ];
  },
};

/** One digest message with its "acknowledged" button; `date` is the day (daily) or the week's Monday (weekly). */
export function digestMessage(
  kind: "daily" | "weekly",
  schoolId: number,
  guardianId: number,
  studentId: number,
  date: string,
  text: string,
  lng: Language,
): OutgoingMessage {
  return {
    dedupKey: digestDedupKey(kind, schoolId, guardianId, studentId, date),
    schoolId,
    personId: guardianId,
    kind: kind === "daily" ? DIGEST_DAILY_KIND : DIGEST_WEEKLY_KIND,
    render: { text },
    buttons: [[{ text: translator(lng)("digest:ack.button"), action: encodeDigestAck(kind, studentId, date) }]],
    ref: { guardianId, studentId },
  };
}

export const digestWeeklyHandler: OutboxHandler = {
  kind: DIGEST_WEEKLY_KIND,
  isCurrent: stillGuardian,
  async handle(row, { db, now }) {
    const p = weeklyPayloadSchema.parse(row.payload);
    const [summary, pref] = await Promise.all([
      composeWeeklySummary(db, systemActor(row.schoolId), { schoolId: row.schoolId, ...p }, { now }),
      db.preference.findUnique({ where: { personId: p.guardianId }, select: PREF_SELECT }),
    ]);
    if (!summary) return [];
    if (pref && pref.weeklyDay === null) return [];
    if (summary.empty && !pref?.digestWhenEmpty) return [];
    const lng = await guardianLanguage(db, p.guardianId, pref);
    return [
      digestMessage(
        "weekly",
        row.schoolId,
        p.guardianId,
        p.studentId,
        p.weekStart,
        renderWeeklySummary(summary, lng),
        lng,
      ),
    ];
  },
};
