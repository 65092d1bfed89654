// The Telegram side of a messenger-neutral message: buttons become an inline keyboard (action → callback data,
// which Telegram limits to 64 bytes; url → a link button), a text over Telegram's 4096 characters goes as several
// messages with the buttons under the last, and Telegram's answers are classified (403 blocked, other 4xx
// rejected, 429 the transport could not wait out). Every call goes through the paced transport.
import { Api, GrammyError, HttpError } from "grammy";
import type { InlineKeyboardButton } from "grammy/types";
import type { BuiltMessage } from "../message.ts";
import type { TelegramTransport } from "./transport.ts";

export const TEXT_LIMIT = 4096;
export const CALLBACK_DATA_LIMIT = 64;

export type SendResult =
  | { ok: true; messageId: number }
  | { ok: false; kind: "retry-after"; retryAfterMs: number }
  | { ok: false; kind: "blocked"; description: string }
  | { ok: false; kind: "rejected"; description: string };

export interface MessengerSender {
  send(chatId: bigint, message: BuiltMessage): Promise<SendResult>;
}

export interface TelegramSenderOptions {
  token: string;
  apiRoot?: string;
  transport: TelegramTransport;
  /** The HTTP client under the transport (tests). */
  fetch?: typeof fetch;
}

export function inlineKeyboard(message: BuiltMessage): InlineKeyboardButton[][] | undefined {
  if (!message.buttons?.length) return undefined;
  return message.buttons.map((row) =>
    row.map((b): InlineKeyboardButton => {
      if (b.url) return { text: b.text, url: b.url };
      const data = b.action ?? "";
      if (Buffer.byteLength(data, "utf8") > CALLBACK_DATA_LIMIT) throw new Error("callback data over 64 bytes");
      return { text: b.text, callback_data: data };
    }),
  );
}

/** Parts of at most TEXT_LIMIT characters, cut at line ends where possible. */
export function splitForTelegram(text: string): string[] {
  if (text.length <= TEXT_LIMIT) return [text];
  const parts: string[] = [];
  let rest = text;
  while (rest.length > TEXT_LIMIT) {
    const cut = rest.lastIndexOf("\n", TEXT_LIMIT);
    const at = cut > TEXT_LIMIT / 2 ? cut : TEXT_LIMIT;
    parts.push(rest.slice(0, at));
    rest = rest.slice(at).replace(/^\n/, "");
  }
  if (rest) parts.push(rest);
  return parts;
}

export function createTelegramSender(opts: TelegramSenderOptions): MessengerSender & { api: Api } {
  const api = new Api(opts.token, {
    apiRoot: opts.apiRoot,
    fetch: opts.transport.fetch("broadcast", opts.fetch) as never,
    timeoutSeconds: 20 * 60,
  });
  return {
    api,
    async send(chatId, message) {
      try {
        const keyboard = inlineKeyboard(message);
        const parts = splitForTelegram(message.text);
        let messageId = 0;
        for (const [i, part] of parts.entries()) {
          const last = i === parts.length - 1;
          const sent = await api.sendMessage(
            Number(chatId),
            part,
            last && keyboard ? { reply_markup: { inline_keyboard: keyboard } } : {},
          );
          messageId = sent.message_id;
        }
        return { ok: true, messageId };
      } catch (err) {
        if (err instanceof GrammyError) {
          if (err.error_code === 429) {
            return {
              ok: false,
              kind: "retry-after",
              retryAfterMs: Math.max(1, err.parameters.retry_after ?? 1) * 1000,
            };
          }
          if (err.error_code === 403) return { ok: false, kind: "blocked", description: err.description };
          if (err.error_code >= 400 && err.error_code < 500) {
            return { ok: false, kind: "rejected", description: err.description };
          }
        }
        // 5xx and network failures: the job is retried with backoff. The error's message names no payload.
        if (err instanceof HttpError) throw new Error("telegram unreachable");
        if (err instanceof GrammyError) throw new Error(`telegram error ${err.error_code}`);
        throw err;
      }
    },
  };
}
