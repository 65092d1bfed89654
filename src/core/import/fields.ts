// Parsers of single import cells. Russian aliases are input-parsing aliases: people type what they know.
import type { StaffRole } from "../actor.ts";
import { isIsoDate, isTime } from "../dates.ts";

export type PeriodKindName = "QUARTER" | "TRIMESTER" | "HALF";

const WEEKDAYS: Record<string, number> = {
  пн: 1,
  вт: 2,
  ср: 3,
  чт: 4,
  пт: 5,
  сб: 6,
  вс: 7,
  понедельник: 1,
  вторник: 2,
  среда: 3,
  четверг: 4,
  пятница: 5,
  суббота: 6,
  воскресенье: 7,
  mon: 1,
  tue: 2,
  wed: 3,
  thu: 4,
  fri: 5,
  sat: 6,
  sun: 7,
};

export function parseWeekday(s: string): number | null {
  const v = s.trim().toLowerCase().replace(/\.$/, "");
  if (/^[1-7]$/.test(v)) return Number(v);
  return WEEKDAYS[v] ?? null;
}

const ROLES: Record<string, StaffRole> = {
  director: "DIRECTOR",
  deputy: "DEPUTY",
  admin: "ADMIN",
  teacher: "TEACHER",
  secretary: "SECRETARY",
  social_pedagogue: "SOCIAL_PEDAGOGUE",
  psychologist: "PSYCHOLOGIST",
  директор: "DIRECTOR",
  завуч: "DEPUTY",
  заместитель: "DEPUTY",
  администратор: "ADMIN",
  учитель: "TEACHER",
  секретарь: "SECRETARY",
  социальный_педагог: "SOCIAL_PEDAGOGUE",
  психолог: "PSYCHOLOGIST",
};

/** Roles of a comma list; unknown words are returned in `bad`. */
export function parseRoles(s: string): { roles: StaffRole[]; bad: string[] } {
  const roles = new Set<StaffRole>();
  const bad: string[] = [];
  for (const part of s.split(/[,;]/)) {
    const word = part.trim().toLowerCase().replace(/\s+/g, "_");
    if (!word) continue;
    const role = ROLES[word];
    if (role) roles.add(role);
    else bad.push(part.trim());
  }
  return { roles: [...roles].sort(), bad };
}

const KINDS: Record<string, PeriodKindName> = {
  quarter: "QUARTER",
  trimester: "TRIMESTER",
  half: "HALF",
  четверть: "QUARTER",
  триместр: "TRIMESTER",
  полугодие: "HALF",
};

export function parsePeriodKind(s: string): PeriodKindName | null {
  return KINDS[s.trim().toLowerCase()] ?? null;
}

/** "2025/2026" (also "2025-2026"); the second year must follow the first. */
export function parseYearName(s: string): string | null {
  const m = /^(\d{4})\s*[/-]\s*(\d{4})$/.exec(s.trim());
  if (!m || Number(m[2]) !== Number(m[1]) + 1) return null;
  return `${m[1]}/${m[2]}`;
}

/** "7Б", "7 б", "10-А" → { grade: 7, letter: "Б", name: "7Б" }. */
export function parseClassName(s: string): { grade: number; letter: string; name: string } | null {
  const m = /^(\d{1,2})\s*-?\s*(\p{L}{0,3})$/u.exec(s.trim());
  if (!m) return null;
  const grade = Number(m[1]);
  if (grade < 1 || grade > 11) return null;
  const letter = m[2].toUpperCase();
  return { grade, letter, name: `${grade}${letter}` };
}

/** Canonical form of a class reference, or the trimmed text when it is not a class name. */
export function classKey(s: string): string {
  return parseClassName(s)?.name ?? s.trim();
}

/** "Английский язык:1; Информатика:2" → [{ subject, number }]; null when malformed. */
export function parseSubgroups(s: string): { subject: string; number: number }[] | null {
  const out: { subject: string; number: number }[] = [];
  for (const part of s.split(";")) {
    if (!part.trim()) continue;
    const m = /^(.+?)\s*:\s*(\d{1,2})$/.exec(part.trim());
    if (!m || Number(m[2]) < 1) return null;
    out.push({ subject: m[1].trim(), number: Number(m[2]) });
  }
  return out;
}

export function parseInteger(s: string): number | null {
  const v = s.trim();
  return /^-?\d+$/.test(v) ? Number(v) : /^-?\d+\.0+$/.test(v) ? Math.trunc(Number(v)) : null;
}

/** "1,5" or "1.5". */
export function parseDecimal(s: string): number | null {
  const v = s.trim().replace(",", ".");
  return /^\d+(\.\d+)?$/.test(v) ? Number(v) : null;
}

/** ISO date, also "DD.MM.YYYY" as Russian spreadsheets show dates. */
export function parseDate(s: string): string | null {
  const v = s.trim();
  const ru = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(v);
  const iso = ru ? `${ru[3]}-${ru[2].padStart(2, "0")}-${ru[1].padStart(2, "0")}` : v;
  return isIsoDate(iso) ? iso : null;
}

/** "8:30" or "08:30" → "08:30". */
export function parseTime(s: string): string | null {
  const v = s.trim().replace(".", ":");
  if (!isTime(v)) return null;
  return v.padStart(5, "0");
}

/** A comma (or semicolon) list of ids. */
export function parseIdList(s: string): string[] {
  return s
    .split(/[,;]/)
    .map((x) => x.trim())
    .filter(Boolean);
}
