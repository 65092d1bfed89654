// The bot's ~30 messages a second, handed out in this process fairly and by priority: an interactive reply goes
// before a queued broadcast, and among waiting chats the one served least recently goes first, so a crowd
// tapping away cannot starve a bystander. One loop reserves one slot at a time from the shared store (every
// process of the deployment draws from the same bucket), waits for it and grants it to the best waiter then.
import type { Clock } from "../clock.ts";
import type { RateRule, RateStore } from "./rate-store.ts";

export type Priority = "interactive" | "broadcast";

interface Waiter {
  priority: Priority;
  lane: string;
  seq: number;
  resolve(): void;
  reject(err: unknown): void;
  signal?: AbortSignal;
}

export interface BotGateOptions {
  store: RateStore;
  key: string;
  rule: RateRule;
  clock: Clock;
  /** How far ahead a broadcast may reserve the bot's slot (an interactive reply waits at most about this long). */
  broadcastAheadMs: number;
}

const POLL_MS = 20;
const MAX_REMEMBERED_LANES = 50_000;

export class BotGate {
  private readonly waiting: Waiter[] = [];
  private readonly served = new Map<string, number>();
  private turn = 0;
  private seq = 0;
  private running = false;

  constructor(private readonly opts: BotGateOptions) {}

  get queued(): number {
    return this.waiting.length;
  }

  /** Resolves when this call may go to Telegram as far as the bot's limit is concerned. */
  acquire(priority: Priority, lane: string, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const w: Waiter = { priority, lane, seq: this.seq++, resolve, reject, signal };
      if (signal) {
        if (signal.aborted) return reject(signal.reason);
        signal.addEventListener(
          "abort",
          () => {
            const i = this.waiting.indexOf(w);
            if (i >= 0) this.waiting.splice(i, 1);
            reject(signal.reason);
          },
          { once: true },
        );
      }
      this.waiting.push(w);
      if (!this.running) void this.loop();
    });
  }

  private best(): Waiter | undefined {
    let best: Waiter | undefined;
    for (const w of this.waiting) {
      if (!best || this.before(w, best)) best = w;
    }
    return best;
  }

  private before(a: Waiter, b: Waiter): boolean {
    if (a.priority !== b.priority) return a.priority === "interactive";
    const sa = this.served.get(a.lane) ?? -1;
    const sb = this.served.get(b.lane) ?? -1;
    if (sa !== sb) return sa < sb;
    return a.seq < b.seq;
  }

  private async loop(): Promise<void> {
    this.running = true;
    const { store, key, rule, clock, broadcastAheadMs } = this.opts;
    try {
      while (this.waiting.length > 0) {
        const next = this.best()!;
        const now = clock.now();
        let slot: { at: number; reserved: boolean };
        try {
          slot = await store.reserve(key, rule, now, next.priority === "broadcast" ? broadcastAheadMs : undefined);
        } catch (err) {
          // The store is unreachable: fail the waiters rather than send unpaced.
          for (const w of this.waiting.splice(0)) w.reject(err);
          return;
        }
        if (!slot.reserved) {
          const wait = Number.isFinite(slot.at) ? slot.at - now - broadcastAheadMs : POLL_MS;
          await clock.sleep(Math.max(1, Math.min(wait, 250)));
          continue;
        }
        const wait = slot.at - clock.now();
        if (wait > 0) await clock.sleep(wait);
        const chosen = this.best();
        if (!chosen) continue; // everyone gave up while we waited; the slot goes unused
        this.waiting.splice(this.waiting.indexOf(chosen), 1);
        if (this.served.size > MAX_REMEMBERED_LANES) this.served.clear();
        this.served.set(chosen.lane, this.turn++);
        chosen.resolve();
      }
    } finally {
      this.running = false;
    }
  }
}
