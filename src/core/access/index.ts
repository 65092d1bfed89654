export { logAccess } from "./access-log.ts";
export { type ClassAccess, requireClassManage, requireClassRead, resolveClass } from "./classes.ts";
export {
  type LessonContext,
  type LessonRole,
  requireLessonRead,
  requireLessonWrite,
  resolveLessons,
} from "./lessons.ts";
export { can, PERMISSIONS, type Permission, ROLE_PERMISSIONS } from "./permissions.ts";
export { logStaffAccess, requireStudentRead, resolveStudents, type StudentReadReason } from "./students.ts";

import type { AnyActor } from "../actor.ts";
import { forbidden } from "../errors.ts";
import { can, type Permission } from "./permissions.ts";

export function requirePermission(actor: AnyActor, permission: Permission): void {
  if (!can(actor, permission)) throw forbidden({ permission });
}
