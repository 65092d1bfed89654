// Substitutions: the administration grants a lesson to another teacher of the school, who then writes
// that lesson only; the grant and its revocation are audited with who granted it.
import { z } from "zod";
import { requirePermission } from "../access/index.ts";
import type { AnyActor } from "../actor.ts";
import { appendAudit } from "../audit.ts";
import { fromIsoDate, type IsoDate } from "../dates.ts";
import { forbidden, invalid } from "../errors.ts";
import { enqueueOutbox } from "../outbox.ts";
import type { Db, DbOrTx } from "../tx.ts";
import { type ClockOptions, fullName, idSchema, isoDateSchema, parseInput, schoolNow } from "./common.ts";
import { bellsOf, type LessonItem, lessonItem, lessonListSelect, lockLesson } from "./lessons.ts";

export interface SubstitutionResult {
  substitutionId: number;
  lessonId: number;
  substituteId: number;
  grantedById: number | null;
  createdAt: string;
  /** False when this substitute already held the lesson. */
  changed: boolean;
  /** The grant this one replaced, if another teacher held the lesson. */
  replacedId: number | null;
}

const grantInput = z.object({ lessonId: idSchema, substituteId: idSchema }).strict();

export async function grantSubstitution(
  db: Db,
  actor: AnyActor,
  input: { lessonId: number; substituteId: number },
): Promise<SubstitutionResult> {
  const q = parseInput(grantInput, input);
  requirePermission(actor, "substitution.grant");
  const lesson = await db.lesson.findFirst({
    where: { id: q.lessonId, schoolId: actor.schoolId },
    select: { id: true, assignment: { select: { teacherId: true } } },
  });
  if (!lesson) throw forbidden({ lessonId: q.lessonId });
  const teacher = await db.staffRole.findFirst({
    where: { personId: q.substituteId, schoolId: actor.schoolId, role: "TEACHER" },
    select: { id: true },
  });
  if (!teacher) throw invalid({ field: "substituteId", reason: "not a teacher of the school" });
  if (lesson.assignment.teacherId === q.substituteId) throw invalid({ field: "substituteId", reason: "own lesson" });
  const grantedById = actor.system ? null : actor.personId;
  if (grantedById === null) throw forbidden({ grantedBy: null }); // a grant names the person who made it
  return db.$transaction(async (tx) => {
    await lockLesson(tx, q.lessonId);
    const active = await tx.substitution.findMany({
      where: { lessonId: q.lessonId, revokedAt: null },
      select: { id: true, substituteId: true, grantedById: true, createdAt: true },
    });
    const same = active.find((s) => s.substituteId === q.substituteId);
    if (same && active.length === 1) {
      return {
        substitutionId: same.id,
        lessonId: q.lessonId,
        substituteId: q.substituteId,
        grantedById: same.grantedById,
        createdAt: same.createdAt.toISOString(),
        changed: false,
        replacedId: null,
      };
    }
    const now = new Date();
    if (active.length > 0) {
      await tx.substitution.updateMany({ where: { id: { in: active.map((s) => s.id) } }, data: { revokedAt: now } });
    }
    const sub = await tx.substitution.create({
      data: { schoolId: actor.schoolId, lessonId: q.lessonId, substituteId: q.substituteId, grantedById },
      select: { id: true, createdAt: true },
    });
    const replacedId = active[0]?.id ?? null;
    await appendAudit(tx, actor, [
      ...active.map((s) => ({
        action: "substitution.revoke",
        entity: "Substitution",
        entityId: s.id,
        data: { lessonId: q.lessonId, substituteId: s.substituteId, revokedBy: grantedById, replacedBy: sub.id },
      })),
      {
        action: "substitution.grant",
        entity: "Substitution",
        entityId: sub.id,
        data: { lessonId: q.lessonId, substituteId: q.substituteId, grantedBy: grantedById },
      },
    ]);
    await enqueueOutbox(tx, actor.schoolId, { kind: "substitution.granted", payload: { substitutionId: sub.id } });
    return {
      substitutionId: sub.id,
      lessonId: q.lessonId,
      substituteId: q.substituteId,
      grantedById,
      createdAt: sub.createdAt.toISOString(),
      changed: true,
      replacedId,
    };
  });
}

export async function revokeSubstitution(
  db: Db,
  actor: AnyActor,
  input: { substitutionId: number },
): Promise<{ substitutionId: number; changed: boolean }> {
  const { substitutionId } = parseInput(z.object({ substitutionId: idSchema }).strict(), input);
  requirePermission(actor, "substitution.grant");
  const sub = await db.substitution.findFirst({
    where: { id: substitutionId, schoolId: actor.schoolId },
    select: { id: true, lessonId: true, substituteId: true },
  });
  if (!sub) throw forbidden({ substitutionId });
  return db.$transaction(async (tx) => {
    const res = await tx.substitution.updateMany({
      where: { id: substitutionId, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    if (res.count === 0) return { substitutionId, changed: false };
    await appendAudit(tx, actor, {
      action: "substitution.revoke",
      entity: "Substitution",
      entityId: substitutionId,
      data: { lessonId: sub.lessonId, substituteId: sub.substituteId, revokedBy: actor.system ? null : actor.personId },
    });
    return { substitutionId, changed: true };
  });
}

export interface SchoolLesson extends LessonItem {
  teacherId: number;
  teacherName: string;
  substitutionId: number | null;
  substituteId: number | null;
  substituteName: string | null;
}

/** Every lesson of the school on a day, for the deputy to pick the one to hand over. */
export async function schoolLessonsOn(
  db: DbOrTx,
  actor: AnyActor,
  input: { date: IsoDate },
  opts: ClockOptions = {},
): Promise<{ date: IsoDate; lessons: SchoolLesson[] }> {
  const { date } = parseInput(z.object({ date: isoDateSchema }).strict(), input);
  requirePermission(actor, "journal.read.all");
  const [{ local }, rows, bells] = await Promise.all([
    schoolNow(db, actor.schoolId, opts),
    db.lesson.findMany({
      where: { schoolId: actor.schoolId, date: fromIsoDate(date) },
      select: lessonListSelect,
      orderBy: [{ slot: "asc" }, { id: "asc" }],
    }),
    bellsOf(db, actor.schoolId),
  ]);
  return {
    date,
    lessons: rows
      .map((l) => {
        const sub = l.substitutions[0];
        return {
          ...lessonItem(l, bells, local, -1),
          teacherId: l.assignment.teacherId,
          teacherName: fullName(l.assignment.teacher),
          substitutionId: sub?.id ?? null,
          substituteId: sub?.substituteId ?? null,
          substituteName: sub ? fullName(sub.substitute) : null,
        };
      })
      .sort((a, b) => a.slot - b.slot || a.className.localeCompare(b.className, "ru")),
  };
}

export interface SubstituteCandidate {
  personId: number;
  name: string;
  /** Already teaching (own or substituted) at that date and bell. */
  busy: boolean;
}

/** Teachers of the school who could take the lesson, free ones first. */
export async function substituteCandidates(
  db: DbOrTx,
  actor: AnyActor,
  input: { lessonId: number },
): Promise<{ lessonId: number; candidates: SubstituteCandidate[] }> {
  const { lessonId } = parseInput(z.object({ lessonId: idSchema }).strict(), input);
  requirePermission(actor, "substitution.grant");
  const lesson = await db.lesson.findFirst({
    where: { id: lessonId, schoolId: actor.schoolId },
    select: { date: true, slot: true, assignment: { select: { teacherId: true } } },
  });
  if (!lesson) throw forbidden({ lessonId });
  const [teachers, busyLessons] = await Promise.all([
    db.person.findMany({
      where: {
        schoolId: actor.schoolId,
        staffRoles: { some: { role: "TEACHER" } },
        id: { not: lesson.assignment.teacherId },
      },
      select: { id: true, lastName: true, firstName: true },
    }),
    db.lesson.findMany({
      where: { schoolId: actor.schoolId, date: lesson.date, slot: lesson.slot, status: { not: "CANCELLED" } },
      select: {
        assignment: { select: { teacherId: true } },
        substitutions: { where: { revokedAt: null }, select: { substituteId: true } },
      },
    }),
  ]);
  const busy = new Set<number>();
  for (const l of busyLessons) {
    if (l.substitutions.length > 0) for (const s of l.substitutions) busy.add(s.substituteId);
    else busy.add(l.assignment.teacherId);
  }
  return {
    lessonId,
    candidates: teachers
      .map((t) => ({ personId: t.id, name: fullName(t), busy: busy.has(t.id) }))
      .sort((a, b) => Number(a.busy) - Number(b.busy) || a.name.localeCompare(b.name, "ru")),
  };
}
