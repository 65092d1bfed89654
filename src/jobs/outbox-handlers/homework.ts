// homework.created / homework.updated { homeworkId } → new homework always reaches families in the evening digest
// a guardian who turned on "homework at once" (Preference.alertHomework) also gets it at once: the
// homework's students (the whole class or subgroup on the lesson's date, or the chosen ones), their guardians
// of record with consent, after quiet hours.
import { z } from "zod";
import { toIsoDate } from "../../core/dates.ts";
import { rosterOf } from "../../core/journal/roster.ts";
import { getSchool } from "../../core/settings.ts";
import type { OutboxHandler, OutgoingMessage } from "../outbox/handler.ts";
import { displayDate } from "./format.ts";
import { quietHoursEnd } from "./quiet-hours.ts";
import { DEFAULT_ALERT_PREFERENCES } from "./recipients.ts";

const payloadSchema = z.object({ homeworkId: z.number().int().positive() });
const TEXT_MAX = 3000;

function homeworkHandler(kind: "homework.created" | "homework.updated"): OutboxHandler {
  return {
    kind,
    async isCurrent(db, ref) {
      return (await db.homework.count({ where: { id: Number(ref.homeworkId) } })) > 0;
    },
    async handle(row, { db, now }) {
      const { homeworkId } = payloadSchema.parse(row.payload);
      const hw = await db.homework.findUnique({
        where: { id: homeworkId },
        select: {
          id: true,
          schoolId: true,
          text: true,
          files: true,
          dueDate: true,
          studentIds: true,
          updatedAt: true,
          lesson: {
            select: {
              date: true,
              assignment: { select: { classId: true, subgroupId: true, subject: { select: { name: true } } } },
            },
          },
        },
      });
      if (!hw || hw.schoolId !== row.schoolId) return [];
      const a = hw.lesson.assignment;
      const roster = await rosterOf(
        db,
        { schoolId: hw.schoolId, classId: a.classId, subgroupId: a.subgroupId },
        toIsoDate(hw.lesson.date),
      );
      const students = hw.studentIds.length ? roster.filter((s) => hw.studentIds.includes(s.studentId)) : roster;
      if (students.length === 0) return [];
      const [guardianships, school] = await Promise.all([
        db.guardianship.findMany({
          where: {
            schoolId: hw.schoolId,
            studentId: { in: students.map((s) => s.studentId) },
            endedAt: null,
            consentGivenAt: { not: null },
            consentRevokedAt: null,
            guardian: { preference: { alertHomework: true } },
          },
          select: { studentId: true, guardianId: true, guardian: { select: { preference: true } } },
        }),
        getSchool(db, hw.schoolId),
      ]);
      const firstName = new Map(students.map((s) => [s.studentId, s.firstName]));
      const files = Array.isArray(hw.files) ? hw.files.length : 0;
      const text = hw.text.length > TEXT_MAX ? `${hw.text.slice(0, TEXT_MAX - 1)}…` : hw.text;
      const version = hw.updatedAt.getTime();
      return guardianships.map((g): OutgoingMessage => {
        const p = g.guardian.preference ?? DEFAULT_ALERT_PREFERENCES;
        return {
          dedupKey: `${kind}-${hw.id}-${version}-${g.guardianId}-${g.studentId}`,
          schoolId: hw.schoolId,
          personId: g.guardianId,
          kind,
          render: {
            key: kind === "homework.created" ? "notify:homework.created" : "notify:homework.updated",
            params: {
              child: firstName.get(g.studentId) ?? "",
              subject: a.subject.name,
              due: displayDate(toIsoDate(hw.dueDate)),
              text,
              files: files ? { $t: "notify:homework.files", defaultValue: "" } : "",
            },
          },
          notBefore: quietHoursEnd(school.timezone, p.quietFrom, p.quietTo, now),
          ref: { homeworkId: hw.id },
        };
      });
    },
  };
}

export const homeworkCreatedHandler = homeworkHandler("homework.created");
export const homeworkUpdatedHandler = homeworkHandler("homework.updated");
