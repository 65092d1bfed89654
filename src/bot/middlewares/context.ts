// Per-update context: a child logger, the services, the translator and the sender's account and actor.
// Installed on the outside tree and again inside conversations (conversation plugins).
import type { Middleware } from "grammy";
import { actorForPerson, findAccount, markAccountReturned } from "../../core/accounts/index.ts";
import { pickLanguage, translator } from "../../i18n.ts";
import type { BotServices, InnerContext } from "../context.ts";

/** Logger, services and a translator from Telegram's language_code: safe before any database access. */
export function baseContext<C extends InnerContext>(services: BotServices): Middleware<C> {
  return async (ctx, next) => {
    ctx.services = services;
    ctx.logger = services.logger.child({ update_id: ctx.update.update_id });
    ctx.lng = pickLanguage(ctx.from?.language_code, services.defaultLocale);
    ctx.t = translator(ctx.lng);
    ctx.account = null;
    ctx.actor = null;
    ctx.callbackAnswered = false;
    // ctx.api is this update's own Api: note when its button press is answered, so nothing answers it twice.
    ctx.api.config.use(async (prev, method, payload, signal) => {
      const res = await prev(method, payload, signal);
      if (method === "answerCallbackQuery" && res.ok) ctx.callbackAnswered = true;
      return res;
    });
    await next();
  };
}

/** The sender's linked account; nothing for strangers. The account's language wins over the client's. */
export function accountContext<C extends InnerContext>(services: BotServices): Middleware<C> {
  return async (ctx, next) => {
    const from = ctx.from;
    if (from && !from.is_bot) {
      const account = await findAccount(services.prisma, services.botId, from.id);
      if (account) {
        ctx.account = account;
        ctx.actor = await actorForPerson(services.prisma, account.personId);
        ctx.lng = pickLanguage(account.locale ?? from.language_code, services.defaultLocale);
        ctx.t = translator(ctx.lng);
        ctx.logger = ctx.logger.child({ person_id: account.personId });
        if (account.wasBlocked) await markAccountReturned(services.prisma, services.botId, from.id);
      }
    }
    await next();
  };
}
