// The bot's context type. Features extend it by declaration merging:
//   declare module "../context.ts" { interface ClassbookFlavor { myThing?: X } }
import type { ConversationFlavor } from "@grammyjs/conversations";
import type { Context } from "grammy";
import type { TFunction } from "i18next";
import type { AccountInfo } from "../core/accounts/index.ts";
import type { Actor } from "../core/actor.ts";
import type { Db } from "../core/tx.ts";
import type { Language } from "../i18n.ts";
import type { Logger } from "../logger.ts";

/** What the bot's middlewares and features need, passed once to createBot. */
export interface BotServices {
  prisma: Db;
  logger: Logger;
  botId: number;
  /** The school this bot serves, when known up front. */
  schoolId?: number;
  defaultLocale: Language;
}

export interface ClassbookFlavor {
  services: BotServices;
  /** A child logger carrying the update id. */
  logger: Logger;
  /** Translator for the person's language (account preference, else Telegram's language_code). */
  t: TFunction;
  lng: Language;
  /** The linked account of the sender; null for a stranger. */
  account: AccountInfo | null;
  /** The actor to pass to core services; null for a stranger. */
  actor: Actor | null;
  /** This update's button press has been answered (Telegram accepts one answer). */
  callbackAnswered: boolean;
}

/** The context inside conversations (the same flavour, installed again by the conversation plugins). */
export type InnerContext = Context & ClassbookFlavor;

/** The context of the outside middleware tree. */
export type BotContext = ConversationFlavor<InnerContext>;

/** A context whose sender is a linked person. */
export type LinkedContext<C extends InnerContext = BotContext> = C & { account: AccountInfo; actor: Actor };

export function isLinked<C extends InnerContext>(ctx: C): ctx is LinkedContext<C> {
  return ctx.actor !== null && ctx.account !== null;
}
