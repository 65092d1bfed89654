// Who receives a notice, resolved when it is sent: students enrolled in the target on the school's
// date, their guardians of record whose consent stands, and/or the students themselves. A student is
// included only when a guardian has given consent (R-09: no processing of a child's data without it).
import type { DbOrTx } from "../tx.ts";

export type AnnouncementScope = "CLASS" | "PARALLEL" | "SCHOOL";
export type Audience = "PARENTS" | "STUDENTS" | "BOTH";

export interface AnnouncementTarget {
  scope: AnnouncementScope;
  classId?: number;
  grade?: number;
}

export interface Recipient {
  personId: number;
  kind: "guardian" | "student";
}

const consented = { endedAt: null, consentGivenAt: { not: null }, consentRevokedAt: null } as const;

export async function resolveRecipients(
  db: DbOrTx,
  schoolId: number,
  target: AnnouncementTarget,
  audience: Audience,
  day: Date,
): Promise<Recipient[]> {
  const classFilter =
    target.scope === "CLASS"
      ? { classId: target.classId }
      : target.scope === "PARALLEL"
        ? { class: { grade: target.grade } }
        : {};
  const students = await db.student.findMany({
    where: {
      schoolId,
      OR: [{ leftAt: null }, { leftAt: { gt: day } }],
      enrollments: {
        some: { ...classFilter, fromDate: { lte: day }, OR: [{ toDate: null }, { toDate: { gt: day } }] },
      },
      guardians: { some: consented },
    },
    select: { personId: true, guardians: { where: consented, select: { guardianId: true } } },
    orderBy: { id: "asc" },
  });
  const out = new Map<number, Recipient>();
  for (const s of students) {
    if (audience !== "STUDENTS") {
      for (const g of s.guardians)
        if (!out.has(g.guardianId)) out.set(g.guardianId, { personId: g.guardianId, kind: "guardian" });
    }
    if (audience !== "PARENTS" && !out.has(s.personId)) out.set(s.personId, { personId: s.personId, kind: "student" });
  }
  return [...out.values()];
}
