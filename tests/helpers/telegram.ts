// A fake Telegram at the fetch level for bot tests, with a small DSL:
//   const tg = await createFakeTelegram({ prisma, schoolId });
//   const teacher = await tg.as(personId);
//   await teacher.send("/today"); await teacher.tap("7Б Алгебра"); expect(teacher.lastText()).toContain(…);
// The bot is the real one (createBot) with grammY's client.fetch replaced, which also reaches API calls made
// inside conversations. Telegram's side is the sandbox's emulator: edits are applied to stored messages and
// Telegram's limits (4096 chars, 64-byte callback data, "message is not modified") are enforced.
import type { Composer } from "grammy";
import type { BotContext } from "../../src/bot/context.ts";
import { type ClassbookBot, createBot } from "../../src/bot/index.ts";
import type { RedisLike } from "../../src/bot/storage.ts";
import { ensureBot, linkSandboxAccount } from "../../src/core/accounts/index.ts";
import type { Db } from "../../src/core/tx.ts";
import type { Language } from "../../src/i18n.ts";
import { createLogger, type Logger } from "../../src/logger.ts";
import { postgresRateStore } from "../../src/messenger/telegram/rate-store.ts";
import {
  createTelegramTransport,
  type TelegramTransport,
  type TransportLimits,
} from "../../src/messenger/telegram/transport.ts";
import { type MultipartBody, parseMultipart } from "../../src/sandbox/multipart.ts";
import {
  type ChatState,
  type InlineButton,
  normaliseParams,
  TelegramEmulator,
  type TgMessage,
  type TgUpdate,
} from "../../src/sandbox/telegram-emulator.ts";
import { FloodControl, type FloodLimits, TELEGRAM_LIKE } from "./flood-control.ts";
import { VirtualClock } from "./virtual-clock.ts";

export const TEST_BOT_TOKEN = "1000001:TEST_token_for_the_fake_telegram";

/** Fake Telegram user ids of linked people: a fixed offset, so ids are stable within a test. */
export const telegramIdOf = (personId: number) => 700_000_000 + personId;

export interface ApiCall {
  method: string;
  params: Record<string, unknown>;
  ok: boolean;
  description?: string;
  /** The fake's clock when the call arrived. */
  at?: number;
}

export interface FakeTelegramOptions {
  prisma: Db;
  /** An existing Bot row; otherwise one is created for `schoolId`. */
  botId?: number;
  schoolId?: number;
  defaultLocale?: Language;
  logger?: Logger;
  /** Extra features (e.g. a conversation under test), before `unhandled`. */
  extraFeatures?: Composer<BotContext>[];
  redis?: RedisLike;
  /** Enforce Telegram's flood control (429 with retry_after) like a strict Bot API stand-in. */
  strict?: boolean | FloodLimits;
  /** The transport's limits (default: production's). */
  limits?: Partial<TransportLimits>;
}

async function readBody(body: unknown, contentType: string): Promise<MultipartBody> {
  if (body === undefined || body === null) return { fields: {}, files: new Map() };
  if (typeof body === "string") return { fields: JSON.parse(body || "{}"), files: new Map() };
  if (body instanceof Uint8Array) {
    const buf = Buffer.from(body);
    if (contentType.startsWith("multipart/form-data")) return parseMultipart(buf, contentType);
    return { fields: JSON.parse(buf.toString("utf8") || "{}"), files: new Map() };
  }
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) {
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : Buffer.from(chunk));
  }
  const buf = Buffer.concat(chunks);
  if (contentType.startsWith("multipart/form-data")) return parseMultipart(buf, contentType);
  return { fields: JSON.parse(buf.toString("utf8") || "{}"), files: new Map() };
}

function headerOf(init: RequestInit | undefined, name: string): string {
  const h = init?.headers;
  if (!h) return "";
  if (h instanceof Headers) return h.get(name) ?? "";
  if (Array.isArray(h)) return h.find(([k]) => k.toLowerCase() === name)?.[1] ?? "";
  for (const [k, v] of Object.entries(h)) if (k.toLowerCase() === name) return String(v);
  return "";
}

/** A `fetch` that answers Bot API calls from the emulator (behind Telegram's flood control when given). */
export function emulatorFetch(
  emulator: TelegramEmulator,
  calls: ApiCall[],
  flood?: { control: FloodControl; clock: { now(): number } },
): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url);
    const m = /\/bot[^/]+\/([A-Za-z]+)$/.exec(url.pathname);
    if (!m) return new Response("not found", { status: 404 });
    const { fields, files } = await readBody(init?.body, headerOf(init, "content-type"));
    const params = normaliseParams(fields);
    const at = flood?.clock.now();
    const verdict = flood?.control.judge(m[1], params.chat_id === undefined ? undefined : String(params.chat_id));
    if (verdict && !verdict.ok) {
      calls.push({ method: m[1], params, ok: false, description: verdict.description, at });
      const body = {
        ok: false,
        error_code: 429,
        description: verdict.description,
        parameters: { retry_after: verdict.retryAfter },
      };
      return new Response(JSON.stringify(body), { status: 429, headers: { "content-type": "application/json" } });
    }
    const result = await emulator.call(m[1], params, files);
    calls.push({
      method: m[1],
      params,
      ok: result.ok,
      at,
      ...(result.ok ? {} : { description: result.description }),
    });
    return new Response(JSON.stringify(result), {
      status: result.ok ? 200 : result.error_code,
      headers: { "content-type": "application/json" },
    });
  }) as typeof fetch;
}

type ButtonMatch = string | RegExp;

function matches(text: string, what: ButtonMatch): boolean {
  return typeof what === "string" ? text === what : what.test(text);
}

export class FakeUser {
  constructor(
    private readonly tg: FakeTelegram,
    readonly id: number,
    readonly personId: number | null,
  ) {}

  get chat(): ChatState {
    const chat = this.tg.emulator.chats.get(this.id);
    if (!chat) throw new Error(`no chat for user ${this.id}`);
    return chat;
  }

  /** The bot's messages in this chat, oldest first, with edits applied. */
  get messages(): TgMessage[] {
    return this.chat.messages.filter((m) => m.from.id === this.tg.emulator.bot.id);
  }

  texts(): string[] {
    return this.messages.map((m) => m.text ?? m.caption ?? "");
  }

  lastMessage(): TgMessage | undefined {
    return this.messages.at(-1);
  }

  lastText(): string {
    const m = this.lastMessage();
    return m?.text ?? m?.caption ?? "";
  }

  /** Button texts of the current reply keyboard, or null when there is none. */
  replyKeyboard(): string[][] | null {
    return this.chat.replyKeyboard?.map((row) => row.map((b) => b.text)) ?? null;
  }

  /** Inline button texts of a message (default: the last one). */
  buttons(message = this.lastMessage()): string[][] {
    return message?.reply_markup?.inline_keyboard.map((row) => row.map((b) => b.text)) ?? [];
  }

  /** Texts of the answers to this user's button presses (toasts/alerts). */
  callbackAnswers(): string[] {
    return this.chat.callbackAnswers.map((a) => a.text ?? "");
  }

  async send(text: string): Promise<void> {
    await this.tg.feed(this.tg.emulator.userText(this.id, text));
  }

  async sendDocument(file: { bytes: Buffer | string; filename: string; contentType?: string; caption?: string }) {
    const bytes = typeof file.bytes === "string" ? Buffer.from(file.bytes) : file.bytes;
    await this.tg.feed(this.tg.emulator.userDocument(this.id, { ...file, bytes }));
  }

  /**
   * Taps a button by its text: the newest bot message with a matching inline button gets a callback query;
   * failing that, a matching reply-keyboard button sends its text.
   */
  async tap(what: ButtonMatch): Promise<void> {
    for (const message of [...this.messages].reverse()) {
      const found = findButton(message.reply_markup?.inline_keyboard ?? [], what);
      if (found?.callback_data !== undefined) {
        await this.tg.feed(this.tg.emulator.userPress(this.id, message.message_id, found.callback_data));
        return;
      }
    }
    const reply = this.chat.replyKeyboard?.flat().find((b) => matches(b.text, what));
    if (reply) {
      await this.send(reply.text);
      return;
    }
    const all = this.messages.flatMap((m) => m.reply_markup?.inline_keyboard.flat().map((b) => b.text) ?? []);
    throw new Error(`no button ${String(what)}; inline buttons: ${JSON.stringify(all)}`);
  }

  /** Presses a button with exactly this callback data on a message (to simulate stale or tampered buttons). */
  async press(data: string, message = this.messages.findLast((m) => m.reply_markup)): Promise<void> {
    if (!message) throw new Error("no message with buttons");
    const target = this.chat.messages.find((m) => m.message_id === message.message_id)!;
    const row = target.reply_markup?.inline_keyboard[0] ?? [];
    // Telegram only sends data that is on the button; a tampering client is modelled by rewriting a button.
    if (!target.reply_markup?.inline_keyboard.some((r) => r.some((b) => b.callback_data === data))) {
      target.reply_markup = {
        inline_keyboard: [
          [...row, { text: "·", callback_data: data }],
          ...(target.reply_markup?.inline_keyboard.slice(1) ?? []),
        ],
      };
    }
    await this.tg.feed(this.tg.emulator.userPress(this.id, message.message_id, data));
  }
}

function findButton(rows: InlineButton[][], what: ButtonMatch): InlineButton | undefined {
  const all = rows.flat();
  const exact = all.find((b) => matches(b.text, what));
  if (exact || typeof what !== "string") return exact;
  const partial = all.filter((b) => b.text.includes(what));
  return partial.length === 1 ? partial[0] : undefined;
}

export class FakeTelegram {
  readonly calls: ApiCall[] = [];
  readonly emulator = new TelegramEmulator({ queueUpdates: false, botUsername: "classbook_test_bot" });
  /** The transport's and the flood control's time: sleeping jumps ahead, so paced flows run at script speed. */
  readonly clock = new VirtualClock();
  bot!: ClassbookBot;
  botId!: number;
  transport!: TelegramTransport;
  /** Telegram's flood control, when the fake is strict. */
  flood?: FloodControl;
  private nextStrangerId = 900_000_001;

  constructor(readonly prisma: Db) {}

  /** Feeds one update to the bot, as Telegram would deliver it. */
  async feed(update: TgUpdate): Promise<void> {
    await this.bot.handleUpdate(update as never);
  }

  /** A Telegram user linked to the person (as the sandbox links), chat opened, nothing sent yet. */
  async as(personId: number, opts: { languageCode?: string; firstName?: string } = {}): Promise<FakeUser> {
    const id = telegramIdOf(personId);
    await linkSandboxAccount(this.prisma, {
      botId: this.botId,
      personId,
      telegramUserId: id,
      chatId: id,
      languageCode: opts.languageCode ?? "ru",
    });
    this.emulator.openChat({
      id,
      first_name: opts.firstName ?? `User${personId}`,
      language_code: opts.languageCode ?? "ru",
    });
    return new FakeUser(this, id, personId);
  }

  /** A Telegram user nobody linked. */
  stranger(opts: { languageCode?: string; id?: number } = {}): FakeUser {
    const id = opts.id ?? this.nextStrangerId++;
    this.emulator.openChat({ id, first_name: "Stranger", language_code: opts.languageCode ?? "ru" });
    return new FakeUser(this, id, null);
  }

  /** Calls the bot made to one method, in order. */
  callsOf(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Calls Telegram refused (400s; a strict fake's 429s are counted apart): a passing flow has none. */
  failedCalls(): ApiCall[] {
    return this.calls.filter((c) => !c.ok && !c.description?.startsWith("Too Many Requests"));
  }
}

export async function createFakeTelegram(opts: FakeTelegramOptions): Promise<FakeTelegram> {
  const tg = new FakeTelegram(opts.prisma);
  if (opts.botId === undefined && opts.schoolId === undefined)
    throw new Error("createFakeTelegram needs botId or schoolId");
  tg.botId =
    opts.botId ?? (await ensureBot(opts.prisma, { schoolId: opts.schoolId!, username: `test_bot_${opts.schoolId}` }));
  const me = tg.emulator.bot;
  const logger = opts.logger ?? createLogger(process.env.TEST_LOG_LEVEL ?? "silent");
  if (opts.strict) {
    tg.flood = new FloodControl(tg.clock, opts.strict === true ? TELEGRAM_LIKE : opts.strict);
  }
  tg.transport = createTelegramTransport({
    botId: tg.botId,
    store: postgresRateStore(opts.prisma),
    clock: tg.clock,
    limits: opts.limits,
    fetch: emulatorFetch(tg.emulator, tg.calls, tg.flood ? { control: tg.flood, clock: tg.clock } : undefined),
    logger,
  });
  tg.bot = createBot({
    token: TEST_BOT_TOKEN,
    prisma: opts.prisma,
    logger,
    botId: tg.botId,
    schoolId: opts.schoolId,
    defaultLocale: opts.defaultLocale ?? "ru",
    transport: tg.transport,
    extraFeatures: opts.extraFeatures,
    redis: opts.redis,
    botInfo: {
      id: me.id,
      is_bot: true,
      first_name: me.first_name,
      username: me.username!,
      can_join_groups: false,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
      can_connect_to_business: false,
      has_main_web_app: false,
    } as never,
  });
  return tg;
}
