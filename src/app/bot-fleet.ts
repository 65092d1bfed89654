// The grammY bots of this process, one per bot of the directory: behind the webhook (web role with PUBLIC_URL)
// or long polling (bot role). A bot added or given a new token while running is started when the directory
// hears of it; every update is handled by its own school's bot (its services carry that school and bot only).
import type { ClassbookBot } from "../bot/index.ts";
import type { WebhookTarget } from "../http/webhook.ts";
import type { Logger } from "../logger.ts";
import type { BotDirectory, ServedBot } from "../messenger/telegram/bot-directory.ts";

export interface BotFleetOptions {
  directory: BotDirectory;
  makeBot(served: ServedBot): ClassbookBot;
  logger: Logger;
}

export interface WebhookFleetOptions extends BotFleetOptions {
  /** The public base URL Telegram calls: each bot at <publicUrl>/telegram/<bot id>. */
  publicUrl: string;
  /** Sets the command menus and fetches the bot's info (getMe). */
  init(bot: ClassbookBot): Promise<void>;
  /** False while something handling needs is down (Redis): the webhook answers 503. */
  storageReady(): boolean;
}

export interface PollingFleetOptions extends BotFleetOptions {
  startPolling(bot: ClassbookBot): Promise<{ stop(): Promise<void> }>;
}

export interface WebhookFleet {
  target(botId: number): WebhookTarget | undefined;
}

export const ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member"] as const;

export function webhookFleet(opts: WebhookFleetOptions): WebhookFleet {
  const bots = new Map<number, { served: ServedBot; bot: ClassbookBot }>();
  const base = opts.publicUrl.replace(/\/+$/, "");
  opts.directory.onChange(async (change) => {
    const bot = opts.makeBot(change.bot);
    await opts.init(bot);
    await bot.api.setWebhook(`${base}/telegram/${change.bot.id}`, {
      secret_token: change.bot.webhookSecret,
      allowed_updates: [...ALLOWED_UPDATES],
    });
    bots.set(change.bot.id, { served: change.bot, bot });
    opts.logger.info({ botId: change.bot.id, schoolId: change.bot.schoolId }, "bot serving its webhook");
  });
  return {
    target(botId) {
      const entry = bots.get(botId);
      if (!entry) return undefined;
      const { served, bot } = entry;
      return {
        botId,
        secretToken: served.webhookSecret,
        handleUpdate: (update) => bot.handleUpdate(update as never),
        ready: () => bot.isInited() && opts.storageReady(),
      };
    },
  };
}

export interface PollingFleet {
  stop(): Promise<void>;
}

export function pollingFleet(opts: PollingFleetOptions): PollingFleet {
  const running = new Map<number, { stop(): Promise<void> }>();
  let stopped = false;
  opts.directory.onChange(async (change) => {
    if (stopped) return;
    const old = running.get(change.bot.id);
    running.delete(change.bot.id);
    // Telegram allows one getUpdates per token at a time: the old poll ends before the new one starts.
    if (old) await old.stop();
    running.set(change.bot.id, await opts.startPolling(opts.makeBot(change.bot)));
    opts.logger.info({ botId: change.bot.id, schoolId: change.bot.schoolId }, "bot polling");
  });
  return {
    async stop() {
      stopped = true;
      await Promise.all([...running.values()].map((r) => r.stop()));
      running.clear();
    },
  };
}
