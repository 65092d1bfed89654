// The actor of an authenticated person: their school and staff roles. Derived roles (class teacher, guardian,
// student, teacher of an assignment) are decided by core/access against the data, not carried here.
import type { Actor, StaffRole } from "../actor.ts";
import { notFound } from "../errors.ts";
import type { DbOrTx } from "../tx.ts";

export async function actorForPerson(db: DbOrTx, personId: number): Promise<Actor> {
  const person = await db.person.findUnique({
    where: { id: personId },
    select: { id: true, schoolId: true, staffRoles: { select: { role: true }, orderBy: { role: "asc" } } },
  });
  if (!person) throw notFound({ personId });
  return { personId: person.id, schoolId: person.schoolId, roles: person.staffRoles.map((r) => r.role as StaffRole) };
}
