// Every failure gets an answer: a core AppError is translated (errors:<CODE>), anything else is logged with
// the update id and answered with errors:INTERNAL. Never silence.
import type { Middleware } from "grammy";
import { isAppError } from "../../core/errors.ts";
import type { InnerContext } from "../context.ts";

async function tell<C extends InnerContext>(ctx: C, text: string): Promise<void> {
  try {
    if (ctx.callbackQuery) {
      await ctx.answerCallbackQuery({ text: text.slice(0, 200), show_alert: true }).catch(() => undefined);
    }
    if (ctx.chat) await ctx.api.sendMessage(ctx.chat.id, text);
  } catch (err) {
    ctx.logger.warn({ err }, "could not tell the user about an error");
  }
}

export function errorBoundary<C extends InnerContext>(): Middleware<C> {
  return async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      if (isAppError(err)) {
        ctx.logger.info({ code: err.code, details: err.details }, "request refused");
        await tell(ctx, ctx.t(`errors:${err.code}`));
      } else {
        ctx.logger.error({ err }, "update failed");
        await tell(ctx, ctx.t("errors:INTERNAL"));
      }
    }
  };
}
