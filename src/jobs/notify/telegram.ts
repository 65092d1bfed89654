// The Telegram side of the sender: grammY's Api on the bot's token and apiRoot, and the classification of
// what went wrong (429 with retry_after, 403 blocked, other client errors, transient failures).
import { Api, GrammyError, HttpError } from "grammy";

export interface TelegramSenderDeps {
  /** Bot API token. Never logged. */
  token: string;
  /** A Bot API–compatible server (sandbox, self-hosted, test double). */
  apiRoot?: string;
  /** Bot.id of the bot this deployment sends through (MessengerAccount.botId). */
  botId: number;
  /** Replaces the HTTP client (tests). */
  fetch?: typeof fetch;
  /** Messages a second for this bot (default 28, Telegram allows about 30). */
  messagesPerSecond?: number;
}

export type SendResult =
  | { ok: true; messageId: number }
  | { ok: false; kind: "retry-after"; retryAfterMs: number }
  | { ok: false; kind: "blocked"; description: string }
  | { ok: false; kind: "rejected"; description: string };

export interface TelegramSender {
  sendMessage(chatId: bigint, text: string, replyMarkup?: Record<string, unknown>): Promise<SendResult>;
}

export function createTelegramSender(deps: TelegramSenderDeps): TelegramSender {
  const api = new Api(deps.token, {
    apiRoot: deps.apiRoot,
    timeoutSeconds: 20,
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
  });
  return {
    async sendMessage(chatId, text, replyMarkup) {
      try {
        const msg = await api.sendMessage(
          Number(chatId),
          text,
          replyMarkup ? { reply_markup: replyMarkup as never } : {},
        );
        return { ok: true, messageId: msg.message_id };
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
        // 5xx and network failures (HttpError): the job is retried with exponential backoff.
        if (err instanceof HttpError) throw new Error(`telegram unreachable: ${err.message}`);
        throw err;
      }
    },
  };
}
