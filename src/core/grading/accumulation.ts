// R-28 накопляемость: enough marks per student per subject for an objective term mark, "depending on the
// subject's hours in the curriculum" (000 §8.4; the seeds give no number).
//
// Rule chosen: at least one mark per `lessonsPerMark` lessons held (default 3). With 1 hour a week over a
// 9-week quarter that is 3 marks, the minimum most school regulations name for a 1-hour subject; with 5 hours
// it is 15. A student below it is flagged so the teacher can ask before the term mark is due.

export const DEFAULT_LESSONS_PER_MARK = 3;

/** Lessons expected so far from the weekly hours (whole lessons; fractional weeks allowed, e.g. days / 7). */
export function lessonsElapsed(hoursPerWeek: number, weeksElapsed: number): number {
  if (!(hoursPerWeek > 0) || !(weeksElapsed > 0)) return 0;
  // Round first so 0.1 + 0.2-style float noise cannot lose a lesson.
  return Math.floor(Math.round(hoursPerWeek * weeksElapsed * 1000) / 1000);
}

export interface AccumulationInput {
  marksCount: number;
  hoursPerWeek: number;
  weeksElapsed: number;
  /** Lessons actually held, when known: it overrides the estimate from hours × weeks. */
  lessonsHeld?: number;
  lessonsPerMark?: number;
}

export interface Accumulation {
  lessons: number;
  expectedMin: number;
  marksCount: number;
  below: boolean;
  /** Marks still missing to reach the minimum (0 when not below). */
  shortBy: number;
}

export function accumulation(input: AccumulationInput): Accumulation {
  const perMark = input.lessonsPerMark ?? DEFAULT_LESSONS_PER_MARK;
  if (!(perMark > 0)) throw new RangeError("lessonsPerMark must be positive");
  const lessons = input.lessonsHeld ?? lessonsElapsed(input.hoursPerWeek, input.weeksElapsed);
  const expectedMin = Math.floor(lessons / perMark);
  const shortBy = Math.max(0, expectedMin - input.marksCount);
  return { lessons, expectedMin, marksCount: input.marksCount, below: shortBy > 0, shortBy };
}
