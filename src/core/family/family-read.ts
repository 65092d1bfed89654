// The access check every family read starts with: the student themself, a guardian whose consent
// stands, or staff who may see the student (staff access is audited by requireStudentRead). Views by the family
// are written to the view log so the class teacher sees how regularly the diary is read.
import { requireStudentRead, type StudentReadReason } from "../access/students.ts";
import type { AnyActor } from "../actor.ts";
import type { DbOrTx } from "../tx.ts";

export type FamilyView = "day" | "marks" | "subject-marks" | "homework" | "timetable";

export interface FamilyReader {
  studentId: number;
  what: FamilyView;
  reason: StudentReadReason;
  /** The student or their guardian: marks still in their author's grace period are not shown yet. */
  family: boolean;
}

/** Access first: FORBIDDEN unless the actor may see the student. */
export async function familyAccess(
  db: DbOrTx,
  actor: AnyActor,
  studentId: number,
  what: FamilyView,
): Promise<FamilyReader> {
  const reason = await requireStudentRead(db, actor, studentId, `family.${what}`);
  return { studentId, what, reason, family: reason === "self" || reason === "guardian" };
}

/** After the input was accepted: a family's view goes to the view log. */
export async function logFamilyView(db: DbOrTx, actor: AnyActor, reader: FamilyReader): Promise<void> {
  if (!reader.family || actor.system) return;
  await db.viewLog.create({
    data: { schoolId: actor.schoolId, viewerId: actor.personId, studentId: reader.studentId, what: reader.what },
  });
}
