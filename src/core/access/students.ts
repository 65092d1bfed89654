// Who may see which students (R-01..R-06, R-09, R-10), decided for a whole list in a few queries.
import type { AnyActor } from "../actor.ts";
import { forbidden } from "../errors.ts";
import type { DbOrTx } from "../tx.ts";
import { logAccess } from "./access-log.ts";
import { can } from "./permissions.ts";

/**
 * Why the actor may see the student. Family and the student's own teachers are the ordinary readers;
 * "staff" (administration, psychologist, ...) is an access that the audit trail records.
 */
export type StudentReadReason = "self" | "guardian" | "class-teacher" | "teacher" | "staff";

export async function resolveStudents(
  db: DbOrTx,
  actor: AnyActor,
  studentIds: number[],
  at: Date = new Date(),
): Promise<Map<number, StudentReadReason>> {
  const out = new Map<number, StudentReadReason>();
  const ids = [...new Set(studentIds)].filter((id) => Number.isSafeInteger(id) && id > 0);
  if (ids.length === 0) return out;
  const personId = actor.system ? -1 : actor.personId;
  const students = await db.student.findMany({
    where: { id: { in: ids }, schoolId: actor.schoolId },
    select: {
      id: true,
      personId: true,
      // a guardian reads only while their consent stands
      guardians: {
        where: { guardianId: personId, consentGivenAt: { not: null }, consentRevokedAt: null, endedAt: null },
        select: { id: true },
      },
      enrollments: {
        where: { fromDate: { lte: at }, OR: [{ toDate: null }, { toDate: { gt: at } }] },
        select: {
          classId: true,
          class: {
            select: {
              classTeacherId: true,
              assignments: { where: { teacherId: personId, endedAt: null }, select: { subgroupId: true } },
            },
          },
        },
      },
      subgroups: {
        where: { fromDate: { lte: at }, OR: [{ toDate: null }, { toDate: { gt: at } }] },
        select: { subgroupId: true },
      },
    },
  });
  const staffRead = can(actor, "student.read.all") || can(actor, "journal.read.all");
  for (const s of students) {
    let reason: StudentReadReason | undefined;
    if (s.personId === personId) reason = "self";
    else if (s.guardians.length > 0) reason = "guardian";
    else if (s.enrollments.some((e) => e.class.classTeacherId === personId)) reason = "class-teacher";
    else {
      const mySubgroups = new Set(s.subgroups.map((g) => g.subgroupId));
      const teaches = s.enrollments.some((e) =>
        e.class.assignments.some((a) => a.subgroupId === null || mySubgroups.has(a.subgroupId)),
      );
      if (teaches) reason = "teacher";
      else if (staffRead) reason = "staff";
    }
    if (reason) out.set(s.id, reason);
  }
  return out;
}

/** Throws FORBIDDEN unless the actor may see the student; records the access when it is a staff access. */
export async function requireStudentRead(
  db: DbOrTx,
  actor: AnyActor,
  studentId: number,
  what: string,
): Promise<StudentReadReason> {
  const reason = (await resolveStudents(db, actor, [studentId])).get(studentId);
  if (!reason) throw forbidden({ studentId });
  if (reason === "staff" && !actor.system) await logStaffAccess(db, actor, [studentId], what);
  return reason;
}

/** access to a student's data by someone outside the family and the student's teachers is logged. */
export function logStaffAccess(db: DbOrTx, actor: AnyActor, studentIds: number[], what: string): Promise<void> {
  return logAccess(
    db,
    actor,
    studentIds.map((entityId) => ({ entity: "Student", entityId, what })),
  );
}
