// term-grade.set { termGradeId } → the guardians who hear about the child (consent, linked) and kept
// Preference.alertTermGrade on get the term (or year) mark as news; a changed mark reads as a change
// ("changed: 4 → 5"), never silently. Re-read at send time: a mark changed again since is told once, as it is now.
import { z } from "zod";
import { EXEMPT, FAIL, NOT_ATTESTED, PASS } from "../../core/grading/mark-values.ts";
import { getSchool } from "../../core/settings.ts";
import type { DbOrTx } from "../../core/tx.ts";
import type { OutboxHandler, OutgoingMessage } from "../outbox/handler.ts";
import { translated } from "../outbox-handlers/format.ts";
import { quietHoursEnd } from "../outbox-handlers/quiet-hours.ts";
import { guardiansOf } from "../outbox-handlers/recipients.ts";

export const TERM_GRADE_SET_KIND = "term-grade.set";

const payloadSchema = z.object({ termGradeId: z.number().int().positive() });

const CODE_OF: Record<string, string> = { [NOT_ATTESTED]: "na", [EXEMPT]: "osv", [PASS]: "pass", [FAIL]: "fail" };
const valueCode = (value: string) => CODE_OF[value] ?? value;

/** A value as the reader's language shows it (the Russian "not attested" → n/a); numbers as they are. */
function valueParam(value: string) {
  const code = valueCode(value);
  return code === value ? value : translated(`term-grades:value.${code}`, value);
}

/** The value families were last told before this one: the latest audit event's `old`, when it had one. */
async function previousValue(db: DbOrTx, schoolId: number, termGradeId: number): Promise<string | null> {
  const last = await db.auditEvent.findFirst({
    where: { schoolId, action: "term-grade.set", entity: "TermGrade", entityId: String(termGradeId) },
    orderBy: { id: "desc" },
    select: { data: true },
  });
  const old = (last?.data as { old?: unknown } | null)?.old;
  return typeof old === "string" ? old : null;
}

async function alertsOff(db: DbOrTx, personIds: number[]): Promise<Set<number>> {
  if (personIds.length === 0) return new Set();
  const rows = await db.preference.findMany({
    where: { personId: { in: personIds }, alertTermGrade: false },
    select: { personId: true },
  });
  return new Set(rows.map((r) => r.personId));
}

export const termGradeSetHandler: OutboxHandler = {
  kind: TERM_GRADE_SET_KIND,
  async handle(row, { db, now }) {
    const { termGradeId } = payloadSchema.parse(row.payload);
    const g = await db.termGrade.findUnique({
      where: { id: termGradeId },
      select: {
        id: true,
        schoolId: true,
        studentId: true,
        value: true,
        updatedAt: true,
        subject: { select: { name: true } },
        student: { select: { person: { select: { firstName: true } } } },
        period: { select: { kind: true, number: true } },
      },
    });
    if (!g || g.schoolId !== row.schoolId) return [];
    const [school, guardians, previous] = await Promise.all([
      getSchool(db, row.schoolId),
      guardiansOf(db, row.schoolId, g.studentId),
      previousValue(db, row.schoolId, g.id),
    ]);
    const off = await alertsOff(
      db,
      guardians.map((x) => x.personId),
    );
    // One message per version of the mark: two quick changes dispatched together are told once, as it is now.
    const version = g.updatedAt.getTime();
    return guardians
      .filter((x) => !off.has(x.personId))
      .map(
        (x): OutgoingMessage => ({
          dedupKey: `term-grade.set-${g.id}-${version}-${x.personId}`,
          schoolId: row.schoolId,
          personId: x.personId,
          kind: TERM_GRADE_SET_KIND,
          render: {
            key: previous ? "term-grades:notify.changed" : "term-grades:notify.set",
            params: {
              context: g.period.kind,
              number: g.period.number,
              child: g.student.person.firstName,
              subject: g.subject.name,
              value: valueParam(g.value),
              ...(previous ? { from: valueParam(previous) } : {}),
            },
          },
          notBefore: quietHoursEnd(school.timezone, x.prefs.quietFrom, x.prefs.quietTo, now),
        }),
      );
  },
};
