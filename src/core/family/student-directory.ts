// The students of the school for staff who may read any of them: the psychologist and the social
// pedagogue by default, the administration, and any role a school gives the right. They find a student by
// class and open the same diary views a family sees. Opening a student is recorded as a staff access; every view
// behind it records its own (familyAccess).

import { z } from "zod";
import { can, logStaffAccess, resolveStudents } from "../access/index.ts";
import { fullNameOf } from "../accounts/describe-person.ts";
import type { AnyActor } from "../actor.ts";
import type { IsoDate } from "../dates.ts";
import { fromIsoDate, toIsoDate } from "../dates.ts";
import { forbidden } from "../errors.ts";
import { idSchema, parseInput, schoolNow } from "../journal/common.ts";
import { type ClassRef, classStudentsOn, currentClasses, type StudentRef } from "../school-year/students-read.ts";
import type { DbOrTx } from "../tx.ts";

/** Whether the actor may browse every student of the school. */
export function readsAllStudents(actor: AnyActor): boolean {
  return can(actor, "student.read.all") || can(actor, "journal.read.all");
}

function requireDirectory(actor: AnyActor): void {
  if (!readsAllStudents(actor)) throw forbidden({ permission: "student.read.all" });
}

export async function directoryClasses(db: DbOrTx, actor: AnyActor): Promise<{ today: IsoDate; classes: ClassRef[] }> {
  requireDirectory(actor);
  return currentClasses(db, actor.schoolId);
}

export async function directoryClass(
  db: DbOrTx,
  actor: AnyActor,
  input: { classId: number },
): Promise<{ classId: number; name: string; students: StudentRef[] }> {
  requireDirectory(actor);
  return classStudentsOn(db, actor.schoolId, input);
}

export interface StudentHeading {
  studentId: number;
  /** Surname, first name and patronymic. */
  name: string;
  classId: number | null;
  className: string | null;
  /** The day the student left the school, if they did. */
  leftAt: IsoDate | null;
}

/**
 * Who the student is and their class today, for anyone who may see the student (FORBIDDEN otherwise). With
 * `record`, a staff reader's look is written to the audit trail: the student's page; the diary views
 * pass false, as they record themselves.
 */
export async function studentHeading(
  db: DbOrTx,
  actor: AnyActor,
  input: { studentId: number },
  options: { record: boolean },
): Promise<StudentHeading> {
  const { studentId } = parseInput(z.object({ studentId: idSchema }), input);
  const reason = (await resolveStudents(db, actor, [studentId])).get(studentId);
  if (!reason) throw forbidden({ studentId });
  if (options.record && reason === "staff" && !actor.system) await logStaffAccess(db, actor, [studentId], "page");
  const { local } = await schoolNow(db, actor.schoolId);
  const at = fromIsoDate(local.date);
  const s = await db.student.findFirstOrThrow({
    where: { id: studentId, schoolId: actor.schoolId },
    select: {
      leftAt: true,
      person: { select: { lastName: true, firstName: true, middleName: true } },
      enrollments: {
        where: { fromDate: { lte: at }, OR: [{ toDate: null }, { toDate: { gt: at } }] },
        select: { classId: true, class: { select: { name: true } } },
        take: 1,
      },
    },
  });
  const e = s.enrollments[0];
  return {
    studentId,
    name: fullNameOf(s.person),
    classId: e?.classId ?? null,
    className: e?.class.name ?? null,
    leftAt: s.leftAt ? toIsoDate(s.leftAt) : null,
  };
}
