// Quiet hours (Preference.quietFrom–quietTo, school time; the window may wrap midnight): an alert due inside
// the window waits until its end.
import { addDays, localMoment, timeToMinutes, zonedInstant } from "../../core/dates.ts";

/** The instant quiet hours end, when `now` falls inside them; otherwise undefined. */
export function quietHoursEnd(timeZone: string, quietFrom: string, quietTo: string, now: Date): Date | undefined {
  const from = timeToMinutes(quietFrom);
  const to = timeToMinutes(quietTo);
  if (from === to) return undefined;
  const local = localMoment(timeZone, now);
  const m = local.minutes;
  const wraps = from > to;
  const inside = wraps ? m >= from || m < to : m >= from && m < to;
  if (!inside) return undefined;
  const endDate = wraps && m >= from ? addDays(local.date, 1) : local.date;
  return zonedInstant(timeZone, endDate, quietTo);
}
