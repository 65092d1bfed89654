// Shared by mark.created and mark.corrected: loading a mark with what its alert shows, who wants to hear
// about a new mark, and recording that a mark was announced (so a later correction is shown as one).
import { localMoment, toIsoDate } from "../../core/dates.ts";
import { FAIL, NOT_ATTESTED } from "../../core/grading/mark-values.ts";
import { getSchool, type SchoolInfo } from "../../core/settings.ts";
import type { Db, DbOrTx } from "../../core/tx.ts";
import type { OutgoingMessage } from "../outbox/handler.ts";
import { displayDate, translated } from "./format.ts";
import { quietHoursEnd } from "./quiet-hours.ts";
import { type AlertPreferences, guardiansOf } from "./recipients.ts";

export async function loadMark(db: DbOrTx, id: number) {
  return db.mark.findUnique({
    where: { id },
    select: {
      id: true,
      schoolId: true,
      studentId: true,
      date: true,
      value: true,
      workType: true,
      status: true,
      correctionReason: true,
      announcedAt: true,
      supersedes: { select: { announcedAt: true } },
      subject: { select: { name: true } },
      student: { select: { person: { select: { firstName: true } } } },
    },
  });
}
export type LoadedMark = NonNullable<Awaited<ReturnType<typeof loadMark>>>;

/** A low mark: a numeric mark below the guardian's threshold, or a fail (not attested, or a failed pass/fail). */
export function isLowMark(value: string, threshold: number): boolean {
  if (/^\d+$/.test(value)) return Number(value) < threshold;
  return value === NOT_ATTESTED || value === FAIL;
}

export function wantsMarkAlert(prefs: AlertPreferences, value: string): boolean {
  return prefs.alertEveryMark || (prefs.alertLowMark && isLowMark(value, prefs.lowMarkThreshold));
}

export function markParams(mark: LoadedMark, school: SchoolInfo, now: Date) {
  const date = toIsoDate(mark.date);
  return {
    past: date < localMoment(school.timezone, now).date,
    params: {
      child: mark.student.person.firstName,
      subject: mark.subject.name,
      date: displayDate(date),
      value: mark.value,
      workType: translated(`notify:workTypes.${mark.workType}`, mark.workType),
    },
  };
}

/** Send-time checks of a mark's alert: still the current mark; once delivered, the mark counts as announced. */
export const markAlertChecks = {
  async isCurrent(db: Db, ref: Record<string, unknown>) {
    const mark = await db.mark.findUnique({ where: { id: Number(ref.markId) }, select: { status: true } });
    return mark?.status === "ACTIVE";
  },
  async afterSend(db: Db, ref: Record<string, unknown>, sentAt: Date) {
    await db.mark.updateMany({ where: { id: Number(ref.markId), announcedAt: null }, data: { announcedAt: sentAt } });
  },
};

/** The alerts of a new mark for the guardians who asked for them. */
export async function newMarkMessages(db: DbOrTx, mark: LoadedMark, now: Date): Promise<OutgoingMessage[]> {
  const school = await getSchool(db, mark.schoolId);
  const { past, params } = markParams(mark, school, now);
  const guardians = await guardiansOf(db, mark.schoolId, mark.studentId);
  return guardians
    .filter((g) => wantsMarkAlert(g.prefs, mark.value))
    .map((g) => ({
      dedupKey: `mark.created-${mark.id}-${g.personId}`,
      schoolId: mark.schoolId,
      personId: g.personId,
      kind: "mark.created",
      render: { key: past ? "notify:mark.past" : "notify:mark.today", params },
      notBefore: quietHoursEnd(school.timezone, g.prefs.quietFrom, g.prefs.quietTo, now),
      ref: { markId: mark.id },
    }));
}
