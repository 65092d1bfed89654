// The rules of a school's name and time zone, checked before anything is written (and before a bot token is
// sent to Telegram): a name a person can read, and a time zone of the IANA database ("Europe/Moscow").
import { invalid } from "../errors.ts";

export const SCHOOL_NAME_MAX = 200;

/** An IANA zone name the runtime knows ("Asia/Kamchatka", "UTC"); offsets like "+03:00" are not zones. */
export function isIanaTimezone(tz: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(tz)) return false;
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** One space between words, none around: how the name is stored and compared. */
export function normalizeSchoolName(name: string): string {
  return name.replace(/\s+/g, " ").trim();
}

export interface SchoolInput {
  name: string;
  timezone: string;
}

/** The input as stored, or VALIDATION naming the field and why. */
export function validateSchoolInput(input: SchoolInput): SchoolInput {
  const name = normalizeSchoolName(String(input?.name ?? ""));
  if (!name) throw invalid({ field: "name", reason: "EMPTY" });
  if (name.length > SCHOOL_NAME_MAX) throw invalid({ field: "name", reason: "TOO_LONG", max: SCHOOL_NAME_MAX });
  const timezone = String(input?.timezone ?? "").trim();
  if (!isIanaTimezone(timezone)) throw invalid({ field: "timezone", reason: "UNKNOWN_TIMEZONE", value: timezone });
  return { name, timezone };
}
