// The bot factory: grammY with per-update context, an error boundary, conversations kept in PostgreSQL or
// Redis, and the features. Transport-agnostic: long polling, a webhook or `handleUpdate` in tests.
import { conversations } from "@grammyjs/conversations";
import { run, sequentialize } from "@grammyjs/runner";
import { Bot, type Composer } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import type { Db } from "../core/tx.ts";
import type { Language } from "../i18n.ts";
import type { Logger } from "../logger.ts";
import type { TelegramTransport } from "../messenger/telegram/transport.ts";
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
  /**
   * The paced, retrying transport every Bot API call goes through (also inside conversations: it sits at
   * grammY's client.fetch). Without it calls go straight to `fetch` (only tools that make a call or two).
   */
  transport?: TelegramTransport;
  /** The HTTP client under the transport (tests fake Telegram here). */
  fetch?: typeof fetch;
  /** Conversation state goes to Redis when given, else to PostgreSQL. */
  redis?: RedisLike;
  /** Skips getMe at start (tests). */
  botInfo?: UserFromGetMe;
  /** Extra features, placed before `unhandled` (tests, optional modules). */
  extraFeatures?: Composer<BotContext>[];
}

export type ClassbookBot = Bot<BotContext>;

const REPLY_TIMEOUT_S = 20 * 60;
const STOP_POLLING_MS = 3000;

/** The chat an update belongs to (else its sender): the unit of ordering. */
function updateLane(ctx: { chat?: { id: number }; from?: { id: number } }): string | undefined {
  const id = ctx.chat?.id ?? ctx.from?.id;
  return id === undefined ? undefined : String(id);
}

export function createBot(deps: CreateBotDeps): ClassbookBot {
  const services: BotServices = {
    prisma: deps.prisma,
    logger: deps.logger,
    botId: deps.botId,
    schoolId: deps.schoolId,
    defaultLocale: deps.defaultLocale,
  };
  const fetch = deps.transport ? deps.transport.fetch("interactive", deps.fetch) : deps.fetch;
  const bot = new Bot<BotContext>(deps.token, {
    botInfo: deps.botInfo,
    client: {
      ...(deps.apiRoot ? { apiRoot: deps.apiRoot.replace(/\/+$/, "") } : {}),
      ...(fetch ? { fetch: fetch as never } : {}),
      // A paced reply may wait its chat's turn or a retry_after; the transport bounds that wait itself.
      timeoutSeconds: REPLY_TIMEOUT_S,
    },
  });

  // Updates of one chat are handled one after another, updates of different chats at once (webhook requests
  // arrive concurrently; polling hands them to the runner): a reply waiting for its chat's turn holds only its chat.
  bot.use(sequentialize<BotContext>(updateLane));
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
 * Initialises the bot (getMe, command menus), removes any webhook (keeping pending updates) and starts long
 * polling with grammY's runner: updates are handled concurrently across chats (in order within a chat, see
 * `sequentialize` above), so one chat waiting for its turn never stalls the others. `stop()` ends it gracefully.
 */
export async function startBotPolling(
  bot: ClassbookBot,
  opts: { defaultLocale: Language; logger: Logger },
): Promise<{ stop(): Promise<void> }> {
  await initBot(bot, opts.defaultLocale);
  await bot.api.deleteWebhook({ drop_pending_updates: false });
  const runner = run(bot, {
    runner: { fetch: { allowed_updates: ["message", "callback_query", "my_chat_member"] } },
  });
  runner.task()?.catch((err) => opts.logger.error({ err }, "bot polling stopped with an error"));
  return {
    async stop() {
      if (!runner.isRunning()) return;
      // The runner resolves once its last long poll has ended and every update in hand is handled; a poll the
      // server holds open must not hold the shutdown past its budget.
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<boolean>((r) => {
        timer = setTimeout(() => r(true), STOP_POLLING_MS);
      });
      const timedOut = await Promise.race([runner.stop().then(() => false), late]);
      clearTimeout(timer);
      if (timedOut) opts.logger.warn("long polling did not stop in time; going on with the shutdown");
    },
  };
}
