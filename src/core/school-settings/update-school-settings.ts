// School settings an administrator changes without touching the database: grace period,
// correction window, term-mark deadline, rounding thresholds, grades without marks, work types (weights, labels),
// the quiet-hours default and the rights of each staff role. From the bot and from the import workbook's
// `settings` sheet; every change is validated whole and audited with the old and new values.
import { z } from "zod";
import {
  CONFIGURABLE_PERMISSIONS,
  can,
  type Permission,
  type RolePermissionOverrides,
  rolePermissions,
  STAFF_ROLES,
} from "../access/permissions.ts";
import type { AnyActor, StaffRole } from "../actor.ts";
import { appendAudit } from "../audit.ts";
import { forbidden, invalid } from "../errors.ts";
import { type SchoolSettings, settingsSchema, workTypeSchema } from "../settings.ts";
import type { Db, DbOrTx, Tx } from "../tx.ts";

/** The settings an administrator may change (the rest stay as the school was set up). */
export const EDITABLE_SETTINGS = [
  "graceMinutes",
  "correctionWindowDays",
  "termGradeDeadlineDays",
  "thresholds",
  "gradesWithoutMarks",
  "workTypes",
  "quietHoursDefault",
  "rolePermissions",
  "passFailSubjects",
  "termGradeReminderDaysBefore",
  "writtenWorkDays",
] as const;
export type EditableSetting = (typeof EDITABLE_SETTINGS)[number];

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);
const roleEnum = z.enum(STAFF_ROLES as [StaffRole, ...StaffRole[]]);
const permissionEnum = z.enum(CONFIGURABLE_PERMISSIONS as [Permission, ...Permission[]]);

const patchSchema = z
  .object({
    graceMinutes: z.number().int().min(0).max(120),
    correctionWindowDays: z.number().int().min(0).max(60),
    termGradeDeadlineDays: z.number().int().min(0).max(30),
    termGradeReminderDaysBefore: z.number().int().min(0).max(30),
    writtenWorkDays: z.number().int().min(0).max(30),
    thresholds: z
      .array(z.object({ min: z.number().min(0).max(5), mark: z.enum(["2", "3", "4", "5"]) }))
      .min(1)
      .max(4)
      .refine((list) => new Set(list.map((t) => t.mark)).size === list.length, "one threshold per mark")
      .refine((list) => {
        const sorted = [...list].sort((a, b) => Number(b.mark) - Number(a.mark));
        return sorted.every((t, i) => i === 0 || t.min < sorted[i - 1].min);
      }, "a better mark needs a higher average"),
    gradesWithoutMarks: z.array(z.number().int().min(1).max(11)).max(11),
    workTypes: z.array(workTypeSchema).min(1).max(30),
    quietHoursDefault: z.object({ from: time, to: time }),
    rolePermissions: z.partialRecord(roleEnum, z.array(permissionEnum)),
    passFailSubjects: z.array(z.string().trim().min(1).max(100)).max(50),
  })
  .partial()
  .strict();

export type SchoolSettingsPatch = z.infer<typeof patchSchema>;

export interface SchoolSettingsView {
  settings: Pick<SchoolSettings, EditableSetting>;
  /** Every staff role's rights in this school, as `can` will see them. */
  roles: { role: StaffRole; permissions: Permission[] }[];
  configurable: readonly Permission[];
}

function viewOf(settings: SchoolSettings): SchoolSettingsView {
  const overrides = settings.rolePermissions as RolePermissionOverrides;
  const picked = Object.fromEntries(EDITABLE_SETTINGS.map((k) => [k, settings[k]])) as SchoolSettingsView["settings"];
  return {
    settings: JSON.parse(JSON.stringify(picked)),
    roles: STAFF_ROLES.map((role) => ({ role, permissions: rolePermissions(role, overrides) })),
    configurable: CONFIGURABLE_PERMISSIONS,
  };
}

async function load(db: DbOrTx, schoolId: number): Promise<{ raw: Record<string, unknown>; settings: SchoolSettings }> {
  const school = await db.school.findUniqueOrThrow({ where: { id: schoolId }, select: { settings: true } });
  const raw = (school.settings && typeof school.settings === "object" ? school.settings : {}) as Record<
    string,
    unknown
  >;
  return { raw, settings: settingsSchema.parse(raw) };
}

/** The school's editable settings and every role's rights (school.settings: the director, the administrator). */
export async function schoolSettings(db: DbOrTx, actor: AnyActor): Promise<SchoolSettingsView> {
  if (!can(actor, "school.settings")) throw forbidden({ permission: "school.settings" });
  return viewOf((await load(db, actor.schoolId)).settings);
}

/**
 * Changes some of the school's settings. The patch is validated whole (VALIDATION lists every issue, nothing is
 * applied); only the changed keys are written and audited ({ key: { old, new } }, with the source).
 */
export async function updateSchoolSettings(
  db: Db,
  actor: AnyActor,
  patch: SchoolSettingsPatch,
  opts: { source?: "bot" | "import" } = {},
): Promise<SchoolSettingsView & { changed: EditableSetting[] }> {
  if (!can(actor, "school.settings")) throw forbidden({ permission: "school.settings" });
  const res = patchSchema.safeParse(patch ?? {});
  if (!res.success) {
    throw invalid({
      issues: res.error.issues.map((i) => ({ path: i.path.map(String).join("."), code: i.code, message: i.message })),
    });
  }
  const data = res.data;
  return db.$transaction(async (tx) => {
    const { settings, changed } = await applySettingsPatch(tx, actor, data, opts.source ?? "bot");
    return { ...viewOf(settings), changed };
  });
}

/** Validates a settings patch: the issues (path, code), or the patch. */
export function checkSettingsPatch(
  patch: unknown,
): { ok: true; patch: SchoolSettingsPatch } | { ok: false; issues: { path: string; code: string }[] } {
  const res = patchSchema.safeParse(patch ?? {});
  if (res.success) return { ok: true, patch: res.data };
  return { ok: false, issues: res.error.issues.map((i) => ({ path: i.path.map(String).join("."), code: i.code })) };
}

/**
 * Inside a transaction: writes the keys of a valid patch that differ from the school's settings, with one audit
 * event. The caller checked the right (school.settings) and validated the patch.
 */
export async function applySettingsPatch(
  tx: Tx,
  actor: AnyActor,
  data: SchoolSettingsPatch,
  source: "bot" | "import",
): Promise<{ settings: SchoolSettings; changed: EditableSetting[] }> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(7004::int, ${actor.schoolId}::int)`;
  const { raw, settings } = await load(tx, actor.schoolId);
  const next: Record<string, unknown> = { ...raw };
  const changes: Record<string, { old: unknown; new: unknown }> = {};
  for (const key of Object.keys(data) as EditableSetting[]) {
    const value = data[key];
    if (JSON.stringify(settings[key]) === JSON.stringify(value)) continue;
    changes[key] = { old: settings[key], new: value };
    next[key] = value;
  }
  const changed = Object.keys(changes) as EditableSetting[];
  if (changed.length === 0) return { settings, changed };
  const parsed = settingsSchema.parse(next);
  await tx.school.update({ where: { id: actor.schoolId }, data: { settings: JSON.parse(JSON.stringify(next)) } });
  await appendAudit(tx, actor, {
    action: "school.settings.update",
    entity: "School",
    entityId: actor.schoolId,
    data: { ...JSON.parse(JSON.stringify(changes)), source },
  });
  return { settings: parsed, changed };
}
