// Who is acting. Built by an adapter (bot, HTTP) from an authenticated account, or `systemActor` in jobs.
// Staff roles come from the account; roles derived from data (teacher of an assignment, class teacher,
// substitute, guardian, student) are decided by core/access against the database.
export type StaffRole = "DIRECTOR" | "DEPUTY" | "ADMIN" | "TEACHER" | "SECRETARY" | "SOCIAL_PEDAGOGUE" | "PSYCHOLOGIST";

export interface Actor {
  personId: number;
  schoolId: number;
  roles: StaffRole[];
  /** The rights of the roles in this school (R-07: configurable per school), resolved by actorForPerson. */
  permissions?: string[];
  system?: false;
}

export interface SystemActor {
  personId: null;
  schoolId: number;
  roles: [];
  system: true;
}

export type AnyActor = Actor | SystemActor;

export function systemActor(schoolId: number): SystemActor {
  return { personId: null, schoolId, roles: [], system: true };
}

export const ADMINISTRATION_ROLES: readonly StaffRole[] = ["DIRECTOR", "DEPUTY", "ADMIN"];
