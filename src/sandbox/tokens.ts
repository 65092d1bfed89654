// The sandbox's stand-in tokens: one per bot of our database, so the emulator can tell the schools' bots apart
// by the token in the URL (as Telegram does). Bot N of the database is Telegram bot 1000000 + N.
const SANDBOX_TOKEN_SECRET = "SANDBOX_classbook_local_token";
const SANDBOX_ID_BASE = 1_000_000;

/** The Telegram id of bot N in the sandbox: the number before the colon of its token. */
export function sandboxTelegramBotId(botId: number): number {
  return SANDBOX_ID_BASE + botId;
}

export function sandboxBotToken(botId: number): string {
  return `${sandboxTelegramBotId(botId)}:${SANDBOX_TOKEN_SECRET}`;
}

/** Our Bot.id behind a sandbox token, or undefined for any other token. */
export function botIdOfSandboxToken(token: string): number | undefined {
  const m = /^(\d+):(.+)$/.exec(token);
  if (!m || m[2] !== SANDBOX_TOKEN_SECRET) return undefined;
  const id = Number(m[1]) - SANDBOX_ID_BASE;
  return Number.isSafeInteger(id) && id > 0 ? id : undefined;
}
