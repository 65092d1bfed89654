// The bot's ~30 messages a second, handed out in this process fairly and by priority: an interactive reply goes
// before a queued broadcast, and among waiting chats the one served least recently goes first, so a crowd
// tapping away cannot starve a bystander. One loop takes one slot at a time from the shared store (every process
// of the deployment draws from the same bucket) and grants it to the best waiter. Broadcasts take a slot only
// when it is (nearly) due (so hardly any slot is held while a 429 arrives, and a reply in any process can take
// the next slot first); a reply takes the next slot even ahead, waits for it, and is given up for it if a 429
// came meanwhile. Every slot granted is handed back once Telegram has answered the call (or it was not made), for
// the store's window of answers (rate-store.ts: why a bucket alone is not enough).
import type { Clock } from "../clock.ts";
import type { RateRule, RateStore, Reservation } from "./rate-store.ts";

export type Priority = "interactive" | "broadcast";

interface Waiter {
  priority: Priority;
  lane: string;
  seq: number;
  resolve(answered: Answered): void;
  reject(err: unknown): void;
  signal?: AbortSignal;
}

/** Reports that the call made with a slot has its answer (or was not made): call once, after the answer. */
export type Answered = () => void;

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
  acquire(priority: Priority, lane: string, signal?: AbortSignal): Promise<Answered> {
    return new Promise<Answered>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => {
        const i = this.waiting.indexOf(w);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(signal?.reason);
      };
      // The listener goes with the wait: left on a long-lived signal, it would keep every call ever made.
      const unhook = () => signal?.removeEventListener("abort", onAbort);
      const w: Waiter = {
        priority,
        lane,
        seq: this.seq++,
        resolve: (answered) => {
          unhook();
          resolve(answered);
        },
        reject: (err) => {
          unhook();
          reject(err);
        },
        signal,
      };
      signal?.addEventListener("abort", onAbort, { once: true });
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

  private answering(slot: Reservation): Answered {
    const { store, key, rule, clock } = this.opts;
    const ticket = slot.ticket;
    if (ticket === undefined) return () => {};
    let done = false;
    return () => {
      if (done) return;
      done = true;
      // Unreported, the slot still counts as answered `pendingMs` after it: the store is not waited for.
      store.answered(key, rule, ticket, clock.now()).catch(() => {});
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
        let slot: Reservation;
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
        const answered = this.answering(slot);
        const wait = slot.at - clock.now();
        if (wait > 0) await clock.sleep(wait);
        const chosen = this.blockedUntil > clock.now() ? undefined : this.best();
        if (!chosen) {
          // A 429 came while waiting, or everyone gave up: the slot goes unused.
          answered();
          continue;
        }
        this.waiting.splice(this.waiting.indexOf(chosen), 1);
        if (this.served.size > MAX_REMEMBERED_LANES) this.served.clear();
        this.served.set(chosen.lane, this.turn++);
        chosen.resolve(answered);
      }
    } finally {
      this.running = false;
    }
  }
}
