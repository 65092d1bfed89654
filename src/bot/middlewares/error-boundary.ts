// Every failure gets an answer: a core AppError is translated (errors:<CODE>), anything else is logged with the
// update id and answered with errors:INTERNAL — except when Telegram itself is the trouble (flood control the
// transport could not wait out, Telegram unreachable): an apology sent into that chat would only be another call
// too early, so it is logged and nothing more is sent. A dependency that is away (database, Redis) while Telegram
// will redeliver (webhook) is passed on, not apologised for. A button press already answered is not answered again.
import { GrammyError, HttpError, type Middleware } from "grammy";
import { isAppError } from "../../core/errors.ts";
import { isInfrastructureFailure, underWatch } from "../../infrastructure-failure.ts";
import type { InnerContext } from "../context.ts";
import { answer } from "../ui/index.ts";

/** Telegram refused or could not be reached: saying so in the chat would fail the same way. */
function isTelegramTrouble(err: unknown): boolean {
  if (err instanceof HttpError) return true;
  return err instanceof GrammyError && (err.error_code === 429 || err.error_code >= 500);
}

async function tell<C extends InnerContext>(ctx: C, text: string): Promise<void> {
  try {
    if (ctx.callbackQuery) await answer(ctx, text, true);
    if (ctx.chat) await ctx.reply(text);
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
      } else if (isInfrastructureFailure(err) && underWatch()) {
        // The database or Redis is away: the webhook answers 503 and Telegram brings the update again later,
        // when the real answer can be given; an apology now would only precede it.
        throw err;
      } else if (isTelegramTrouble(err)) {
        ctx.logger.warn({ err }, "update failed: Telegram refused or unreachable; nothing more sent to this chat");
      } else {
        ctx.logger.error({ err }, "update failed");
        await tell(ctx, ctx.t("errors:INTERNAL"));
      }
    }
  };
}
