// A new school of the deployment (issue 9), with its bot when one is given: the operator's command, never a
// person's (no person of one school may create another), so it takes no actor. A name already used by another
// school (letter case and spaces aside) is refused: the operator tells schools apart by it.
import { systemActor } from "../actor.ts";
import { appendAudit } from "../audit.ts";
import { AppError } from "../errors.ts";
import type { Db } from "../tx.ts";
import { type SchoolInput, validateSchoolInput } from "./school-input.ts";
import { type SchoolBotInput, type SchoolBotResult, setBotInTx } from "./set-school-bot.ts";

export interface AddSchoolResult {
  schoolId: number;
  name: string;
  timezone: string;
  bot?: SchoolBotResult;
}

export async function addSchool(db: Db, input: SchoolInput & { bot?: SchoolBotInput }): Promise<AddSchoolResult> {
  const { name, timezone } = validateSchoolInput(input);
  return db.$transaction(async (tx) => {
    // two operators adding the same name at once: the second waits and sees the first
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(7004, 0)`;
    const same = await tx.school.findMany({ select: { id: true, name: true } });
    const dup = same.find((s) => s.name.replace(/\s+/g, " ").trim().toLowerCase() === name.toLowerCase());
    if (dup) throw new AppError("CONFLICT", { reason: "SCHOOL_NAME_TAKEN", field: "name", schoolId: dup.id, name });
    const school = await tx.school.create({ data: { name, timezone }, select: { id: true } });
    await appendAudit(tx, systemActor(school.id), {
      action: "school.create",
      entity: "School",
      entityId: school.id,
      data: { name, timezone },
    });
    const bot = input.bot ? await setBotInTx(tx, school.id, input.bot) : undefined;
    return { schoolId: school.id, name, timezone, ...(bot ? { bot } : {}) };
  });
}
