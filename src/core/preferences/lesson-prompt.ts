// The teacher's lesson-start prompt (issue 4): on by default (Preference.lessonPrompt), switched off or on again
// by the teacher from the prompt itself. A person changes only their own preference.
import { z } from "zod";
import type { AnyActor } from "../actor.ts";
import { appendAudit } from "../audit.ts";
import { parseInput, requirePerson } from "../journal/common.ts";
import type { Db, DbOrTx } from "../tx.ts";
import { clientLocale } from "./settings.ts";

export interface LessonPromptSetting {
  personId: number;
  lessonPrompt: boolean;
}

const input = z.object({ enabled: z.boolean() }).strict();

/** Turns the actor's lesson-start prompt on or off. */
export async function setLessonPrompt(
  db: Db,
  actor: AnyActor,
  data: { enabled: boolean },
): Promise<LessonPromptSetting> {
  const personId = requirePerson(actor);
  const { enabled } = parseInput(input, data);
  const locale = await clientLocale(db, actor.schoolId, personId);
  await db.$transaction(async (tx) => {
    const before = await tx.preference.findUnique({ where: { personId }, select: { lessonPrompt: true } });
    if (before && before.lessonPrompt === enabled) return;
    await tx.preference.upsert({
      where: { personId },
      create: { schoolId: actor.schoolId, personId, locale, lessonPrompt: enabled },
      update: { lessonPrompt: enabled },
      select: { id: true },
    });
    await appendAudit(tx, actor, {
      action: "preference.lessonPrompt",
      entity: "Person",
      entityId: personId,
      data: { lessonPrompt: enabled },
    });
  });
  return { personId, lessonPrompt: enabled };
}

/** Whether the actor gets lesson-start prompts (default: yes). */
export async function getLessonPrompt(db: DbOrTx, actor: AnyActor): Promise<LessonPromptSetting> {
  const personId = requirePerson(actor);
  const pref = await db.preference.findUnique({ where: { personId }, select: { lessonPrompt: true } });
  return { personId, lessonPrompt: pref?.lessonPrompt ?? true };
}
