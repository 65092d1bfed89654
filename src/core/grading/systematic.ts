// R-27 (000 §4.4): systematic absence and systematic failing, with thresholds as parameters.

import { addDays, daysBetween, type IsoDate } from "../dates.ts";
import { roundAverage, weightedAverage } from "./average.ts";
import { classifyMark } from "./mark-values.ts";

export interface AbsenceEntry {
  date: IsoDate;
  /** null: no reason given yet. */
  reason: "ILLNESS" | "EXCUSED" | "UNEXCUSED" | null;
}

export interface AbsenceThresholds {
  /** Days with an unexcused absence needed within one window. */
  minDays: number;
  /** Window length in calendar days. */
  windowDays: number;
  /** Whether an absence without a reason yet counts as unexcused (default true). */
  countUnexplained?: boolean;
}

export const DEFAULT_ABSENCE_THRESHOLDS: AbsenceThresholds = { minDays: 3, windowDays: 14, countUnexplained: true };

export interface SystematicAbsence {
  systematic: boolean;
  /** Most days with an unexcused absence found in any window. */
  maxDaysInWindow: number;
  /** The first window reaching the threshold (inclusive dates), or null. */
  window: { from: IsoDate; to: IsoDate } | null;
}

/**
 * Counts distinct DAYS with at least one unexcused absence (several missed lessons on one day are one day),
 * in any sliding window of `windowDays` calendar days.
 */
export function systematicAbsence(absences: readonly AbsenceEntry[], t: AbsenceThresholds): SystematicAbsence {
  const countUnexplained = t.countUnexplained ?? true;
  const days = [
    ...new Set(
      absences.filter((a) => a.reason === "UNEXCUSED" || (countUnexplained && a.reason === null)).map((a) => a.date),
    ),
  ].sort();
  let max = 0;
  let window: SystematicAbsence["window"] = null;
  let start = 0;
  for (let end = 0; end < days.length; end++) {
    while (daysBetween(days[start], days[end]) >= t.windowDays) start++;
    const count = end - start + 1;
    if (count > max) max = count;
    if (window === null && count >= t.minDays)
      window = { from: days[start], to: addDays(days[start], t.windowDays - 1) };
  }
  return { systematic: window !== null, maxDaysInWindow: max, window };
}

export interface DatedMark {
  date: IsoDate;
  value: string;
  weight: number;
}

export interface FailingThresholds {
  /** This many «2»/«незач» in a row (by date) is systematic; 0 disables the check. */
  consecutiveFails: number;
  /** A weighted average below this is systematic; null disables the check. */
  averageBelow: number | null;
}

export const DEFAULT_FAILING_THRESHOLDS: FailingThresholds = { consecutiveFails: 2, averageBelow: 3 };

export interface SystematicFailing {
  systematic: boolean;
  maxConsecutiveFails: number;
  /** Weighted average rounded to 2 decimals, null when no numeric marks. */
  average: number | null;
  reasons: ("consecutive" | "average")[];
}

/**
 * For one student in one subject. Marks are ordered by date (stable: same-day marks keep the given order);
 * «н/а», «осв» and «зач» neither break nor extend a run of fails. The average is compared after rounding
 * to 2 decimals, as shown to the teacher.
 */
export function systematicFailing(marks: readonly DatedMark[], t: FailingThresholds): SystematicFailing {
  const ordered = marks
    .map((m, i) => ({ m, i }))
    .sort((a, b) => (a.m.date < b.m.date ? -1 : a.m.date > b.m.date ? 1 : a.i - b.i))
    .map((x) => x.m);
  let run = 0;
  let maxRun = 0;
  for (const m of ordered) {
    const kind = classifyMark(m.value);
    if (m.value === "2" || kind === "fail") {
      run++;
      maxRun = Math.max(maxRun, run);
    } else if (kind === "numeric") run = 0;
  }
  const avg = weightedAverage(ordered);
  const average = avg === null ? null : roundAverage(avg, 2);
  const reasons: SystematicFailing["reasons"] = [];
  if (t.consecutiveFails > 0 && maxRun >= t.consecutiveFails) reasons.push("consecutive");
  if (t.averageBelow !== null && average !== null && average < t.averageBelow) reasons.push("average");
  return { systematic: reasons.length > 0, maxConsecutiveFails: maxRun, average, reasons };
}
