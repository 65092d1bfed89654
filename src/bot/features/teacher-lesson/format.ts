// Formatting of the teacher screens: dates in the reader's language, "Фамилия И." for roster buttons, the
// class or subgroup label. Text templates live in locales/<lng>/teacher-lesson.json.
import type { TFunction } from "i18next";
import type { IsoDate } from "../../../core/dates.ts";
import type { Language } from "../../../i18n.ts";

const dayFormat = new Map<string, Intl.DateTimeFormat>();

/** "среда, 14 мая" / "Wednesday, 14 May". */
export function longDate(iso: IsoDate, lng: Language): string {
  let f = dayFormat.get(lng);
  if (!f) {
    f = new Intl.DateTimeFormat(lng, { weekday: "long", day: "numeric", month: "long", timeZone: "UTC" });
    dayFormat.set(lng, f);
  }
  return f.format(new Date(`${iso}T00:00:00Z`));
}

/** "14.05" */
export function shortDate(iso: IsoDate): string {
  return `${iso.slice(8, 10)}.${iso.slice(5, 7)}`;
}

/** "пн 14.05" */
export function weekdayDate(iso: IsoDate, lng: Language): string {
  const wd = new Intl.DateTimeFormat(lng, { weekday: "short", timeZone: "UTC" }).format(new Date(`${iso}T00:00:00Z`));
  return `${wd} ${shortDate(iso)}`;
}

/** "7Б" or "7Б, подгр. 1". */
export function groupLabel(t: TFunction, className: string, subgroupNo: number | null): string {
  return subgroupNo ? t("teacher-lesson:group.subgroup", { className, no: subgroupNo }) : className;
}

/** Roster button names: «Фамилия И.», longer only where two would read the same (shared with the marks). */
export { shortNames } from "../../render-person.ts";

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
