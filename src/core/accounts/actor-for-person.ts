// The actor of an authenticated person: their school and staff roles. Derived roles (class teacher, guardian,
// student, teacher of an assignment) are decided by core/access against the data, not carried here.
import { permissionsFor, type RolePermissionOverrides } from "../access/permissions.ts";
import type { Actor, StaffRole } from "../actor.ts";
import { notFound } from "../errors.ts";
import { settingsSchema } from "../settings.ts";
import type { DbOrTx } from "../tx.ts";

export async function actorForPerson(db: DbOrTx, personId: number): Promise<Actor> {
  const person = await db.person.findUnique({
    where: { id: personId },
    select: {
      id: true,
      schoolId: true,
      school: { select: { settings: true } },
      staffRoles: { select: { role: true }, orderBy: { role: "asc" } },
    },
  });
  if (!person) throw notFound({ personId });
  const roles = person.staffRoles.map((r) => r.role as StaffRole);
  // the school's rights per role; a settings JSON that does not parse leaves the defaults.
  const parsed = settingsSchema.safeParse(person.school.settings ?? {});
  const overrides = parsed.success ? parsed.data.rolePermissions : {};
  return {
    personId: person.id,
    schoolId: person.schoolId,
    roles,
    permissions: permissionsFor(roles, overrides as RolePermissionOverrides),
  };
}
