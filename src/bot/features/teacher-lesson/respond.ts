// The teacher screens' words for the UI kit's refusals: a tampered or foreign lesson id is "this lesson is not
// available to you". Showing and answering are the kit's (src/bot/ui).
import type { InnerContext, LinkedContext } from "../../context.ts";
import { guarded as kitGuarded, refuse as kitRefuse } from "../../ui/index.ts";

const REFUSED = "teacher-lesson:refused";

/** A polite refusal of a lesson screen: an alert on a button press, a message otherwise. */
export async function refuse(ctx: InnerContext, key = REFUSED): Promise<void> {
  await kitRefuse(ctx, key);
}

/** A lesson button handler for a linked person; FORBIDDEN and NOT_FOUND from the core become a refusal. */
export function guarded<C extends InnerContext>(
  handler: (ctx: LinkedContext<C>) => Promise<void>,
): (ctx: C) => Promise<void> {
  return kitGuarded(handler, REFUSED);
}

/** A staff person who teaches (their own lessons or substitutions). */
export function isTeacher(ctx: InnerContext): boolean {
  return !!ctx.actor && !ctx.actor.system && ctx.actor.roles.includes("TEACHER");
}
