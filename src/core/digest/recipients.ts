// Who is due a digest (issue 5 item 3), for the fan-out: guardians of record with consent given and not
// withdrawn, a guardianship that has not ended, a child still at school, and a linked account that has
// not blocked the bot; whose digest time (Preference.digestTime, school time, default 19:00, "off" = none) falls
// in the window of times asked for. Paged by guardianship id, one query a page.
import { z } from "zod";
import type { AnyActor } from "../actor.ts";
import { addDays, fromIsoDate, type IsoDate, isTime, timeToMinutes } from "../dates.ts";
import { idSchema, isoDateSchema, parseInput } from "../journal/common.ts";
import type { DbOrTx } from "../tx.ts";
import { requireSystemFor } from "./access.ts";

/** Same default as the Preference model (prisma/schema.prisma). */
export const DEFAULT_DIGEST_TIME = "19:00";

export interface DigestRecipient {
  /** Guardianship id: the paging key. */
  id: number;
  guardianId: number;
  studentId: number;
  /** Minutes after local midnight; null when the daily digest is off. */
  digestMinutes: number | null;
  digestWhenEmpty: boolean;
  /** 1 = Monday … 7 = Sunday; null = no weekly summary. */
  weeklyDay: number | null;
}

/** A digest due before noon is a morning one: it tells of the previous day (there is nothing yet of today). */
export const MORNING_DIGEST_BEFORE_MINUTES = 12 * 60;

/** The school day a digest due at `digestMinutes` on `today` (school time) tells of. */
export function digestDayOf(today: IsoDate, digestMinutes: number): IsoDate {
  return digestMinutes < MORNING_DIGEST_BEFORE_MINUTES ? addDays(today, -1) : today;
}

/** The minutes of a digest time, or null for "off" or anything that is not a time of day. */
export function digestMinutesOf(time: string | null | undefined): number | null {
  if (!time || !isTime(time.trim())) return null;
  return timeToMinutes(time.trim());
}

/** Every spelling of the times of day in (afterMinutes, uptoMinutes]: "09:05" and "9:05". */
export function timesBetween(afterMinutes: number, uptoMinutes: number): string[] {
  const out: string[] = [];
  for (let m = Math.max(0, afterMinutes + 1); m <= Math.min(1439, uptoMinutes); m++) {
    const h = Math.floor(m / 60);
    const mm = String(m % 60).padStart(2, "0");
    out.push(`${String(h).padStart(2, "0")}:${mm}`);
    if (h < 10) out.push(`${h}:${mm}`);
  }
  return out;
}

const inputSchema = z.object({
  schoolId: idSchema,
  date: isoDateSchema,
  /** Digest times due: after this minute (exclusive; -1 = from midnight) … */
  afterMinutes: z.number().int().min(-1).max(1439),
  /** … up to this minute (inclusive). */
  uptoMinutes: z.number().int().min(0).max(1439),
  /** Today's weekday: guardians whose digest is off still get their weekly summary at the default time. */
  weekday: z.number().int().min(1).max(7),
  afterId: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(5000).default(500),
});

export async function listDigestRecipients(
  db: DbOrTx,
  actor: AnyActor,
  input: {
    schoolId: number;
    date: IsoDate;
    afterMinutes: number;
    uptoMinutes: number;
    weekday: number;
    afterId?: number;
    limit?: number;
  },
): Promise<DigestRecipient[]> {
  requireSystemFor(actor, Number(input?.schoolId));
  const q = parseInput(inputSchema, input);
  const times = timesBetween(q.afterMinutes, q.uptoMinutes);
  if (times.length === 0) return [];
  const defaultDue = times.includes(DEFAULT_DIGEST_TIME);
  const due = [
    { guardian: { preference: { digestTime: { in: times } } } },
    ...(defaultDue
      ? [
          { guardian: { preference: null } },
          // digest off, weekly summary today: at the default time
          { guardian: { preference: { weeklyDay: q.weekday, NOT: { digestTime: { contains: ":" } } } } },
        ]
      : []),
  ];
  const rows = await db.guardianship.findMany({
    where: {
      schoolId: q.schoolId,
      id: { gt: q.afterId },
      endedAt: null,
      consentGivenAt: { not: null },
      consentRevokedAt: null,
      student: { schoolId: q.schoolId, OR: [{ leftAt: null }, { leftAt: { gt: fromIsoDate(q.date) } }] },
      guardian: { schoolId: q.schoolId, accounts: { some: { blockedAt: null } } },
      OR: due,
    },
    select: {
      id: true,
      guardianId: true,
      studentId: true,
      guardian: { select: { preference: { select: { digestTime: true, digestWhenEmpty: true, weeklyDay: true } } } },
    },
    orderBy: { id: "asc" },
    take: q.limit,
  });
  return rows.map((r) => {
    const p = r.guardian.preference;
    return {
      id: r.id,
      guardianId: r.guardianId,
      studentId: r.studentId,
      digestMinutes: p ? digestMinutesOf(p.digestTime) : timeToMinutes(DEFAULT_DIGEST_TIME),
      digestWhenEmpty: p?.digestWhenEmpty ?? false,
      weeklyDay: p?.weeklyDay ?? null,
    };
  });
}
