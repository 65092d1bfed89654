// The bot factory: grammY with per-update context, an error boundary, conversations kept in PostgreSQL or
// Redis, and the features. Transport-agnostic: long polling, a webhook or `handleUpdate` in tests.
import { conversations } from "@grammyjs/conversations";
import { Bot, type Composer } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import type { Db } from "../core/tx.ts";
import type { Language } from "../i18n.ts";
import type { Logger } from "../logger.ts";
import { publishCommands } from "./commands.ts";
import type { BotContext, BotServices, InnerContext } from "./context.ts";
import { features } from "./features/index.ts";
import { accountContext, baseContext } from "./middlewares/context.ts";
import { errorBoundary } from "./middlewares/error-boundary.ts";
import { conversationStorage, type RedisLike } from "./storage.ts";

export interface CreateBotDeps {
  token: string;
  /** Any Bot API–compatible server: Telegram (default), the sandbox, a self-hosted Bot API. */
  apiRoot?: string;
  prisma: Db;
  logger: Logger;
  botId: number;
  schoolId?: number;
  defaultLocale: Language;
  /** Replaces the HTTP client (tests fake Telegram here; it also reaches calls made inside conversations). */
  fetch?: typeof fetch;
  /** Conversation state goes to Redis when given, else to PostgreSQL. */
  redis?: RedisLike;
  /** Skips getMe at start (tests). */
  botInfo?: UserFromGetMe;
  /** Extra features, placed before `unhandled` (tests, optional modules). */
  extraFeatures?: Composer<BotContext>[];
}

export type ClassbookBot = Bot<BotContext>;

export function createBot(deps: CreateBotDeps): ClassbookBot {
  const services: BotServices = {
    prisma: deps.prisma,
    logger: deps.logger,
    botId: deps.botId,
    schoolId: deps.schoolId,
    defaultLocale: deps.defaultLocale,
  };
  const bot = new Bot<BotContext>(deps.token, {
    botInfo: deps.botInfo,
    client: {
      ...(deps.apiRoot ? { apiRoot: deps.apiRoot.replace(/\/+$/, "") } : {}),
      ...(deps.fetch ? { fetch: deps.fetch as never } : {}),
    },
  });

  bot.use(baseContext<BotContext>(services));
  bot.use(errorBoundary<BotContext>());
  bot.use(accountContext<BotContext>(services));
  bot.use(
    conversations<BotContext, InnerContext>({
      storage: conversationStorage<BotContext>({ prisma: deps.prisma, botId: deps.botId, redis: deps.redis }),
      plugins: [
        baseContext<InnerContext>(services),
        errorBoundary<InnerContext>(),
        accountContext<InnerContext>(services),
      ],
    }),
  );
  bot.use(features(deps.extraFeatures));

  // Errors escaping the boundary (e.g. while answering an error) in long polling.
  bot.catch((err) => {
    deps.logger.error({ err: err.error, update_id: err.ctx.update.update_id }, "unhandled bot error");
  });
  return bot;
}

/** Sets the command menus (per language). Call once at start. */
export async function initBot(bot: ClassbookBot, defaultLocale: Language): Promise<void> {
  await bot.init();
  await publishCommands(bot.api, defaultLocale);
}

/**
 * Initialises the bot (getMe, command menus) and starts long polling in the background; grammY removes any
 * webhook first and keeps pending updates. `stop()` ends polling gracefully.
 */
export async function startBotPolling(
  bot: ClassbookBot,
  opts: { defaultLocale: Language; logger: Logger },
): Promise<{ stop(): Promise<void> }> {
  await initBot(bot, opts.defaultLocale);
  const done = bot
    .start({ drop_pending_updates: false, allowed_updates: ["message", "callback_query", "my_chat_member"] })
    .catch((err) => opts.logger.error({ err }, "bot polling stopped with an error"));
  return {
    async stop() {
      if (bot.isRunning()) await bot.stop();
      await done;
    },
  };
}
