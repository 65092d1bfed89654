// The teachers a guardian may write to about a child: the child's class teacher and subject teachers.
import { z } from "zod";
import type { AnyActor } from "../actor.ts";
import { fromIsoDate } from "../dates.ts";
import { forbidden } from "../errors.ts";
import { idSchema, parseInput, requirePerson, schoolNow } from "../journal/common.ts";
import type { DbOrTx } from "../tx.ts";
import { type ChildTeachers, loadChildTeachers, requireConsentingGuardian } from "./child-teachers.ts";

export async function teachersOfChild(
  db: DbOrTx,
  actor: AnyActor,
  input: { studentId: number },
): Promise<ChildTeachers> {
  const personId = requirePerson(actor);
  const { studentId } = parseInput(z.object({ studentId: idSchema }).strict(), input);
  await requireConsentingGuardian(db, actor.schoolId, personId, studentId);
  const { local } = await schoolNow(db, actor.schoolId);
  const found = await loadChildTeachers(db, actor.schoolId, studentId, fromIsoDate(local.date));
  if (!found) throw forbidden({ studentId });
  return found;
}
