// The sandbox's bots: one Bot API emulator per Bot row of the database, created when its token is first used,
// as Telegram keeps one account per bot. A token that names no Bot row is not a bot at all (401).
import type { Db } from "../core/tx.ts";
import { TelegramEmulator } from "./telegram-emulator.ts";
import { botIdOfSandboxToken, sandboxTelegramBotId } from "./tokens.ts";

export class SandboxBots {
  private readonly byBot = new Map<number, Promise<TelegramEmulator | undefined>>();
  private readonly ready = new Map<number, TelegramEmulator>();
  private closed = false;

  constructor(private readonly prisma: Db) {}

  /** The emulator of the bot a sandbox token names, or undefined when no Bot row has that id. */
  forToken(token: string): Promise<TelegramEmulator | undefined> {
    const botId = botIdOfSandboxToken(token);
    return botId === undefined ? Promise.resolve(undefined) : this.forBot(botId);
  }

  forBot(botId: number): Promise<TelegramEmulator | undefined> {
    let entry = this.byBot.get(botId);
    if (!entry) {
      entry = this.create(botId);
      this.byBot.set(botId, entry);
      // neither a bot missing now (it may be added while running) nor a database error is remembered
      entry.then(
        (e) => e ?? this.byBot.delete(botId),
        () => this.byBot.delete(botId),
      );
    }
    return entry;
  }

  /** An emulator already created (for inspection); never touches the database. */
  get(botId: number): TelegramEmulator | undefined {
    return this.ready.get(botId);
  }

  /** Every emulator created so far. */
  all(): TelegramEmulator[] {
    return [...this.ready.values()];
  }

  private async create(botId: number): Promise<TelegramEmulator | undefined> {
    const row = await this.prisma.bot.findUnique({ where: { id: botId }, select: { username: true } });
    if (!row) return undefined;
    const emulator = new TelegramEmulator({ botId: sandboxTelegramBotId(botId), botUsername: row.username });
    if (this.closed) emulator.close();
    this.ready.set(botId, emulator);
    return emulator;
  }

  /** Releases every waiting getUpdates and page poll (server shutdown). */
  close(): void {
    this.closed = true;
    for (const emulator of this.ready.values()) emulator.close();
  }
}
