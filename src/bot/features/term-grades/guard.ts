// A button or command handler for a linked person whose FORBIDDEN / NOT_FOUND from the core becomes a refusal with
// the screen's own wording (a forged id or a foreign assignment changes and shows nothing).
import { isAppError } from "../../../core/errors.ts";
import type { BotContext, LinkedContext } from "../../context.ts";
import { guarded, refuse } from "../teacher-lesson/respond.ts";

export function refusingWith(
  key: string,
  handler: (ctx: LinkedContext) => Promise<void>,
): (ctx: BotContext) => Promise<void> {
  return guarded<BotContext>(async (ctx) => {
    try {
      await handler(ctx);
    } catch (err) {
      if (!isAppError(err, "FORBIDDEN") && !isAppError(err, "NOT_FOUND")) throw err;
      ctx.logger.info({ code: err.code }, "screen refused");
      await refuse(ctx, key);
    }
  });
}
