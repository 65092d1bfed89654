// A teacher's default work type for marks (Preference.defaultWorkType): offered first when marks are opened.
// A person's own preference only; the value must be one of the school's work types (settings.workTypes).
import { z } from "zod";
import type { AnyActor } from "../actor.ts";
import { invalid } from "../errors.ts";
import { requirePerson } from "../journal/common.ts";
import { getSchool, workTypeOf } from "../settings.ts";
import type { DbOrTx } from "../tx.ts";
import { clientLocale } from "./settings.ts";

/** The remembered work type if it is still one of the school's; null otherwise. */
export async function getDefaultWorkType(db: DbOrTx, actor: AnyActor): Promise<string | null> {
  const personId = requirePerson(actor);
  const pref = await db.preference.findFirst({
    where: { personId, schoolId: actor.schoolId },
    select: { defaultWorkType: true },
  });
  const code = pref?.defaultWorkType ?? null;
  if (code === null) return null;
  const { settings } = await getSchool(db, actor.schoolId);
  return workTypeOf(settings, code) ? code : null;
}

const inputSchema = z.object({ workType: z.string().min(1).max(24) });

/** Remembers the work type the teacher chose last. Unknown codes → VALIDATION; nothing else changes. */
export async function setDefaultWorkType(db: DbOrTx, actor: AnyActor, input: { workType: string }): Promise<string> {
  const personId = requirePerson(actor);
  const parsed = inputSchema.safeParse(input ?? {});
  const { settings } = await getSchool(db, actor.schoolId);
  if (!parsed.success || !workTypeOf(settings, parsed.data.workType)) {
    throw invalid({
      issues: [{ path: "workType", code: "unknown_work_type", message: "not a work type of the school" }],
    });
  }
  const workType = parsed.data.workType;
  const existing = await db.preference.findFirst({ where: { personId }, select: { id: true, schoolId: true } });
  if (existing) {
    if (existing.schoolId !== actor.schoolId) throw invalid({ issues: [{ path: "personId", code: "other_school" }] });
    await db.preference.update({ where: { id: existing.id }, data: { defaultWorkType: workType } });
    return workType;
  }
  // A new Preference row must not switch the person's language: start from their Telegram client's language.
  const locale = await clientLocale(db, actor.schoolId, personId);
  await db.preference.upsert({
    where: { personId },
    create: { schoolId: actor.schoolId, personId, locale, defaultWorkType: workType },
    update: { defaultWorkType: workType },
  });
  return workType;
}
