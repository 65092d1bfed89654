// A person's own settings (Preference): language, the evening digest, the weekly summary, quiet hours, instant
// alerts, the lesson-start reminder for teachers. Only the actor's own row; every change validated and audited.
import { z } from "zod";
import type { AnyActor } from "../actor.ts";
import { appendAudit } from "../audit.ts";
import { isTime } from "../dates.ts";
import { parseInput, requirePerson } from "../journal/common.ts";
import type { Db, DbOrTx } from "../tx.ts";

/** Preference.digestTime for "no evening digest". */
export const DIGEST_OFF = "off";
/** A digest time is any quarter-hour of the day, school time ("07:00", "22:30"). */
export const DIGEST_STEP_MINUTES = 15;
/** The quiet-hours window offered when quiet hours are on; off is stored as an empty window (from = to). */
export const QUIET_HOURS = { from: "21:00", to: "07:00" } as const;
export const QUIET_OFF = { from: "00:00", to: "00:00" } as const;

export const LOCALES = ["ru", "en"] as const;

export interface PreferencesView {
  locale: (typeof LOCALES)[number];
  /** "HH:MM" school time, or "off" (DIGEST_OFF). */
  digestTime: string;
  digestWhenEmpty: boolean;
  /** 1 = Monday … 7 = Sunday; null = no weekly summary. */
  weeklyDay: number | null;
  quietHours: boolean;
  quietFrom: string;
  quietTo: string;
  alertAbsence: boolean;
  alertLowMark: boolean;
  lowMarkThreshold: number;
  alertEveryMark: boolean;
  alertTermGrade: boolean;
  alertHomework: boolean;
  lessonPrompt: boolean;
}

export type PreferencesPatch = Partial<{
  locale: (typeof LOCALES)[number];
  digestTime: string;
  digestWhenEmpty: boolean;
  weeklyDay: number | null;
  quietHours: boolean;
  alertAbsence: boolean;
  alertLowMark: boolean;
  alertEveryMark: boolean;
  alertTermGrade: boolean;
  alertHomework: boolean;
  lessonPrompt: boolean;
}>;

/** Same defaults as the Preference model (prisma/schema.prisma). */
export const DEFAULT_PREFERENCES: PreferencesView = {
  locale: "ru",
  digestTime: "19:00",
  digestWhenEmpty: false,
  weeklyDay: null,
  quietHours: true,
  quietFrom: QUIET_HOURS.from,
  quietTo: QUIET_HOURS.to,
  alertAbsence: true,
  alertLowMark: false,
  lowMarkThreshold: 3,
  alertEveryMark: false,
  alertTermGrade: true,
  alertHomework: false,
  lessonPrompt: true,
};

/** "HH:MM" on a quarter-hour (00:00 … 23:45), or "off". */
export function isDigestTime(v: string): boolean {
  if (v === DIGEST_OFF) return true;
  if (!/^\d{2}:\d{2}$/.test(v) || !isTime(v)) return false;
  return Number(v.slice(3)) % DIGEST_STEP_MINUTES === 0;
}

/**
 * A time of day as a person types it ("22:30", "7:00", "07.00", "7 00", "0700") → "HH:MM"; null when it is not
 * a time of day. Whether it is a quarter-hour is `isDigestTime`'s (and updatePreferences') to say.
 */
export function parseTypedTime(typed: string): string | null {
  const m = /^\s*(\d{1,2})\s*[:.\-\s]?\s*(\d{2})\s*$/.exec(typed);
  if (!m) return null;
  const time = `${m[1].padStart(2, "0")}:${m[2]}`;
  return isTime(time) ? time : null;
}

/** Whether the evening digest is on for these preferences. */
export function digestEnabled(p: { digestTime: string }): boolean {
  return p.digestTime !== DIGEST_OFF && isTime(p.digestTime);
}

const patchSchema = z
  .object({
    locale: z.enum(LOCALES),
    digestTime: z.string().refine(isDigestTime, { message: "HH:MM on a quarter-hour, or off" }),
    digestWhenEmpty: z.boolean(),
    weeklyDay: z.number().int().min(1).max(7).nullable(),
    quietHours: z.boolean(),
    alertAbsence: z.boolean(),
    alertLowMark: z.boolean(),
    alertEveryMark: z.boolean(),
    alertTermGrade: z.boolean(),
    alertHomework: z.boolean(),
    lessonPrompt: z.boolean(),
  })
  .partial()
  .strict();

type Row = {
  locale: string;
  digestTime: string;
  digestWhenEmpty: boolean;
  weeklyDay: number | null;
  quietFrom: string;
  quietTo: string;
  alertAbsence: boolean;
  alertLowMark: boolean;
  lowMarkThreshold: number;
  alertEveryMark: boolean;
  alertTermGrade: boolean;
  alertHomework: boolean;
  lessonPrompt: boolean;
};

function view(row: Row | null): PreferencesView {
  if (!row) return { ...DEFAULT_PREFERENCES };
  return {
    locale: (LOCALES as readonly string[]).includes(row.locale) ? (row.locale as PreferencesView["locale"]) : "ru",
    digestTime: row.digestTime,
    digestWhenEmpty: row.digestWhenEmpty,
    weeklyDay: row.weeklyDay,
    quietHours: row.quietFrom !== row.quietTo,
    quietFrom: row.quietFrom,
    quietTo: row.quietTo,
    alertAbsence: row.alertAbsence,
    alertLowMark: row.alertLowMark,
    lowMarkThreshold: row.lowMarkThreshold,
    alertEveryMark: row.alertEveryMark,
    alertTermGrade: row.alertTermGrade,
    alertHomework: row.alertHomework,
    lessonPrompt: row.lessonPrompt,
  };
}

const SELECT = {
  locale: true,
  digestTime: true,
  digestWhenEmpty: true,
  weeklyDay: true,
  quietFrom: true,
  quietTo: true,
  alertAbsence: true,
  alertLowMark: true,
  lowMarkThreshold: true,
  alertEveryMark: true,
  alertTermGrade: true,
  alertHomework: true,
  lessonPrompt: true,
} as const;

/**
 * The language a person without a Preference row reads the bot in: their Telegram client's (the most recent
 * account's), so that saving any setting for the first time does not switch them to the default language.
 */
export async function clientLocale(db: DbOrTx, schoolId: number, personId: number): Promise<PreferencesView["locale"]> {
  const account = await db.messengerAccount.findFirst({
    where: { personId, schoolId, languageCode: { not: null } },
    orderBy: { id: "desc" },
    select: { languageCode: true },
  });
  const code = account?.languageCode?.slice(0, 2).toLowerCase();
  return (LOCALES as readonly string[]).includes(code ?? "") ? (code as PreferencesView["locale"]) : "ru";
}

/** The actor's own preferences (defaults, in the client's language, when never saved). */
export async function getPreferences(db: Db, actor: AnyActor): Promise<PreferencesView> {
  const personId = requirePerson(actor);
  const row = await db.preference.findFirst({ where: { personId, schoolId: actor.schoolId }, select: SELECT });
  return row ? view(row) : { ...view(null), locale: await clientLocale(db, actor.schoolId, personId) };
}

/** Changes the actor's own preferences; VALIDATION for anything off; audited with the old and new values. */
export async function updatePreferences(db: Db, actor: AnyActor, patch: PreferencesPatch): Promise<PreferencesView> {
  const personId = requirePerson(actor);
  const data = parseInput(patchSchema, patch);
  const { quietHours, ...plain } = data;
  const fields: Partial<Row> = { ...plain };
  if (quietHours !== undefined) {
    const w = quietHours ? QUIET_HOURS : QUIET_OFF;
    fields.quietFrom = w.from;
    fields.quietTo = w.to;
  }
  const initialLocale = await clientLocale(db, actor.schoolId, personId);
  return db.$transaction(async (tx) => {
    const before = await tx.preference.findUnique({ where: { personId }, select: { ...SELECT, schoolId: true } });
    const row = await tx.preference.upsert({
      where: { personId },
      create: { schoolId: actor.schoolId, personId, locale: initialLocale, ...fields },
      update: { ...fields, schoolId: actor.schoolId },
      select: { ...SELECT, id: true },
    });
    const old = before ? view(before) : { ...view(null), locale: initialLocale };
    const now = view(row);
    const changed = Object.fromEntries(
      (Object.keys(now) as (keyof PreferencesView)[])
        .filter((k) => old[k] !== now[k])
        .map((k) => [k, { old: old[k], new: now[k] }]),
    );
    if (Object.keys(changed).length > 0) {
      await appendAudit(tx, actor, {
        action: "preference.update",
        entity: "Preference",
        entityId: row.id,
        data: changed,
      });
    }
    return now;
  });
}
