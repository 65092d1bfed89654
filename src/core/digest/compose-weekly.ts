// The weekly summary (issue 5 item 3): per subject, the marks of the week with their weighted average and the
// average of the period so far; the week's absences and lateness. Same grace-period rule as the diary.
// The batch version takes a fixed number of queries for any number of pairs.
import { z } from "zod";
import type { AnyActor } from "../actor.ts";
import { addDays, fromIsoDate, type IsoDate } from "../dates.ts";
import { displayMarks, FAMILY_MARK_SELECT, type MarkRowForFamily } from "../family/mark-display.ts";
import { roundAverage, weightedAverage } from "../grading/average.ts";
import { idSchema, isoDateSchema, parseInput } from "../journal/common.ts";
import { periodAt } from "../journal/periods.ts";
import { getSchool } from "../settings.ts";
import type { DbOrTx } from "../tx.ts";
import { requireSystemFor } from "./access.ts";
import { type ComposeOptions, groupBy, MAX_DIGEST_BATCH } from "./compose-daily.ts";
import { classesOn, eligiblePairs } from "./eligible-pairs.ts";
import type { DigestPair, WeeklySubject, WeeklySummary } from "./types.ts";

const mondaySchema = isoDateSchema.refine((d) => fromIsoDate(d).getUTCDay() === 1, { message: "not a Monday" });
const batchSchema = z.object({
  schoolId: idSchema,
  weekStart: mondaySchema,
  pairs: z.array(z.object({ guardianId: idSchema, studentId: idSchema })).max(MAX_DIGEST_BATCH),
});
const oneSchema = z.object({ schoolId: idSchema, guardianId: idSchema, studentId: idSchema, weekStart: mondaySchema });

export async function composeWeeklySummary(
  db: DbOrTx,
  actor: AnyActor,
  input: { schoolId: number; guardianId: number; studentId: number; weekStart: IsoDate },
  opts: ComposeOptions = {},
): Promise<WeeklySummary | null> {
  requireSystemFor(actor, Number(input?.schoolId));
  const { schoolId, guardianId, studentId, weekStart } = parseInput(oneSchema, input);
  const [s] = await composeWeeklySummaries(
    db,
    actor,
    { schoolId, weekStart, pairs: [{ guardianId, studentId }] },
    opts,
  );
  return s ?? null;
}

export async function composeWeeklySummaries(
  db: DbOrTx,
  actor: AnyActor,
  input: { schoolId: number; weekStart: IsoDate; pairs: DigestPair[] },
  opts: ComposeOptions = {},
): Promise<WeeklySummary[]> {
  requireSystemFor(actor, Number(input?.schoolId));
  const { schoolId, weekStart, pairs } = parseInput(batchSchema, input);
  if (pairs.length === 0) return [];
  const school = opts.school?.id === schoolId ? opts.school : await getSchool(db, schoolId);
  const now = opts.now ?? new Date();
  const weekEnd = addDays(weekStart, 6);
  const pairsOk = await eligiblePairs(db, schoolId, weekEnd, pairs);
  if (pairsOk.length === 0) return [];
  const studentIds = [...new Set(pairsOk.map((p) => p.studentId))];
  const [classOf, period] = await Promise.all([
    classesOn(db, schoolId, studentIds, weekEnd),
    periodAt(db, schoolId, weekEnd),
  ]);
  const periodFrom = period && period.startsOn < weekStart ? period.startsOn : weekStart;
  const [markRows, attendance, subjects] = await Promise.all([
    db.mark.findMany({
      where: {
        schoolId,
        studentId: { in: studentIds },
        date: { gte: fromIsoDate(periodFrom), lte: fromIsoDate(weekEnd) },
      },
      select: { ...FAMILY_MARK_SELECT, studentId: true },
      orderBy: [{ date: "asc" }, { id: "asc" }],
    }),
    db.attendance.groupBy({
      by: ["studentId", "status", "reason"],
      where: {
        schoolId,
        studentId: { in: studentIds },
        date: { gte: fromIsoDate(weekStart), lte: fromIsoDate(weekEnd) },
      },
      _count: { _all: true },
    }),
    db.subject.findMany({ where: { schoolId }, select: { id: true, name: true } }),
  ]);
  const subjectName = new Map(subjects.map((s) => [s.id, s.name]));
  const graceCut = new Date(now.getTime() - school.settings.graceMinutes * 60_000);
  const marksOf = groupBy(markRows, (m) => m.studentId);
  const attendanceOf = groupBy(attendance, (a) => a.studentId);

  const perStudent = new Map<number, Omit<WeeklySummary, "guardianId">>();
  const build = (studentId: number, p: { lastName: string; firstName: string }): Omit<WeeklySummary, "guardianId"> => {
    const { marks } = displayMarks((marksOf.get(studentId) ?? []) as MarkRowForFamily[], { hideGraceBefore: graceCut });
    const bySubject = groupBy(marks, (m) => m.subjectId);
    const list: WeeklySubject[] = [...bySubject.entries()]
      .map(([subjectId, all]) => {
        const week = all.filter((m) => m.date >= weekStart && m.date <= weekEnd);
        const inPeriod = period ? all.filter((m) => m.date >= period.startsOn) : week;
        const wa = weightedAverage(week);
        const pa = weightedAverage(inPeriod);
        return {
          subjectId,
          subjectName: subjectName.get(subjectId) ?? "",
          weekMarks: week.map((m) => m.value),
          weekAverage: wa === null ? null : roundAverage(wa, 2),
          periodAverage: pa === null ? null : roundAverage(pa, 2),
        };
      })
      .filter((s) => s.weekMarks.length > 0 || s.periodAverage !== null)
      .sort((a, b) => a.subjectName.localeCompare(b.subjectName, "ru"));
    const absences = { absent: 0, late: 0, illness: 0, excused: 0, unexcused: 0 };
    for (const a of attendanceOf.get(studentId) ?? []) {
      const n = a._count._all;
      if (a.status === "LATE") absences.late += n;
      else {
        absences.absent += n;
        if (a.reason === "ILLNESS") absences.illness += n;
        else if (a.reason === "EXCUSED") absences.excused += n;
        else if (a.reason === "UNEXCUSED") absences.unexcused += n;
      }
    }
    const cls = classOf.get(studentId) ?? null;
    return {
      schoolId,
      studentId,
      weekStart,
      weekEnd,
      student: { studentId, lastName: p.lastName, firstName: p.firstName, className: cls?.name ?? null },
      period: period
        ? { kind: period.kind, number: period.number, startsOn: period.startsOn, endsOn: period.endsOn }
        : null,
      subjects: list,
      absences,
      empty: list.every((s) => s.weekMarks.length === 0) && absences.absent + absences.late === 0,
    };
  };
  return pairsOk.map((p) => {
    let s = perStudent.get(p.studentId);
    if (!s) {
      s = build(p.studentId, p);
      perStudent.set(p.studentId, s);
    }
    return { ...s, guardianId: p.guardianId };
  });
}
