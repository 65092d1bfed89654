// Where the actor may post a notice: a class teacher to their own classes; the administration
// (announce.school) to the whole school or a parallel, and to any class.
import { can } from "../access/index.ts";
import type { AnyActor } from "../actor.ts";
import { requirePerson } from "../journal/common.ts";
import type { DbOrTx } from "../tx.ts";

export interface AnnounceTargets {
  /** Classes the actor leads this year. */
  classes: { classId: number; name: string }[];
  /** May post to the whole school and to parallels. */
  school: boolean;
  /** Grades that have classes this year (parallels), when `school`. */
  grades: number[];
}

export async function announceTargets(db: DbOrTx, actor: AnyActor): Promise<AnnounceTargets> {
  const personId = requirePerson(actor);
  const school = can(actor, "announce.school");
  const current = { schoolId: actor.schoolId, year: { closedAt: null } };
  const led = await db.classGroup.findMany({
    where: { ...current, classTeacherId: personId },
    select: { id: true, name: true },
  });
  const grades = school
    ? (await db.classGroup.findMany({ where: current, select: { grade: true }, distinct: ["grade"] }))
        .map((c) => c.grade)
        .sort((a, b) => a - b)
    : [];
  return {
    classes: led
      .map((c) => ({ classId: c.id, name: c.name }))
      .sort((a, b) => a.name.localeCompare(b.name, "ru", { numeric: true })),
    school,
    grades,
  };
}
