// An in-memory emulation of the Telegram Bot API for one bot: chats with fake users, the messages the bot
// sends (with edits applied as Telegram applies them), callback queries, uploaded files and the update
// queue. It enforces Telegram's limits so a bug that Telegram would reject fails here too. Transport-free:
// the sandbox serves it over HTTP (plugin.ts) and the bot tests call it from a fake `fetch`.
import { randomBytes } from "node:crypto";
import type { UploadedFile } from "./multipart.ts";

export interface TgUser {
  id: number;
  is_bot: boolean;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

export interface TgChat {
  id: number;
  type: "private";
  first_name: string;
  last_name?: string;
}

export interface InlineButton {
  text: string;
  callback_data?: string;
  url?: string;
  [key: string]: unknown;
}

export interface InlineMarkup {
  inline_keyboard: InlineButton[][];
}

export interface ReplyButton {
  text: string;
  [key: string]: unknown;
}

export interface TgDocument {
  file_id: string;
  file_unique_id: string;
  file_name?: string;
  mime_type?: string;
  file_size?: number;
}

export interface TgPhotoSize {
  file_id: string;
  file_unique_id: string;
  width: number;
  height: number;
  file_size?: number;
}

export interface TgMessage {
  message_id: number;
  from: TgUser;
  chat: TgChat;
  date: number;
  edit_date?: number;
  text?: string;
  entities?: { type: string; offset: number; length: number }[];
  caption?: string;
  document?: TgDocument;
  photo?: TgPhotoSize[];
  reply_markup?: InlineMarkup;
}

export interface TgUpdate {
  update_id: number;
  message?: TgMessage;
  callback_query?: {
    id: string;
    from: TgUser;
    message?: TgMessage;
    chat_instance: string;
    data?: string;
  };
}

export interface CallbackAnswer {
  callbackQueryId: string;
  text?: string;
  showAlert: boolean;
}

export interface ChatState {
  chat: TgChat;
  user: TgUser;
  /** Every message of the chat in order, the user's and the bot's; deleted ones are removed. */
  messages: TgMessage[];
  /** The reply keyboard the bot last set, or null after remove_keyboard. */
  replyKeyboard: ReplyButton[][] | null;
  /** Answers to the user's button presses (toasts), newest last. */
  callbackAnswers: CallbackAnswer[];
  nextMessageId: number;
  /** Increases on any change, so a page can poll for news cheaply. */
  rev: number;
}

export interface StoredFile {
  fileId: string;
  fileUniqueId: string;
  filePath: string;
  filename: string;
  contentType: string;
  bytes: Buffer;
}

export type ApiResult = { ok: true; result: unknown } | { ok: false; error_code: number; description: string };

export const TELEGRAM_LIMITS = {
  textLength: 4096,
  captionLength: 1024,
  callbackDataBytes: 64,
  inlineButtons: 100,
} as const;

export const NOT_MODIFIED =
  "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message";

export class TelegramApiError extends Error {
  constructor(
    readonly errorCode: number,
    readonly description: string,
  ) {
    super(description);
  }
}

const bad = (description: string) => new TelegramApiError(400, `Bad Request: ${description}`);

const ALLOWED_HTML_TAGS = new Set([
  "b",
  "strong",
  "i",
  "em",
  "u",
  "ins",
  "s",
  "strike",
  "del",
  "a",
  "code",
  "pre",
  "tg-spoiler",
  "tg-emoji",
  "span",
  "blockquote",
]);

/** Telegram's HTML parse mode, reduced to what matters here: known tags, balanced, entities decoded. */
export function htmlToPlain(html: string): string {
  const stack: string[] = [];
  const out = html.replace(/<(\/?)([a-zA-Z-]+)[^>]*>|<|>/g, (m, close: string, tag: string | undefined) => {
    if (!tag) throw bad(`can't parse entities: unexpected "${m}"`);
    const name = tag.toLowerCase();
    if (!ALLOWED_HTML_TAGS.has(name)) throw bad(`can't parse entities: Unsupported start tag "${name}"`);
    if (close) {
      if (stack.pop() !== name) throw bad(`can't parse entities: Unmatched end tag "${name}"`);
    } else {
      stack.push(name);
    }
    return "";
  });
  if (stack.length > 0) throw bad(`can't parse entities: Can't find end tag corresponding to start tag "${stack[0]}"`);
  return out
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&amp;/g, "&");
}

function commandEntities(text: string): TgMessage["entities"] {
  const m = /^\/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?/.exec(text);
  return m ? [{ type: "bot_command", offset: 0, length: m[0].length }] : undefined;
}

const now = () => Math.floor(Date.now() / 1000);

function asNumber(v: unknown, name: string): number {
  const n = typeof v === "string" ? Number(v) : v;
  if (typeof n !== "number" || !Number.isFinite(n)) throw bad(`${name} is invalid`);
  return n;
}

function asObject<T>(v: unknown): T | undefined {
  if (v === undefined || v === null || v === "") return undefined;
  if (typeof v === "string") {
    try {
      return JSON.parse(v) as T;
    } catch {
      throw bad("can't parse reply keyboard markup JSON object");
    }
  }
  return v as T;
}

export interface EmulatorOptions {
  botId?: number;
  botUsername?: string;
  botFirstName?: string;
  /** Keep pending updates for getUpdates (the sandbox); the tests feed updates directly. */
  queueUpdates?: boolean;
}

export class TelegramEmulator {
  readonly bot: TgUser;
  readonly chats = new Map<number, ChatState>();
  readonly files = new Map<string, StoredFile>();
  /** setMyCommands per language code ("" = default). */
  readonly commands = new Map<string, { command: string; description: string }[]>();
  private readonly pending: TgUpdate[] = [];
  private readonly waiters = new Set<() => void>();
  private readonly watchers = new Set<() => void>();
  private readonly callbacks = new Map<string, { chatId: number; answered: boolean }>();
  private nextUpdateId = 1;
  private readonly queueUpdates: boolean;
  private closed = false;

  constructor(opts: EmulatorOptions = {}) {
    this.bot = {
      id: opts.botId ?? 1000001,
      is_bot: true,
      first_name: opts.botFirstName ?? "Classbook",
      username: opts.botUsername ?? "classbook_sandbox_bot",
    };
    this.queueUpdates = opts.queueUpdates ?? true;
  }

  // ---- the user's side -------------------------------------------------------------------------------

  openChat(user: Omit<TgUser, "is_bot">): ChatState {
    const existing = this.chats.get(user.id);
    if (existing) return existing;
    const state: ChatState = {
      chat: { id: user.id, type: "private", first_name: user.first_name, last_name: user.last_name },
      user: { ...user, is_bot: false },
      messages: [],
      replyKeyboard: null,
      callbackAnswers: [],
      nextMessageId: 1,
      rev: 0,
    };
    this.chats.set(user.id, state);
    this.touch(state);
    return state;
  }

  userText(chatId: number, text: string): TgUpdate {
    const chat = this.requireChat(chatId);
    const message = this.addMessage(chat, chat.user, { text, entities: commandEntities(text) });
    return this.emit({ update_id: this.nextUpdateId++, message });
  }

  userDocument(chatId: number, file: { bytes: Buffer; filename: string; contentType?: string; caption?: string }) {
    const chat = this.requireChat(chatId);
    const stored = this.storeFile(file.bytes, file.filename, file.contentType ?? "application/octet-stream");
    const message = this.addMessage(chat, chat.user, {
      document: this.documentOf(stored),
      ...(file.caption ? { caption: file.caption } : {}),
    });
    return this.emit({ update_id: this.nextUpdateId++, message });
  }

  /** Presses an inline button of a bot message; throws when the message has no such button. */
  userPress(chatId: number, messageId: number, data: string): TgUpdate {
    const chat = this.requireChat(chatId);
    const message = chat.messages.find((m) => m.message_id === messageId);
    const has = message?.reply_markup?.inline_keyboard.some((row) => row.some((b) => b.callback_data === data));
    if (!message || !has) throw new Error(`no button with data ${data} on message ${messageId}`);
    const id = randomBytes(8).toString("hex");
    this.callbacks.set(id, { chatId, answered: false });
    return this.emit({
      update_id: this.nextUpdateId++,
      callback_query: { id, from: chat.user, message: structuredClone(message), chat_instance: String(chatId), data },
    });
  }

  // ---- the update queue ------------------------------------------------------------------------------

  private emit(update: TgUpdate): TgUpdate {
    if (this.queueUpdates) {
      this.pending.push(update);
      for (const wake of this.waiters) wake();
    }
    return update;
  }

  private async getUpdates(params: Record<string, unknown>): Promise<TgUpdate[]> {
    const offset = params.offset === undefined ? 0 : asNumber(params.offset, "offset");
    const limit = Math.min(100, Math.max(1, params.limit === undefined ? 100 : asNumber(params.limit, "limit")));
    const timeout = Math.min(50, Math.max(0, params.timeout === undefined ? 0 : asNumber(params.timeout, "timeout")));
    if (offset > 0) while (this.pending.length > 0 && this.pending[0].update_id < offset) this.pending.shift();
    if (this.pending.length === 0 && timeout > 0 && !this.closed) {
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, timeout * 1000);
        this.waiters.add(wake);
      });
    }
    return this.pending.slice(0, limit);
  }

  /** Releases every waiting getUpdates and watcher (server shutdown). */
  close(): void {
    this.closed = true;
    for (const wake of [...this.waiters, ...this.watchers]) wake();
  }

  /** Resolves when the chat's rev moves past `rev`, or after `timeoutMs`. For pages that poll. */
  async waitForChange(chatId: number, rev: number, timeoutMs: number): Promise<void> {
    if (this.closed || (this.chats.get(chatId)?.rev ?? 0) !== rev) return;
    await new Promise<void>((resolve) => {
      const check = () => {
        if (this.closed || (this.chats.get(chatId)?.rev ?? 0) !== rev) wake();
      };
      const wake = () => {
        clearTimeout(timer);
        this.watchers.delete(check);
        resolve();
      };
      const timer = setTimeout(wake, timeoutMs);
      this.watchers.add(check);
    });
  }

  private touch(chat: ChatState): void {
    chat.rev++;
    for (const check of [...this.watchers]) check();
  }

  // ---- the bot's side --------------------------------------------------------------------------------

  /** Runs one Bot API method. Never throws: errors come back as Telegram's { ok: false } bodies. */
  async call(
    method: string,
    params: Record<string, unknown>,
    uploads = new Map<string, UploadedFile>(),
  ): Promise<ApiResult> {
    try {
      const result = await this.dispatch(method, params, uploads);
      return { ok: true, result };
    } catch (err) {
      if (err instanceof TelegramApiError)
        return { ok: false, error_code: err.errorCode, description: err.description };
      throw err;
    }
  }

  private async dispatch(
    method: string,
    p: Record<string, unknown>,
    uploads: Map<string, UploadedFile>,
  ): Promise<unknown> {
    switch (method) {
      case "getMe":
        return {
          ...this.bot,
          can_join_groups: false,
          can_read_all_group_messages: false,
          supports_inline_queries: false,
        };
      case "getUpdates":
        return this.getUpdates(p);
      case "sendMessage":
        return this.sendMessage(p);
      case "editMessageText":
        return this.editMessageText(p);
      case "editMessageReplyMarkup":
        return this.editMessageReplyMarkup(p);
      case "answerCallbackQuery":
        return this.answerCallbackQuery(p);
      case "deleteMessage":
        return this.deleteMessage(p);
      case "sendDocument":
        return this.sendFile(p, uploads, "document");
      case "sendPhoto":
        return this.sendFile(p, uploads, "photo");
      case "setMyCommands":
        return this.setMyCommands(p);
      case "getFile":
        return this.getFile(p);
      case "getWebhookInfo":
        return { url: "", has_custom_certificate: false, pending_update_count: this.pending.length };
      case "deleteWebhook":
      case "setWebhook":
      case "sendChatAction":
      case "deleteMyCommands":
      case "close":
      case "logOut":
        return true;
      default:
        throw new TelegramApiError(404, "Not Found: method not found");
    }
  }

  private requireChat(chatId: unknown): ChatState {
    const chat = this.chats.get(asNumber(chatId, "chat_id"));
    if (!chat) throw bad("chat not found");
    return chat;
  }

  private addMessage(chat: ChatState, from: TgUser, content: Partial<TgMessage>): TgMessage {
    const message: TgMessage = { message_id: chat.nextMessageId++, from, chat: chat.chat, date: now(), ...content };
    chat.messages.push(message);
    this.touch(chat);
    return message;
  }

  private text(p: Record<string, unknown>, field: "text" | "caption", required: boolean): string | undefined {
    const raw = p[field];
    if (raw === undefined || raw === null || raw === "") {
      if (required) throw bad("message text is empty");
      return undefined;
    }
    const text = p.parse_mode === "HTML" ? htmlToPlain(String(raw)) : String(raw);
    if (required && text.trim() === "") throw bad("message text is empty");
    if (field === "text" && text.length > TELEGRAM_LIMITS.textLength) throw bad("message is too long");
    if (field === "caption" && text.length > TELEGRAM_LIMITS.captionLength) throw bad("message caption is too long");
    return text;
  }

  /** Validates a reply_markup; returns the inline keyboard to store on the message, applies reply keyboards. */
  private markup(chat: ChatState, raw: unknown): InlineMarkup | undefined {
    const m = asObject<Record<string, unknown>>(raw);
    if (!m) return undefined;
    if (Array.isArray(m.inline_keyboard)) {
      const rows = m.inline_keyboard as InlineButton[][];
      let count = 0;
      for (const row of rows) {
        if (!Array.isArray(row))
          throw bad('can\'t parse inline keyboard button: field "inline_keyboard" must be an Array of Arrays');
        for (const b of row) {
          count++;
          if (!b || typeof b.text !== "string" || b.text === "")
            throw bad("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
          if (b.callback_data !== undefined) {
            const bytes = Buffer.byteLength(String(b.callback_data), "utf8");
            if (bytes < 1 || bytes > TELEGRAM_LIMITS.callbackDataBytes) throw bad("BUTTON_DATA_INVALID");
          } else if (b.url === undefined && Object.keys(b).length <= 1) {
            throw bad("can't parse inline keyboard button: InlineKeyboardButton must have exactly one optional field");
          }
        }
      }
      if (count > TELEGRAM_LIMITS.inlineButtons) throw bad("reply markup is too long");
      return rows.length > 0 ? { inline_keyboard: rows.map((row) => row.map((b) => ({ ...b }))) } : undefined;
    }
    if (Array.isArray(m.keyboard)) {
      chat.replyKeyboard = (m.keyboard as unknown[][]).map((row) =>
        row.map((b) => (typeof b === "string" ? { text: b } : (b as ReplyButton))),
      );
      this.touch(chat);
    } else if (m.remove_keyboard) {
      chat.replyKeyboard = null;
      this.touch(chat);
    }
    return undefined;
  }

  private sendMessage(p: Record<string, unknown>): TgMessage {
    const chat = this.requireChat(p.chat_id);
    const text = this.text(p, "text", true)!;
    const inline = this.markup(chat, p.reply_markup);
    return this.addMessage(chat, this.bot, { text, ...(inline ? { reply_markup: inline } : {}) });
  }

  private botMessage(p: Record<string, unknown>, notFound: string): { chat: ChatState; message: TgMessage } {
    const chat = this.requireChat(p.chat_id);
    const id = asNumber(p.message_id, "message_id");
    const message = chat.messages.find((m) => m.message_id === id);
    if (!message) throw bad(notFound);
    if (message.from.id !== this.bot.id) throw bad("message can't be edited");
    return { chat, message };
  }

  private editMessageText(p: Record<string, unknown>): TgMessage {
    const { chat, message } = this.botMessage(p, "message to edit not found");
    if (message.text === undefined) throw bad("there is no text in the message to edit");
    const text = this.text(p, "text", true)!;
    const inline = this.markup(chat, p.reply_markup);
    if (text === message.text && JSON.stringify(inline ?? null) === JSON.stringify(message.reply_markup ?? null)) {
      throw bad(NOT_MODIFIED.replace("Bad Request: ", ""));
    }
    message.text = text;
    if (inline) message.reply_markup = inline;
    else delete message.reply_markup;
    message.edit_date = now();
    this.touch(chat);
    return message;
  }

  private editMessageReplyMarkup(p: Record<string, unknown>): TgMessage {
    const { chat, message } = this.botMessage(p, "message to edit not found");
    const inline = this.markup(chat, p.reply_markup);
    if (JSON.stringify(inline ?? null) === JSON.stringify(message.reply_markup ?? null)) {
      throw bad(NOT_MODIFIED.replace("Bad Request: ", ""));
    }
    if (inline) message.reply_markup = inline;
    else delete message.reply_markup;
    message.edit_date = now();
    this.touch(chat);
    return message;
  }

  private answerCallbackQuery(p: Record<string, unknown>): true {
    const id = String(p.callback_query_id ?? "");
    const query = this.callbacks.get(id);
    if (!query || query.answered) throw bad("query is too old and response timeout expired or query ID is invalid");
    query.answered = true;
    const chat = this.chats.get(query.chatId);
    if (chat && p.text) {
      chat.callbackAnswers.push({
        callbackQueryId: id,
        text: String(p.text),
        showAlert: p.show_alert === true || p.show_alert === "true",
      });
      this.touch(chat);
    }
    return true;
  }

  private deleteMessage(p: Record<string, unknown>): true {
    const chat = this.requireChat(p.chat_id);
    const id = asNumber(p.message_id, "message_id");
    const index = chat.messages.findIndex((m) => m.message_id === id);
    if (index === -1) throw bad("message to delete not found");
    chat.messages.splice(index, 1);
    this.touch(chat);
    return true;
  }

  private storeFile(bytes: Buffer, filename: string, contentType: string): StoredFile {
    const fileId = `F${randomBytes(12).toString("hex")}`;
    const stored: StoredFile = {
      fileId,
      fileUniqueId: `U${randomBytes(6).toString("hex")}`,
      filePath: `documents/${fileId}${/\.[A-Za-z0-9]{1,8}$/.exec(filename)?.[0] ?? ""}`,
      filename,
      contentType,
      bytes,
    };
    this.files.set(fileId, stored);
    return stored;
  }

  private documentOf(f: StoredFile): TgDocument {
    return {
      file_id: f.fileId,
      file_unique_id: f.fileUniqueId,
      file_name: f.filename,
      mime_type: f.contentType,
      file_size: f.bytes.length,
    };
  }

  private sendFile(
    p: Record<string, unknown>,
    uploads: Map<string, UploadedFile>,
    kind: "document" | "photo",
  ): TgMessage {
    const chat = this.requireChat(p.chat_id);
    const ref = p[kind];
    let stored: StoredFile | undefined;
    if (typeof ref === "string" && ref.startsWith("attach://")) {
      const upload = uploads.get(ref.slice("attach://".length));
      if (!upload) throw bad(`wrong remote file identifier specified: can't find attached file`);
      stored = this.storeFile(upload.bytes, upload.filename, kind === "photo" ? "image/jpeg" : guessType(upload));
    } else if (typeof ref === "string") {
      stored = this.files.get(ref);
      if (!stored) throw bad("wrong file identifier/HTTP URL specified");
    } else {
      throw bad(`there is no ${kind} in the request`);
    }
    if (stored.bytes.length === 0) throw bad("file must be non-empty");
    const caption = this.text(p, "caption", false);
    const inline = this.markup(chat, p.reply_markup);
    const media =
      kind === "document"
        ? { document: this.documentOf(stored) }
        : {
            photo: [
              {
                file_id: stored.fileId,
                file_unique_id: stored.fileUniqueId,
                width: 800,
                height: 600,
                file_size: stored.bytes.length,
              },
            ],
          };
    return this.addMessage(chat, this.bot, {
      ...media,
      ...(caption ? { caption } : {}),
      ...(inline ? { reply_markup: inline } : {}),
    });
  }

  private setMyCommands(p: Record<string, unknown>): true {
    const commands = asObject<{ command: string; description: string }[]>(p.commands) ?? [];
    if (commands.length > 100) throw bad("too many commands");
    for (const c of commands) {
      if (!/^[a-z0-9_]{1,32}$/.test(c.command)) throw bad("BOT_COMMAND_INVALID");
      if (!c.description || c.description.length > 256) throw bad("BOT_COMMAND_DESCRIPTION_INVALID");
    }
    this.commands.set(String(p.language_code ?? ""), commands);
    return true;
  }

  private getFile(p: Record<string, unknown>) {
    const f = this.files.get(String(p.file_id ?? ""));
    if (!f) throw bad("invalid file_id");
    return { file_id: f.fileId, file_unique_id: f.fileUniqueId, file_size: f.bytes.length, file_path: f.filePath };
  }

  fileByPath(filePath: string): StoredFile | undefined {
    for (const f of this.files.values()) if (f.filePath === filePath) return f;
    return undefined;
  }
}

function guessType(upload: UploadedFile): string {
  const ext = upload.filename.split(".").pop()?.toLowerCase();
  const types: Record<string, string> = {
    pdf: "application/pdf",
    xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    csv: "text/csv",
    txt: "text/plain",
    png: "image/png",
    jpg: "image/jpeg",
    jpeg: "image/jpeg",
  };
  return (
    (ext && types[ext]) ||
    (upload.contentType !== "application/octet-stream" ? upload.contentType : "application/octet-stream")
  );
}

/** Bot API parameters arrive as JSON, a query string or form fields; objects in fields are JSON text. */
export function normaliseParams(raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v === "string" && /^[[{]/.test(v.trim())) {
      try {
        out[k] = JSON.parse(v);
        continue;
      } catch {
        // keep the text
      }
    }
    out[k] = v;
  }
  return out;
}
