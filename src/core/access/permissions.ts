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
] as const;

export type Permission = (typeof PERMISSIONS)[number];

const ADMINISTRATION: Permission[] = [...PERMISSIONS];

export const ROLE_PERMISSIONS: Record<StaffRole, readonly Permission[]> = {
  DIRECTOR: ADMINISTRATION,
  DEPUTY: ADMINISTRATION,
  ADMIN: ADMINISTRATION,
  TEACHER: [],
  SECRETARY: ["invite.family.all"],
  SOCIAL_PEDAGOGUE: ["student.read.all"],
  PSYCHOLOGIST: ["student.read.all"],
};

/** Deny by default: true only when one of the actor's staff roles holds the permission. */
export function can(actor: AnyActor, permission: Permission): boolean {
  if (actor.system) return true;
  return actor.roles.some((role) => ROLE_PERMISSIONS[role]?.includes(permission));
}
