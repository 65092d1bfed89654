// The one list of permissions and which staff roles hold them by default. Permissions that depend
// on data (teacher of a lesson, class teacher, guardian) are decided in the resolvers next to this file; this
// table only answers "may a person with these staff roles do X anywhere in their school".
import type { AnyActor, StaffRole } from "../actor.ts";

export const PERMISSIONS = [
  "journal.read.all", // every lesson, mark and absence of the school
  "journal.correct.late", // correct a mark after the correction window
  "attendance.reason.all", // absence reasons of any class (class teachers have it for their class, R-03)
  "student.read.all", // every student's page; access is logged
  "substitution.grant",
  "period.close",
  "term-grade.write.all", // term marks of any subject, e.g. after the deadline
  "announce.school", // notices to the whole school or a parallel
  "report.school", // reports and control of journal filling
  "invite.staff",
  "invite.family.all", // invites for any family (class teachers have it for their class)
  "admin.import",
  "student.move", // admission, leaving, transfer
  "calendar.manage", // holidays, moved working days, quarantine; the school calendar of events
  "year.close", // year close and promotion
  "school.settings", // change the school's settings and the rights of its staff roles; never configurable
] as const;

export type Permission = (typeof PERMISSIONS)[number];

const ADMINISTRATION: Permission[] = PERMISSIONS.filter((p) => p !== "school.settings");

export const ROLE_PERMISSIONS: Record<StaffRole, readonly Permission[]> = {
  DIRECTOR: [...ADMINISTRATION, "school.settings"],
  DEPUTY: ADMINISTRATION,
  ADMIN: [...ADMINISTRATION, "school.settings"],
  TEACHER: [],
  SECRETARY: ["invite.family.all"],
  SOCIAL_PEDAGOGUE: ["student.read.all"],
  PSYCHOLOGIST: ["student.read.all"],
};

/** The rights a school may change per role; who changes settings is fixed, so nobody locks the school out. */
export const CONFIGURABLE_PERMISSIONS: readonly Permission[] = PERMISSIONS.filter((p) => p !== "school.settings");

export const STAFF_ROLES: readonly StaffRole[] = [
  "DIRECTOR",
  "DEPUTY",
  "ADMIN",
  "TEACHER",
  "SECRETARY",
  "SOCIAL_PEDAGOGUE",
  "PSYCHOLOGIST",
];

/** A school's overrides: role → its configurable rights (a role absent keeps the defaults above). */
export type RolePermissionOverrides = Partial<Record<StaffRole, readonly string[]>>;

/** One role's rights in a school: its override (configurable rights only) or the default, plus the fixed ones. */
export function rolePermissions(role: StaffRole, overrides: RolePermissionOverrides = {}): Permission[] {
  const fixed = (ROLE_PERMISSIONS[role] ?? []).filter((p) => !CONFIGURABLE_PERMISSIONS.includes(p));
  const own = overrides[role];
  const configurable = own
    ? CONFIGURABLE_PERMISSIONS.filter((p) => own.includes(p))
    : (ROLE_PERMISSIONS[role] ?? []).filter((p) => CONFIGURABLE_PERMISSIONS.includes(p));
  return [...configurable, ...fixed];
}

/** The union of the roles' rights in a school, deny by default (an unknown role or right grants nothing). */
export function permissionsFor(roles: readonly StaffRole[], overrides: RolePermissionOverrides = {}): Permission[] {
  const set = new Set<Permission>();
  for (const role of roles) for (const p of rolePermissions(role, overrides)) set.add(p);
  return PERMISSIONS.filter((p) => set.has(p));
}

/**
 * Deny by default: true only when the actor holds the permission — from the school's rights per role resolved
 * when the actor was built (actor.permissions), else from the default table above.
 */
export function can(actor: AnyActor, permission: Permission): boolean {
  if (actor.system) return true;
  if (actor.permissions) return actor.permissions.includes(permission);
  return actor.roles.some((role) => ROLE_PERMISSIONS[role]?.includes(permission));
}
