// The bot's ~30 messages a second, handed out in this process fairly and by priority: an interactive reply goes
// before a queued broadcast, and among waiting chats the one served least recently goes first, so a crowd
// tapping away cannot starve a bystander. One loop takes one slot at a time from the shared store (every process
// of the deployment draws from the same bucket) and grants it to the best waiter. Broadcasts take a slot only
// when it is (nearly) due (so hardly any slot is held while a 429 arrives, and a reply in any process can take
// the next slot first); a reply takes the next slot even ahead, waits for it, and is given up for it if a 429
// came meanwhile.
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
}

const POLL_MS = 20;
/**
 * A broadcast takes its slot this little ahead: the waits then follow the bucket's own times instead of the
 * timers' lateness (reserving only at "now" loses a millisecond or two a slot, 5 % of the rate), while a 429
 * arriving in between is still seen before the slot is used.
 */
const BROADCAST_AHEAD_MS = 15;
const MAX_REMEMBERED_LANES = 50_000;

export class BotGate {
  private readonly waiting: Waiter[] = [];
  private readonly served = new Map<string, number>();
  private turn = 0;
  private seq = 0;
  private running = false;
  private blockedUntil = 0;

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

  /** Nothing is granted before `until` (a 429 for the whole bot, seen by this process); returns an undo. */
  block(until: number): () => void {
    const before = this.blockedUntil;
    this.blockedUntil = Math.max(this.blockedUntil, until);
    return () => {
      if (this.blockedUntil === until) this.blockedUntil = before;
    };
  }

  private async loop(): Promise<void> {
    this.running = true;
    const { store, key, rule, clock } = this.opts;
    try {
      while (this.waiting.length > 0) {
        const next = this.best()!;
        const now = clock.now();
        if (this.blockedUntil > now) {
          await clock.sleep(this.blockedUntil - now);
          continue;
        }
        let slot: { at: number; reserved: boolean };
        try {
          // A broadcast takes a slot only when it is (nearly) due; a reply may take the next one ahead of it.
          slot = await store.reserve(key, rule, now, next.priority === "broadcast" ? BROADCAST_AHEAD_MS : undefined);
        } catch (err) {
          // The store is unreachable: fail the waiters rather than send unpaced.
          for (const w of this.waiting.splice(0)) w.reject(err);
          return;
        }
        if (!slot.reserved) {
          await clock.sleep(Number.isFinite(slot.at) ? Math.max(1, slot.at - now - BROADCAST_AHEAD_MS) : POLL_MS);
          continue;
        }
        const wait = slot.at - clock.now();
        if (wait > 0) await clock.sleep(wait);
        if (this.blockedUntil > clock.now()) continue; // a 429 came while waiting: this slot is not used
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
