// The messenger transport for Telegram: every Bot API call of a bot goes through it — replies and edits in
// handlers, calls inside conversations, the error boundary's messages, the jobs' sends. It sits at grammY's
// `client.fetch`, the one seam that also reaches the fresh Api that conversations v2 builds for each replay
// (and below the replay log, so a replayed call is not paced again).
//
// - Per chat: one lane per chat in this process (calls to a chat go one at a time, in order) paced by the
//   chat's GCRA in the shared store (about 1/s with a short burst). Edits of one message still waiting are
//   merged: only the newest goes, every caller gets its answer.
// - Per bot: the BotGate (shared bucket, interactive before broadcast, fair across chats).
// - 429: the scope Telegram names (the chat, else the whole bot) is blocked in the shared store until
//   retry_after, so no process calls it early; the call waits and goes again. Nothing is dropped: a reply
//   waits its turn, up to `maxWaitMs` in all, and only then is Telegram's 429 handed to the caller.
// - 5xx from the Bot API: a few retries with backoff; other answers pass through untouched.
//
// grammY's @grammyjs/auto-retry retries a 429 but keeps no shared state (another process, or another chat of the
// same bot, would still call early) and @grammyjs/transformer-throttler paces per process only; neither can put
// an interactive reply before a broadcast across processes. Hence this module.
import { setMaxListeners } from "node:events";
import type { Logger } from "../../logger.ts";
import { type Clock, realClock } from "../clock.ts";
import { BotGate, type Priority } from "./bot-gate.ts";
import { COALESCED, type Pacing, pacingOf } from "./methods.ts";
import type { RateRule, RateStore } from "./rate-store.ts";
import { type BotApiRequest, readRequest } from "./request.ts";

export type { Priority } from "./bot-gate.ts";

export interface TransportLimits {
  /** Messages a second for the bot as a whole (Telegram allows about 30). */
  botPerSecond: number;
  /** Spacing of messages to one chat, and how many may go at once after a quiet spell. */
  chatIntervalMs: number;
  chatBurst: number;
  /** The longest a call waits in all (pacing and retry_after) before Telegram's answer is handed back. */
  maxWaitMs: number;
  /** One HTTP attempt's timeout. */
  attemptTimeoutMs: number;
}

export const DEFAULT_LIMITS: TransportLimits = {
  botPerSecond: 29.2,
  chatIntervalMs: 1050,
  chatBurst: 3,
  maxWaitMs: 15 * 60_000,
  attemptTimeoutMs: 30_000,
};

export interface TransportStats {
  calls: number;
  paced: number;
  tooMany: number;
  retries: number;
  coalesced: number;
  gaveUp: number;
}

export interface TelegramTransportOptions {
  /** Scope of the shared state: the bot's id in our database. */
  botId: number;
  store: RateStore;
  limits?: Partial<TransportLimits>;
  clock?: Clock;
  /** The HTTP client under the transport (default: the global fetch). */
  fetch?: typeof fetch;
  logger?: Logger;
}

export interface TelegramTransport {
  /** A fetch for grammY's `client.fetch`: calls made through it are paced with this priority. */
  fetch(priority: Priority, inner?: typeof fetch): typeof fetch;
  readonly stats: TransportStats;
  /** Calls waiting in this process (lanes and the bot gate). */
  pending(): number;
  /**
   * Shutting down: calls still waiting for their turn are given up (rejected), new ones refused; calls already
   * at Telegram finish. The jobs' sends release their claim and are retried by another process.
   */
  close(): void;
}

interface Waiter {
  resolve(res: Response): void;
  reject(err: unknown): void;
}

interface Call {
  req: BotApiRequest;
  pacing: Pacing;
  priority: Priority;
  inner: typeof fetch;
  waiters: Waiter[];
  started: boolean;
  signal?: AbortSignal;
  /** What its waits follow: its caller's signal and the transport's shutdown (set while it is being settled). */
  wait?: AbortSignal;
}

const SERVER_RETRIES = 3;

export function createTelegramTransport(opts: TelegramTransportOptions): TelegramTransport {
  const limits = { ...DEFAULT_LIMITS, ...opts.limits };
  const clock = opts.clock ?? realClock;
  const store = opts.store;
  const botKey = `bot:${opts.botId}`;
  const chatKey = (chat: string) => `chat:${opts.botId}:${chat}`;
  const chatRule: RateRule = { intervalMs: limits.chatIntervalMs, burst: limits.chatBurst };
  // Telegram's "about 30 a second" judged on arrival: the bucket spaces the slots at the bot's rate, the window
  // keeps latency from crowding more than ⌈rate⌉ arrivals into one second (see rate-store.ts).
  const botRule: RateRule = {
    intervalMs: 1000 / limits.botPerSecond,
    burst: 1,
    window: { count: Math.ceil(limits.botPerSecond), ms: 1000, pendingMs: limits.attemptTimeoutMs },
  };
  const gate = new BotGate({ store, key: botKey, rule: botRule, clock });
  const lanes = new Map<string, Call[]>();
  const shutdown = new AbortController();
  // Every call in flight listens to it (hundreds during a broadcast), each only until it settles.
  setMaxListeners(0, shutdown.signal);
  const waitSignal = (call: Call) => call.wait ?? shutdown.signal;
  const stats: TransportStats = { calls: 0, paced: 0, tooMany: 0, retries: 0, coalesced: 0, gaveUp: 0 };

  function coalesce(lane: Call[], call: Call): boolean {
    if (!COALESCED.has(call.req.method) || !call.req.messageId) return false;
    const older = lane.find(
      (c) => !c.started && c.req.method === call.req.method && c.req.messageId === call.req.messageId,
    );
    if (!older) return false;
    older.req = call.req;
    older.waiters.push(...call.waiters);
    stats.coalesced++;
    return true;
  }

  async function runLane(key: string, lane: Call[]): Promise<void> {
    while (lane.length > 0) {
      const call = lane[0];
      call.started = true;
      await settle(call);
      lane.shift();
    }
    lanes.delete(key);
  }

  async function settle(call: Call): Promise<void> {
    const wait = linkedSignal(call.signal ? [call.signal, shutdown.signal] : [shutdown.signal]);
    call.wait = wait.signal;
    try {
      const res = await perform(call);
      if (call.waiters.length === 1) {
        call.waiters[0].resolve(res);
        return;
      }
      const body = await res.text();
      for (const w of call.waiters) w.resolve(new Response(body, { status: res.status, headers: res.headers }));
    } catch (err) {
      for (const w of call.waiters) w.reject(err);
    } finally {
      wait.dispose();
    }
  }

  async function perform(call: Call): Promise<Response> {
    const started = clock.now();
    let serverFailures = 0;
    for (;;) {
      if (call.pacing === "chat") {
        const slot = await store.reserve(chatKey(call.req.chatId!), chatRule, clock.now());
        const wait = slot.at - clock.now();
        if (wait > 0) {
          stats.paced++;
          await clock.sleep(wait, waitSignal(call));
        }
      }
      const answered =
        call.pacing === "none" ? undefined : await gate.acquire(call.priority, call.req.chatId ?? "", waitSignal(call));
      let res: Response;
      try {
        res = await attempt(call);
      } finally {
        answered?.();
      }
      if (res.status === 429) {
        stats.tooMany++;
        // Before anything else is awaited, no other call of this process may go (retry_after is at least 1 s);
        // lifted again below when the 429 turns out to be the chat's alone.
        const undo = call.pacing === "none" ? undefined : gate.block(clock.now() + 1000);
        const info = await res
          .clone()
          .json()
          .catch(() => ({}));
        const retryAfterS = Number((info as { parameters?: { retry_after?: number } }).parameters?.retry_after ?? 1);
        const until = clock.now() + Math.max(1, retryAfterS) * 1000 + 50;
        const scope = scopeOf(String((info as { description?: string }).description ?? ""), call);
        // The scope is closed for everyone first, whether this call waits or gives up.
        if (scope !== "bot") undo?.();
        if (scope === "chat") await store.block(chatKey(call.req.chatId!), until);
        else if (scope === "bot") {
          gate.block(until);
          await store.block(botKey, until);
        }
        if (until - started > limits.maxWaitMs) {
          stats.gaveUp++;
          opts.logger?.warn({ method: call.req.method, retryAfterS }, "telegram 429 longer than the transport waits");
          return res;
        }
        opts.logger?.warn({ method: call.req.method, scope, retryAfterS }, "telegram 429: waiting retry_after");
        stats.retries++;
        if (scope === "none") await clock.sleep(until - clock.now(), waitSignal(call));
        continue;
      }
      if (res.status >= 500 && serverFailures < SERVER_RETRIES) {
        serverFailures++;
        stats.retries++;
        await clock.sleep(500 * 2 ** serverFailures, waitSignal(call));
        continue;
      }
      return res;
    }
  }

  function attempt(call: Call): Promise<Response> {
    // a long poll is held open by Telegram for its `timeout` before the answer: the attempt's limit comes on top
    const timeout = AbortSignal.timeout(limits.attemptTimeoutMs + call.req.holdSeconds * 1000);
    const signal = call.signal ? AbortSignal.any([call.signal, timeout]) : timeout;
    return call.inner(call.req.url, { ...call.req.init, signal });
  }

  function scopeOf(description: string, call: Call): Pacing {
    if (call.pacing === "none") return "none";
    // Telegram's text does not always say; a chat named in it is the chat's limit, anything else the bot's.
    if (call.pacing === "chat" && /\b(chat|group|per[- ]chat)\b/i.test(description)) return "chat";
    return "bot";
  }

  return {
    stats,
    pending: () => gate.queued + [...lanes.values()].reduce((n, l) => n + l.length, 0),
    close() {
      shutdown.abort(new Error("messenger transport closed"));
    },
    fetch(priority, inner = opts.fetch ?? globalThis.fetch) {
      return (async (input: string | URL | Request, init?: RequestInit) => {
        if (shutdown.signal.aborted) throw shutdown.signal.reason;
        const req = await readRequest(input, init);
        stats.calls++;
        const pacing = pacingOf(req.method, req.chatId);
        const signal = nativeSignal(init?.signal);
        return new Promise<Response>((resolve, reject) => {
          const call: Call = { req, pacing, priority, inner, waiters: [{ resolve, reject }], started: false, signal };
          if (pacing !== "chat") {
            void settle(call);
            return;
          }
          const key = req.chatId!;
          const lane = lanes.get(key);
          if (lane) {
            if (!coalesce(lane, call)) lane.push(call);
            return;
          }
          const fresh = [call];
          lanes.set(key, fresh);
          void runLane(key, fresh);
        });
      }) as typeof fetch;
    },
  };
}

/**
 * grammY aborts its calls (a stopped long poll, its own timeout) through the `abort-controller` package's
 * signal on Node. Node's fetch and `AbortSignal.any` take that object without complaint but never follow its
 * abort, so a stopped poll stayed open until Telegram answered it: the caller's signal is followed by a native one.
 */
function nativeSignal(
  signal: Pick<AbortSignal, "aborted" | "reason" | "addEventListener"> | null | undefined,
): AbortSignal | undefined {
  if (!signal) return undefined;
  if (signal instanceof AbortSignal) return signal;
  const native = new AbortController();
  if (signal.aborted) native.abort(signal.reason);
  else signal.addEventListener("abort", () => native.abort(signal.reason), { once: true });
  return native.signal;
}

/**
 * A signal that aborts with the first of `sources`, unhooked from them by `dispose`. Not `AbortSignal.any`: a
 * signal made by it from the transport's long-lived shutdown signal, once given an abort listener, is kept by
 * Node for as long as the shutdown signal may abort, so every call ever made stayed in memory (about 2 KB a
 * message in a worker).
 */
function linkedSignal(sources: AbortSignal[]): { signal: AbortSignal; dispose(): void } {
  const linked = new AbortController();
  const onAbort = (event: Event) => linked.abort((event.target as AbortSignal).reason);
  const hooked: AbortSignal[] = [];
  for (const source of sources) {
    if (source.aborted) {
      linked.abort(source.reason);
      break;
    }
    source.addEventListener("abort", onAbort, { once: true });
    hooked.push(source);
  }
  return {
    signal: linked.signal,
    dispose: () => {
      for (const source of hooked) source.removeEventListener("abort", onAbort);
    },
  };
}
