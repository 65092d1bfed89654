// Button and command handlers for linked people: a stranger gets a polite refusal, and so does a FORBIDDEN or
// NOT_FOUND from the core (a tampered or foreign id); other core errors go on to the error boundary.
import { isAppError } from "../../core/errors.ts";
import { type InnerContext, isLinked, type LinkedContext } from "../context.ts";
import { refuse } from "./answer.ts";

export function guarded<C extends InnerContext>(
  handler: (ctx: LinkedContext<C>) => Promise<void>,
  refusalKey?: string,
): (ctx: C) => Promise<void> {
  return async (ctx) => {
    if (!isLinked(ctx)) {
      await refuse(ctx, refusalKey);
      return;
    }
    try {
      await handler(ctx);
    } catch (err) {
      if (isAppError(err, "FORBIDDEN") || isAppError(err, "NOT_FOUND")) {
        ctx.logger.info({ code: err.code }, "screen refused");
        await refuse(ctx, refusalKey);
        return;
      }
      throw err;
    }
  };
}

/**
 * A linked person, or null after telling a stranger how to get in (an alert on a press, the welcome text on a
 * message): strangers use none of the screens.
 */
export async function requireLinked<C extends InnerContext>(ctx: C): Promise<LinkedContext<C> | null> {
  if (isLinked(ctx)) return ctx;
  await refuse(ctx, ctx.callbackQuery ? "bot:unhandled.callback" : "bot:start.stranger");
  return null;
}
