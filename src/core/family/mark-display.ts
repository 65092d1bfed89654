// How a family sees marks: the current mark of each chain, with any correction shown as a correction
// (old → new, why, when), and marks withdrawn with a reason listed as withdrawn. A mark still in its author's
// grace period is not shown to the family yet: a typo fixed in time is never seen, so it is never a silent change.
import { type IsoDate, toIsoDate } from "../dates.ts";
import type { DbOrTx } from "../tx.ts";

export interface MarkCorrectionStep {
  from: string;
  to: string;
  reason: string | null;
  at: string;
}

export interface FamilyMark {
  markId: number;
  lessonId: number;
  subjectId: number;
  date: IsoDate;
  workType: string;
  weight: number;
  value: string;
  comment: string | null;
  /** When it was entered: a mark entered days after its lesson says so. */
  enteredAt: string;
  /** The corrections that led to this value, oldest first; empty when never corrected. */
  corrections: MarkCorrectionStep[];
}

export interface WithdrawnMark {
  markId: number;
  lessonId: number;
  subjectId: number;
  date: IsoDate;
  workType: string;
  value: string;
  reason: string;
  withdrawnAt: string;
}

export interface MarkRowForFamily {
  id: number;
  lessonId: number;
  subjectId: number;
  date: Date;
  workType: string;
  weight: { toNumber(): number };
  value: string;
  comment: string | null;
  status: "ACTIVE" | "SUPERSEDED" | "VOIDED";
  supersedesId: number | null;
  correctionReason: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export const FAMILY_MARK_SELECT = {
  id: true,
  lessonId: true,
  subjectId: true,
  date: true,
  workType: true,
  weight: true,
  value: true,
  comment: true,
  status: true,
  supersedesId: true,
  correctionReason: true,
  createdAt: true,
  updatedAt: true,
} as const;

/** Marks of a student with dates in [from, to], all statuses (chains share their lesson's date). */
export function loadStudentMarks(
  db: DbOrTx,
  schoolId: number,
  studentId: number,
  from: Date,
  to: Date,
  subjectId?: number,
): Promise<MarkRowForFamily[]> {
  return db.mark.findMany({
    where: { schoolId, studentId, date: { gte: from, lte: to }, ...(subjectId ? { subjectId } : {}) },
    select: FAMILY_MARK_SELECT,
    orderBy: [{ date: "asc" }, { id: "asc" }],
  });
}

export interface DisplayOptions {
  /** Hide original marks younger than the grace period (family readers). */
  hideGraceBefore: Date | null;
}

export function displayMarks(
  rows: MarkRowForFamily[],
  opts: DisplayOptions,
): { marks: FamilyMark[]; withdrawn: WithdrawnMark[] } {
  const byId = new Map(rows.map((r) => [r.id, r]));
  const inGrace = (r: MarkRowForFamily) =>
    opts.hideGraceBefore !== null && r.supersedesId === null && r.createdAt > opts.hideGraceBefore;
  const marks: (FamilyMark & { order: number })[] = [];
  const withdrawn: WithdrawnMark[] = [];
  for (const r of rows) {
    if (r.status === "ACTIVE") {
      if (inGrace(r)) continue;
      const steps: MarkCorrectionStep[] = [];
      let cur = r;
      for (let i = 0; i < 100 && cur.supersedesId !== null; i++) {
        const prev = byId.get(cur.supersedesId);
        if (!prev) break;
        steps.unshift({
          from: prev.value,
          to: cur.value,
          reason: cur.correctionReason,
          at: cur.createdAt.toISOString(),
        });
        cur = prev;
      }
      marks.push({
        markId: r.id,
        lessonId: r.lessonId,
        subjectId: r.subjectId,
        date: toIsoDate(r.date),
        workType: r.workType,
        weight: r.weight.toNumber(),
        value: r.value,
        comment: r.comment,
        enteredAt: r.createdAt.toISOString(),
        corrections: steps,
        order: cur.id, // the first version's id: a corrected mark keeps its place
      });
    } else if (r.status === "VOIDED" && r.correctionReason !== null) {
      withdrawn.push({
        markId: r.id,
        lessonId: r.lessonId,
        subjectId: r.subjectId,
        date: toIsoDate(r.date),
        workType: r.workType,
        value: r.value,
        reason: r.correctionReason,
        withdrawnAt: r.updatedAt.toISOString(),
      });
    }
  }
  marks.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.order - b.order));
  return { marks: marks.map(({ order: _, ...m }) => m), withdrawn };
}
