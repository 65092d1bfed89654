// Every bot this deployment serves, read from the database: a school's bot is a `Bot` row whose token is sealed
// under APP_SECRET. Each bot gets its own transport (its own per-bot limit, shared with the other processes
// through the rate store), so one school's evening broadcast never takes another school's slots.
// `refresh()` rereads the rows: a bot added or given a new token while running is picked up without a restart.
import { Api } from "grammy";
import type { Db } from "../../core/tx.ts";
import type { Logger } from "../../logger.ts";
import type { Clock } from "../clock.ts";
import { createTelegramSender, type MessengerSender } from "./adapter.ts";
import { openBotToken } from "./bot-token.ts";
import type { RateStore } from "./rate-store.ts";
import { createTelegramTransport, type TelegramTransport, type TransportLimits } from "./transport.ts";

export interface ServedBot {
  readonly id: number;
  readonly schoolId: number;
  readonly username: string;
  /** Never logged. */
  readonly token: string;
  /** X-Telegram-Bot-Api-Secret-Token of its webhook. */
  readonly webhookSecret: string;
  /** Its own rate (messages a second) when set on the row, else the default. */
  readonly sendRate: number | null;
  readonly transport: TelegramTransport;
  /** The jobs' sends (broadcast priority). */
  readonly sender: MessengerSender;
  /** Calls a person is waiting for outside an update (a report file they asked for). */
  readonly replyApi: Api;
}

export type BotChange = { kind: "added"; bot: ServedBot } | { kind: "replaced"; bot: ServedBot; previous: ServedBot };

export interface BotDirectory {
  all(): ServedBot[];
  get(botId: number): ServedBot | undefined;
  /** Rereads the Bot rows; listeners hear of bots added or changed (token, username, rate) since last time. */
  refresh(): Promise<BotChange[]>;
  onChange(listener: (change: BotChange) => void | Promise<void>): void;
  /** Refreshes every `everyMs` until closed. */
  watch(everyMs: number): void;
  /** Closes every transport (waiting calls are given up) and stops watching. */
  close(): void;
}

export interface BotDirectoryOptions {
  prisma: Db;
  appSecret: string;
  /** A Bot API–compatible server (the sandbox, a self-hosted Bot API, a test double). */
  apiRoot?: string;
  store: RateStore;
  /** Limits of every bot (a bot's own `sendRate` overrides the per-bot rate). */
  limits?: Partial<TransportLimits>;
  /** The sandbox: every bot talks to the emulator with this stand-in token, whatever its row holds. */
  standInToken?: (botId: number) => string;
  /** The webhook secret of a bot whose row holds none. */
  defaultWebhookSecret: (botId: number) => string;
  /** Serve only these bots (tests, or one bot per process when an operator wants it). */
  only?: (row: { id: number; schoolId: number }) => boolean;
  logger: Logger;
  fetch?: typeof fetch;
  clock?: Clock;
}

interface BotRow {
  id: number;
  schoolId: number;
  username: string;
  tokenEncrypted: string | null;
  webhookSecret: string | null;
  sendRate: number | null;
}

const API_TIMEOUT_S = 20 * 60;
const START_AT_ONCE = 10;

type ServeOptions = Pick<BotDirectoryOptions, "apiRoot" | "store" | "limits" | "logger" | "fetch" | "clock"> & {
  webhookSecret: string;
  /** A transport made elsewhere (shared with the bot's replies in this process), instead of a new one. */
  transport?: TelegramTransport;
};

/** One bot's transport (its own per-bot limit), the jobs' sender and the API for replies outside an update. */
function serveBot(row: BotRow, token: string, opts: ServeOptions): ServedBot {
  const apiRoot = opts.apiRoot?.replace(/\/+$/, "");
  const transport =
    opts.transport ??
    createTelegramTransport({
      botId: row.id,
      store: opts.store,
      limits: { ...opts.limits, ...(row.sendRate ? { botPerSecond: row.sendRate } : {}) },
      clock: opts.clock,
      fetch: opts.fetch,
      logger: opts.logger.child({ role: "transport", botId: row.id }),
    });
  const replyFetch = transport.fetch("interactive", opts.fetch);
  return {
    id: row.id,
    schoolId: row.schoolId,
    username: row.username,
    token,
    webhookSecret: opts.webhookSecret,
    sendRate: row.sendRate,
    transport,
    sender: createTelegramSender({ token, apiRoot, transport, fetch: opts.fetch }),
    replyApi: new Api(token, {
      ...(apiRoot ? { apiRoot } : {}),
      fetch: replyFetch as never,
      timeoutSeconds: API_TIMEOUT_S,
    }),
  };
}

/** The bots the jobs send through: the deployment's directory, or one bot given directly. */
export type BotSet = Pick<BotDirectory, "get" | "all">;

/**
 * One bot known in advance, without reading Bot rows (tests, benchmarks): served exactly as the directory serves
 * each of its bots.
 */
export function oneBotDirectory(
  bot: { id: number; token: string; schoolId?: number; username?: string },
  opts: Omit<ServeOptions, "webhookSecret">,
): BotSet {
  const served = serveBot(
    {
      id: bot.id,
      schoolId: bot.schoolId ?? 0,
      username: bot.username ?? "",
      tokenEncrypted: null,
      webhookSecret: null,
      sendRate: null,
    },
    bot.token,
    { ...opts, webhookSecret: "" },
  );
  return { all: () => [served], get: (botId) => (botId === bot.id ? served : undefined) };
}

export function createBotDirectory(opts: BotDirectoryOptions): BotDirectory {
  const bots = new Map<number, ServedBot>();
  const listeners: ((change: BotChange) => void | Promise<void>)[] = [];
  const unreadable = new Set<number>();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let refreshing: Promise<BotChange[]> | undefined;

  function tokenOf(row: BotRow): string | undefined {
    if (opts.standInToken) return opts.standInToken(row.id);
    if (row.tokenEncrypted) {
      const token = openBotToken(row.tokenEncrypted, opts.appSecret);
      if (token) {
        unreadable.delete(row.id);
        return token;
      }
      if (!unreadable.has(row.id)) {
        unreadable.add(row.id);
        opts.logger.error(
          { botId: row.id },
          "a bot's token cannot be opened with this APP_SECRET; the bot is not served",
        );
      }
      return undefined;
    }
    return undefined;
  }

  const serve = (row: BotRow, token: string): ServedBot =>
    serveBot(row, token, { ...opts, webhookSecret: row.webhookSecret ?? opts.defaultWebhookSecret(row.id) });

  const sameBot = (a: ServedBot, row: BotRow, token: string) =>
    a.token === token &&
    a.username === row.username &&
    a.schoolId === row.schoolId &&
    a.webhookSecret === (row.webhookSecret ?? opts.defaultWebhookSecret(row.id)) &&
    a.sendRate === row.sendRate;

  async function load(): Promise<BotChange[]> {
    const rows: BotRow[] = await opts.prisma.bot.findMany({
      orderBy: { id: "asc" },
      select: { id: true, schoolId: true, username: true, tokenEncrypted: true, webhookSecret: true, sendRate: true },
    });
    const changes: BotChange[] = [];
    for (const row of rows) {
      if (closed) break;
      if (opts.only && !opts.only(row)) continue;
      const token = tokenOf(row);
      if (!token) continue;
      const current = bots.get(row.id);
      if (current && sameBot(current, row, token)) continue;
      const bot = serve(row, token);
      bots.set(row.id, bot);
      if (current) {
        // Calls already waiting on the old transport finish there; new calls take the new one.
        changes.push({ kind: "replaced", bot, previous: current });
      } else {
        changes.push({ kind: "added", bot });
      }
    }
    // Bots start a few at a time (getMe, command menus, webhook): a hundred bots do not start one by one.
    for (let i = 0; i < changes.length; i += START_AT_ONCE) {
      await Promise.all(changes.slice(i, i + START_AT_ONCE).map(announce));
    }
    return changes;
  }

  async function announce(change: BotChange): Promise<void> {
    try {
      for (const listener of listeners) await listener(change);
      if (change.kind === "replaced") change.previous.transport.close();
    } catch (err) {
      // Forgotten, so the next refresh tries it again (a network failure at start, a revoked token).
      opts.logger.error({ err, botId: change.bot.id }, "a bot could not be started; trying again later");
      if (bots.get(change.bot.id) === change.bot) bots.delete(change.bot.id);
      change.bot.transport.close();
      if (change.kind === "replaced") change.previous.transport.close();
    }
  }

  function refresh(): Promise<BotChange[]> {
    // One refresh at a time: a watch tick and an explicit refresh must not both start the same bot.
    refreshing ??= load().finally(() => {
      refreshing = undefined;
    });
    return refreshing;
  }

  return {
    all: () => [...bots.values()],
    get: (botId) => bots.get(botId),
    refresh,
    onChange(listener) {
      listeners.push(listener);
    },
    watch(everyMs) {
      if (timer || closed) return;
      timer = setInterval(() => {
        refresh().catch((err) => opts.logger.warn({ err }, "could not reread the bots"));
      }, everyMs);
      timer.unref();
    },
    close() {
      closed = true;
      if (timer) clearInterval(timer);
      for (const bot of bots.values()) bot.transport.close();
    },
  };
}
