// Telegram's flood control as a strict stand-in enforces it, judged on a clock (virtual in tests, real in bench):
// per chat a token bucket (burst 3, one more a second), per bot at most 30 messages in any second; a request over
// either gets 429 with retry_after, and that scope is closed until then. A request to a closed scope is a
// "premature retry" (counted, answered 429 again). `scopeWords` makes the 429's description name its scope.
import type { Clock } from "../../src/messenger/clock.ts";
import { pacingOf } from "../../src/messenger/telegram/methods.ts";

export interface FloodLimits {
  perBotPerSecond: number;
  chatBurst: number;
  chatPerSecond: number;
  /** Name the scope in the description ("… (per chat)") as a helpful server would. */
  scopeWords?: boolean;
}

export const TELEGRAM_LIKE: FloodLimits = { perBotPerSecond: 30, chatBurst: 3, chatPerSecond: 1 };

export interface FloodVerdict {
  ok: boolean;
  retryAfter?: number;
  description?: string;
}

export class FloodControl {
  requests = 0;
  tooMany = 0;
  premature = 0;
  private readonly window: number[] = [];
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly closed = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly limits: FloodLimits = TELEGRAM_LIKE,
  ) {}

  private storms: { count: number; retryAfter: number; scope: "bot" | "chat" }[] = [];

  /** The next `count` messages (of any chat, or of the bot) answer 429 with `retryAfter`, closing that scope. */
  storm(count: number, retryAfter: number, scope: "bot" | "chat" = "bot"): void {
    this.storms.push({ count, retryAfter, scope });
  }

  judge(method: string, chatId: string | undefined): FloodVerdict {
    const pacing = pacingOf(method, chatId);
    if (pacing === "none") return { ok: true };
    this.requests++;
    const now = this.clock.now();
    const scopes = pacing === "chat" ? ["bot", `chat:${chatId}`] : ["bot"];
    for (const scope of scopes) {
      const until = this.closed.get(scope) ?? 0;
      if (now < until) {
        this.premature++;
        return this.refuse(scope, Math.ceil((until - now) / 1000), false);
      }
    }
    const storm = this.storms.find((s) => s.count > 0 && (s.scope === "bot" || pacing === "chat"));
    if (storm) {
      storm.count--;
      return this.refuse(storm.scope === "bot" ? "bot" : `chat:${chatId}`, storm.retryAfter, true);
    }
    while (this.window.length && this.window[0] <= now - 1000) this.window.shift();
    if (this.window.length >= this.limits.perBotPerSecond) {
      return this.refuse("bot", Math.max(1, Math.ceil((this.window[0] + 1000 - now) / 1000)), true);
    }
    if (pacing === "chat") {
      const b = this.buckets.get(chatId!) ?? { tokens: this.limits.chatBurst, at: now };
      b.tokens = Math.min(this.limits.chatBurst, b.tokens + ((now - b.at) / 1000) * this.limits.chatPerSecond);
      b.at = now;
      if (b.tokens < 1) {
        this.buckets.set(chatId!, b);
        return this.refuse(`chat:${chatId}`, Math.max(1, Math.ceil((1 - b.tokens) / this.limits.chatPerSecond)), true);
      }
      b.tokens -= 1;
      this.buckets.set(chatId!, b);
    }
    this.window.push(now);
    return { ok: true };
  }

  private refuse(scope: string, retryAfter: number, close: boolean): FloodVerdict {
    this.tooMany++;
    if (close) this.closed.set(scope, this.clock.now() + retryAfter * 1000);
    const words = this.limits.scopeWords ? (scope === "bot" ? " (bot)" : " (per chat)") : "";
    return { ok: false, retryAfter, description: `Too Many Requests: retry after ${retryAfter}${words}` };
  }
}
