// School-local dates and times. The core speaks ISO dates ("2026-11-24") and "HH:MM" times; the database
// stores dates as DATE (a JS Date at UTC midnight).

export type IsoDate = string;

export function toIsoDate(d: Date): IsoDate {
  return d.toISOString().slice(0, 10);
}

export function fromIsoDate(s: IsoDate): Date {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) throw new RangeError(`not an ISO date: ${s}`);
  const d = new Date(`${s}T00:00:00.000Z`);
  if (Number.isNaN(d.getTime()) || toIsoDate(d) !== s) throw new RangeError(`not a date: ${s}`);
  return d;
}

export function isIsoDate(s: string): boolean {
  try {
    fromIsoDate(s);
    return true;
  } catch {
    return false;
  }
}

export function addDays(date: IsoDate, days: number): IsoDate {
  const d = fromIsoDate(date);
  d.setUTCDate(d.getUTCDate() + days);
  return toIsoDate(d);
}

/** Whole days from a to b (b - a). */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return Math.round((fromIsoDate(b).getTime() - fromIsoDate(a).getTime()) / 86_400_000);
}

/** 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: IsoDate): number {
  const wd = fromIsoDate(date).getUTCDay();
  return wd === 0 ? 7 : wd;
}

/** Monday of the week containing the date. */
export function weekStart(date: IsoDate): IsoDate {
  return addDays(date, 1 - isoWeekday(date));
}

export interface LocalMoment {
  date: IsoDate;
  time: string; // "HH:MM"
  weekday: number;
  minutes: number; // minutes since local midnight
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock date and time in a time zone at an instant. */
export function localMoment(timeZone: string, at: Date = new Date()): LocalMoment {
  const parts = Object.fromEntries(
    formatterFor(timeZone)
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  const time = `${parts.hour}:${parts.minute}`;
  return { date, time, weekday: isoWeekday(date), minutes: timeToMinutes(time) };
}

export function timeToMinutes(hhmm: string): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm);
  if (!m) throw new RangeError(`not a time: ${hhmm}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

export function isTime(s: string): boolean {
  const m = /^(\d{1,2}):(\d{2})$/.exec(s);
  return !!m && Number(m[1]) < 24 && Number(m[2]) < 60;
}

/** The instant at which a school-local date and time occur. */
export function zonedInstant(timeZone: string, date: IsoDate, hhmm: string): Date {
  const guess = new Date(`${date}T${hhmm.padStart(5, "0")}:00.000Z`);
  // Two passes settle DST edges: shift by the zone's offset at the guessed instant.
  let instant = guess;
  for (let i = 0; i < 2; i++) {
    const local = localMoment(timeZone, instant);
    const localAsUtc = new Date(`${local.date}T${local.time}:00.000Z`).getTime();
    instant = new Date(instant.getTime() - (localAsUtc - guess.getTime()));
  }
  return instant;
}
