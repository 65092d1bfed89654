// A bot's token at rest: sealed with AES-256-GCM under a key derived from APP_SECRET, so a database dump alone
// does not give away the school's bot. The token is never printed or logged; only its bot id (the part before
// the colon, public: it is the bot's Telegram user id) may be.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

const VERSION = "v1";
const TOKEN_SHAPE = /^(\d{1,20}):[A-Za-z0-9_-]{20,}$/;

function keyOf(appSecret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", appSecret, "classbook", "bot-token", 32));
}

/** True for something shaped like a Bot API token ("123456:ABC…"). */
export function isBotToken(token: string): boolean {
  return TOKEN_SHAPE.test(token);
}

/** The bot's Telegram user id, the public half of its token. */
export function telegramBotIdOf(token: string): number | undefined {
  const m = TOKEN_SHAPE.exec(token);
  return m ? Number(m[1]) : undefined;
}

export function sealBotToken(token: string, appSecret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyOf(appSecret), iv);
  const body = Buffer.concat([cipher.update(token, "utf8"), cipher.final()]);
  return [
    VERSION,
    iv.toString("base64url"),
    cipher.getAuthTag().toString("base64url"),
    body.toString("base64url"),
  ].join(".");
}

/** The token, or undefined when it was sealed under another APP_SECRET (or tampered with). */
export function openBotToken(sealed: string, appSecret: string): string | undefined {
  const [version, iv, tag, body] = sealed.split(".");
  if (version !== VERSION || !iv || !tag || body === undefined) return undefined;
  try {
    const decipher = createDecipheriv("aes-256-gcm", keyOf(appSecret), Buffer.from(iv, "base64url"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    return undefined;
  }
}
