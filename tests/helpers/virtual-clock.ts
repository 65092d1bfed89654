// A clock for tests of paced flows: sleeping does not wait. Sleepers are woken in time order, one jump at a
// time, from a macrotask (setImmediate), so a chain of promise callbacks that follows a wake-up (a grant, the
// HTTP call it allows, the fake Telegram judging it) runs at one instant of virtual time, as it would in real
// time on a fast machine. Time only ever moves forward to a sleeper's target: nothing can be early.
import type { Clock } from "../../src/messenger/clock.ts";

interface Timer {
  at: number;
  seq: number;
  resolve(): void;
}

export class VirtualClock implements Clock {
  private t: number;
  private seq = 0;
  private timers: Timer[] = [];
  private scheduled = false;

  constructor(start = Date.now()) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer: Timer = { at: this.t + ms, seq: this.seq++, resolve };
      this.timers.push(timer);
      signal?.addEventListener(
        "abort",
        () => {
          this.timers = this.timers.filter((x) => x !== timer);
          reject(signal.reason);
        },
        { once: true },
      );
      this.schedule();
    });
  }

  /** Moves time forward by ms (a test's "an hour later"). */
  advance(ms: number): void {
    this.t += ms;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.fire());
  }

  private fire(): void {
    this.scheduled = false;
    if (this.timers.length === 0) return;
    this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
    const next = this.timers.shift()!;
    this.t = Math.max(this.t, next.at);
    next.resolve();
    if (this.timers.length > 0) this.schedule();
  }
}
