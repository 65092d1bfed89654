// Class-level access: the class teacher and administration, teachers of the class for reading.
import type { AnyActor } from "../actor.ts";
import { forbidden } from "../errors.ts";
import type { DbOrTx } from "../tx.ts";
import { can } from "./permissions.ts";

export interface ClassAccess {
  classId: number;
  grade: number;
  name: string;
  isClassTeacher: boolean;
  teaches: boolean;
  administration: boolean;
}

export async function resolveClass(db: DbOrTx, actor: AnyActor, classId: number): Promise<ClassAccess | null> {
  if (!Number.isSafeInteger(classId) || classId <= 0) return null;
  const personId = actor.system ? -1 : actor.personId;
  const c = await db.classGroup.findFirst({
    where: { id: classId, schoolId: actor.schoolId },
    select: {
      id: true,
      grade: true,
      name: true,
      classTeacherId: true,
      assignments: { where: { teacherId: personId, endedAt: null }, select: { id: true }, take: 1 },
    },
  });
  if (!c) return null;
  return {
    classId: c.id,
    grade: c.grade,
    name: c.name,
    isClassTeacher: c.classTeacherId === personId,
    teaches: c.assignments.length > 0,
    administration: can(actor, "journal.read.all"),
  };
}

/** The class teacher of this class or the administration. */
export async function requireClassManage(db: DbOrTx, actor: AnyActor, classId: number): Promise<ClassAccess> {
  const access = await resolveClass(db, actor, classId);
  if (!access || !(access.isClassTeacher || access.administration)) throw forbidden({ classId });
  return access;
}

/** Anyone who teaches the class, its class teacher, or the administration. */
export async function requireClassRead(db: DbOrTx, actor: AnyActor, classId: number): Promise<ClassAccess> {
  const access = await resolveClass(db, actor, classId);
  if (!access || !(access.isClassTeacher || access.teaches || access.administration)) throw forbidden({ classId });
  return access;
}
