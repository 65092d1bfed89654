// Who may read and write which lessons, decided for a whole list of lessons in one query.
import type { AnyActor } from "../actor.ts";
import { toIsoDate } from "../dates.ts";
import { forbidden } from "../errors.ts";
import type { DbOrTx } from "../tx.ts";
import { can } from "./permissions.ts";

export type LessonRole = "teacher" | "substitute" | "class-teacher" | "administration";

export interface LessonContext {
  lessonId: number;
  schoolId: number;
  assignmentId: number;
  teacherId: number;
  subjectId: number;
  classId: number;
  subgroupId: number | null;
  grade: number;
  date: string;
  slot: number;
  /** How the actor reaches the lesson; `write` is true only for its teacher or a granted substitute. */
  role: LessonRole;
  write: boolean;
}

/** Lessons of the actor's school that the actor may read, with whether they may write them. Unknown ids are absent. */
export async function resolveLessons(
  db: DbOrTx,
  actor: AnyActor,
  lessonIds: number[],
): Promise<Map<number, LessonContext>> {
  const out = new Map<number, LessonContext>();
  const ids = [...new Set(lessonIds)].filter((id) => Number.isSafeInteger(id) && id > 0);
  if (ids.length === 0) return out;
  const personId = actor.system ? -1 : actor.personId;
  const lessons = await db.lesson.findMany({
    where: { id: { in: ids }, schoolId: actor.schoolId },
    select: {
      id: true,
      schoolId: true,
      date: true,
      slot: true,
      assignment: {
        select: {
          id: true,
          teacherId: true,
          subjectId: true,
          classId: true,
          subgroupId: true,
          class: { select: { grade: true, classTeacherId: true } },
        },
      },
      substitutions: { where: { substituteId: personId, revokedAt: null }, select: { id: true } },
    },
  });
  const readAll = can(actor, "journal.read.all");
  for (const l of lessons) {
    const a = l.assignment;
    let role: LessonRole | undefined;
    let write = false;
    if (l.substitutions.length > 0) {
      role = "substitute";
      write = true;
    } else if (a.teacherId === personId && (actor.system || actor.roles.includes("TEACHER"))) {
      role = "teacher";
      write = true;
    } else if (a.class.classTeacherId === personId) role = "class-teacher";
    else if (readAll) role = "administration";
    if (!role) continue;
    out.set(l.id, {
      lessonId: l.id,
      schoolId: l.schoolId,
      assignmentId: a.id,
      teacherId: a.teacherId,
      subjectId: a.subjectId,
      classId: a.classId,
      subgroupId: a.subgroupId,
      grade: a.class.grade,
      date: toIsoDate(l.date),
      slot: l.slot,
      role,
      write,
    });
  }
  return out;
}

export async function requireLessonRead(db: DbOrTx, actor: AnyActor, lessonId: number): Promise<LessonContext> {
  const ctx = (await resolveLessons(db, actor, [lessonId])).get(lessonId);
  if (!ctx) throw forbidden({ lessonId });
  return ctx;
}

export async function requireLessonWrite(db: DbOrTx, actor: AnyActor, lessonId: number): Promise<LessonContext> {
  const ctx = await requireLessonRead(db, actor, lessonId);
  if (!ctx.write) throw forbidden({ lessonId });
  return ctx;
}
