// Asks Telegram who a bot token belongs to (getMe), before the token is stored. The answer says only what a
// person needs to hear; grammY's errors are dropped here, never passed on or logged: their messages and causes
// carry the request URL, and the URL carries the token.
import { Api, GrammyError } from "grammy";
import { isBotToken } from "./bot-token.ts";

export type BotTokenCheck =
  | { ok: true; username: string; telegramId: number }
  /** MALFORMED: not shaped like a token; REJECTED: Telegram does not know it (401/404); UNREACHABLE: no answer. */
  | { ok: false; reason: "MALFORMED" | "REJECTED" | "UNREACHABLE" };

const CHECK_TIMEOUT_SECONDS = 15;

export async function checkBotToken(token: string, opts: { apiRoot?: string } = {}): Promise<BotTokenCheck> {
  if (!isBotToken(token)) return { ok: false, reason: "MALFORMED" };
  try {
    const api = new Api(token, {
      timeoutSeconds: CHECK_TIMEOUT_SECONDS,
      ...(opts.apiRoot ? { apiRoot: opts.apiRoot } : {}),
    });
    const me = await api.getMe();
    if (!me.is_bot || !me.username) return { ok: false, reason: "REJECTED" };
    return { ok: true, username: me.username, telegramId: me.id };
  } catch (err) {
    return { ok: false, reason: err instanceof GrammyError ? "REJECTED" : "UNREACHABLE" };
  }
}
