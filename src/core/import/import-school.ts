// Imports a school from a workbook: validate everything first (any error → IMPORT_INVALID, nothing written),
// then apply the difference in ONE transaction with one audit event "school.import" when anything changed.

import { can } from "../access/permissions.ts";
import { type AnyActor, systemActor } from "../actor.ts";
import { appendAudit } from "../audit.ts";
import { type IsoDate, isIsoDate, localMoment } from "../dates.ts";
import { AppError, forbidden, invalid, isAppError, notFound } from "../errors.ts";
import { replacePlan } from "../plans/load-thematic-plan.ts";
import { applySettingsPatch } from "../school-settings/update-school-settings.ts";
import type { Db } from "../tx.ts";
import { applyWorkbook, type ImportCounts, type ImportOrder } from "./apply-workbook.ts";
import { parsePlansSheet } from "./parse-plans.ts";
import { parseSettingsSheet } from "./parse-settings.ts";
import { parseWorkbook } from "./parse-workbook.ts";
import type { SchoolWorkbook } from "./sheets.ts";

export interface ImportOptions {
  /** The school to update; without it a new School is created. */
  schoolId?: number;
  /** Name of a newly created school (or a new name for an existing one). */
  schoolName?: string;
  /** IANA time zone of a newly created school. Default Europe/Moscow. */
  timezone?: string;
  /** The day the changes take effect (enrollment and timetable changes). Default: today in the school. */
  effectiveDate?: IsoDate;
  /** Who imports; default the system. A person must belong to the administration of the school. */
  actor?: AnyActor;
  /** The order student movements of this import are recorded under. */
  order?: ImportOrder;
}

export interface ImportResult {
  schoolId: number;
  yearId: number;
  effectiveDate: IsoDate;
  counts: ImportCounts;
  lessonsRemoved: number;
  /** False when the file matched the database exactly: nothing was written, not even an audit event. */
  changed: boolean;
}

const DEFAULT_TIMEZONE = "Europe/Moscow";
const DEFAULT_NAME = "Classbook";

function validTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export async function importSchool(db: Db, wb: SchoolWorkbook, opts: ImportOptions = {}): Promise<ImportResult> {
  if (opts.actor) {
    const a = opts.actor;
    if (!can(a, "admin.import") || opts.schoolId === undefined || a.schoolId !== opts.schoolId) throw forbidden();
  }
  const { errors, data } = parseWorkbook(wb);
  const settings = parseSettingsSheet(wb.settings ?? []);
  const plans = parsePlansSheet(wb.plans ?? [], data);
  if (errors.length || settings.errors.length || plans.errors.length || !data) {
    throw new AppError("IMPORT_INVALID", { errors: [...errors, ...settings.errors, ...plans.errors] });
  }
  const hasSettings = Object.keys(settings.patch).length > 0;
  if (hasSettings && opts.actor && !can(opts.actor, "school.settings"))
    throw forbidden({ permission: "school.settings" });
  if (opts.effectiveDate !== undefined && !isIsoDate(opts.effectiveDate)) {
    throw invalid({ field: "effectiveDate", value: opts.effectiveDate });
  }
  if (opts.timezone !== undefined && !validTimezone(opts.timezone)) {
    throw invalid({ field: "timezone", value: opts.timezone });
  }

  return db.$transaction(
    async (tx) => {
      let schoolId = opts.schoolId;
      let created = false;
      if (schoolId === undefined) {
        const school = await tx.school.create({
          data: { name: opts.schoolName ?? DEFAULT_NAME, timezone: opts.timezone ?? DEFAULT_TIMEZONE },
        });
        schoolId = school.id;
        created = true;
      } else {
        const school = await tx.school.findUnique({ where: { id: schoolId } });
        if (!school) throw notFound({ entity: "School", id: schoolId });
        if (opts.schoolName && opts.schoolName !== school.name) {
          await tx.school.update({ where: { id: schoolId }, data: { name: opts.schoolName } });
          created = true;
        }
      }
      // One import per school at a time.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(7002, ${schoolId}::int)`;
      const school = await tx.school.findUniqueOrThrow({ where: { id: schoolId }, select: { timezone: true } });
      const effective = opts.effectiveDate ?? localMoment(school.timezone).date;
      const res = await applyWorkbook(tx, schoolId, data, effective, opts.order);
      // The settings sheet: its own audit event (school.settings.update, source "import") when anything changed.
      const settingsChanged = hasSettings
        ? (await applySettingsPatch(tx, opts.actor ?? systemActor(schoolId), settings.patch, "import")).changed
        : [];
      // The plans sheet: each listed assignment's plan is replaced, audited per assignment (plan.load).
      const importer = opts.actor ?? systemActor(schoolId);
      let plansChanged = 0;
      for (const plan of plans.plans) {
        const a = await tx.teachingAssignment.findFirstOrThrow({
          where: {
            schoolId,
            yearId: res.yearId,
            endedAt: null,
            teacher: { externalId: plan.teacher },
            subject: { name: plan.subject },
            class: { name: plan.className },
            ...(plan.subgroup ? { subgroup: { number: plan.subgroup } } : { subgroupId: null }),
          },
          select: { id: true },
        });
        try {
          const r = await replacePlan(tx, importer, a.id, plan.items);
          if (r.created || r.updated || r.removed) plansChanged++;
        } catch (err) {
          if (!isAppError(err, "VALIDATION")) throw err;
          throw new AppError("IMPORT_INVALID", {
            errors: [{ sheet: "plans", row: 0, column: "order", code: "DUPLICATE", params: { teacher: plan.teacher } }],
          });
        }
      }
      const changed = created || res.changed || settingsChanged.length > 0 || plansChanged > 0;
      if (changed) {
        await appendAudit(tx, opts.actor ?? systemActor(schoolId), {
          action: "school.import",
          entity: "School",
          entityId: schoolId,
          data: {
            effectiveDate: effective,
            yearId: res.yearId,
            counts: res.counts,
            lessonsRemoved: res.lessonsRemoved,
            ...(settingsChanged.length ? { settings: settingsChanged } : {}),
          },
        });
      }
      return {
        schoolId,
        yearId: res.yearId,
        effectiveDate: effective,
        counts: res.counts,
        lessonsRemoved: res.lessonsRemoved,
        changed,
      };
    },
    { timeout: 10 * 60_000, maxWait: 30_000 },
  );
}
