// R-16 reminders: teachers who still miss term marks are reminded `termGradeReminderDaysBefore` days before a
// period ends ("before") and once it has ended, until its deadline ("after"). An hourly scan per school writes one
// outbox row per period and stage (from 09:00 school time, never twice); the handler re-reads who still misses
// marks at send time and tells each teacher their classes and subjects.
import { z } from "zod";
import { systemActor } from "../../core/actor.ts";
import { addDays, fromIsoDate, localMoment, timeToMinutes, toIsoDate } from "../../core/dates.ts";
import { periodInfo } from "../../core/journal/periods.ts";
import { termGradeDeadline, termGradeDeadlines } from "../../core/journal/term-grades.ts";
import { getSchool } from "../../core/settings.ts";
import type { Db } from "../../core/tx.ts";
import type { OutboxHandler, OutgoingMessage } from "../outbox/handler.ts";
import { displayDate } from "../outbox-handlers/format.ts";

export const TERM_REMINDER_KIND = "term-grade.reminder";
/** Reminders are written from this school time on (not in the night). */
export const TERM_REMINDER_FROM = "09:00";

export type ReminderStage = "before" | "after";

const payloadSchema = z.object({ periodId: z.number().int().positive(), stage: z.enum(["before", "after"]) });

/** Which reminder is due for a period today (school date), if any. */
export function reminderStage(
  today: string,
  period: { startsOn: string; endsOn: string },
  settings: { termGradeReminderDaysBefore: number; termGradeDeadlineDays: number },
): ReminderStage | null {
  const deadline = addDays(period.endsOn, settings.termGradeDeadlineDays);
  const before = addDays(period.endsOn, -settings.termGradeReminderDaysBefore);
  if (today > period.endsOn && today <= deadline) return "after";
  if (today >= before && today <= period.endsOn && today >= period.startsOn) return "before";
  return null;
}

/** One scan of a school: the outbox rows of the reminders due now that were not written yet. */
export async function scanTermReminders(db: Db, schoolId: number, now: Date): Promise<{ written: number }> {
  const school = await getSchool(db, schoolId);
  const local = localMoment(school.timezone, now);
  if (local.minutes < timeToMinutes(TERM_REMINDER_FROM)) return { written: 0 };
  const today = fromIsoDate(local.date);
  const periods = await db.period.findMany({
    where: {
      schoolId,
      closedAt: null,
      endsOn: { gte: fromIsoDate(addDays(local.date, -school.settings.termGradeDeadlineDays)) },
      startsOn: { lte: today },
    },
    select: { id: true, startsOn: true, endsOn: true },
  });
  let written = 0;
  for (const p of periods) {
    const stage = reminderStage(
      local.date,
      { startsOn: toIsoDate(p.startsOn), endsOn: toIsoDate(p.endsOn) },
      school.settings,
    );
    if (!stage) continue;
    const payload = { periodId: p.id, stage };
    written += await db.$transaction(async (tx) => {
      // one writer per school at a time, so two scans never both find "not written yet"
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(7003::int, ${schoolId}::int)`;
      const exists = await tx.outbox.findFirst({
        where: { schoolId, kind: TERM_REMINDER_KIND, payload: { equals: payload } },
        select: { id: true },
      });
      if (exists) return 0;
      await tx.outbox.create({ data: { schoolId, kind: TERM_REMINDER_KIND, payload } });
      return 1;
    });
  }
  return { written };
}

export const termReminderHandler: OutboxHandler = {
  kind: TERM_REMINDER_KIND,
  async handle(row, { db, now }) {
    const { periodId, stage } = payloadSchema.parse(row.payload);
    const p = await db.period.findFirst({
      where: { id: periodId, schoolId: row.schoolId },
      select: { id: true, yearId: true, kind: true, number: true, startsOn: true, endsOn: true, closedAt: true },
    });
    if (!p || p.closedAt) return [];
    const period = periodInfo(p);
    const school = await getSchool(db, row.schoolId);
    const gaps = await termGradeDeadlines(db as Db, systemActor(row.schoolId), { periodId }, { now });
    const byTeacher = new Map<number, string[]>();
    for (const g of gaps.assignments) {
      const list = byTeacher.get(g.teacherId) ?? [];
      list.push(`${g.className} ${g.subjectName} (${g.missing}/${g.students})`);
      byTeacher.set(g.teacherId, list);
    }
    const linked = await db.messengerAccount.findMany({
      where: { schoolId: row.schoolId, personId: { in: [...byTeacher.keys()] }, blockedAt: null },
      select: { personId: true },
      distinct: ["personId"],
    });
    const deadline = displayDate(termGradeDeadline(period, school.settings));
    return linked
      .sort((a, b) => a.personId - b.personId)
      .map(
        (t): OutgoingMessage => ({
          dedupKey: `term-grade.reminder-${p.id}-${stage}-${t.personId}`,
          schoolId: row.schoolId,
          personId: t.personId,
          kind: TERM_REMINDER_KIND,
          render: {
            key: `term-grades:reminder.${stage}`,
            params: {
              context: p.kind,
              number: p.number,
              end: displayDate(period.endsOn),
              deadline,
              list: (byTeacher.get(t.personId) ?? []).join(", "),
            },
          },
        }),
      );
  },
};
