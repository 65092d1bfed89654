// A fake Telegram Bot API on 127.0.0.1 for the jobs' sender: sendMessage (and sendDocument) recorded, answered
// like Telegram. It can answer 429 with retry_after — a scripted storm, or by enforcing Telegram's flood control
// (tests/helpers/flood-control.ts: per chat and per bot) — and 403 for chats that blocked the bot. A request to
// a scope still closed by a 429 is a premature retry (counted exactly, on the fake's clock).
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type Clock, realClock } from "../../../src/messenger/clock.ts";
import { FloodControl, type FloodLimits, TELEGRAM_LIKE } from "../../helpers/flood-control.ts";

export interface SentMessage {
  chatId: number;
  text: string;
  at: number;
  /** The token of the bot that sent it (the URL's /bot<token>/). */
  token: string;
}

export interface FakeBotApiOptions {
  /**
   * The first N sendMessage calls answer 429 with this retry_after (seconds), closing the bot (or, with scope
   * "chat", that chat: the description says "per chat") until then.
   */
  storm?: { count: number; retryAfter: number; scope?: "bot" | "chat" };
  /** Enforce Telegram's flood control (true: about 30/s per bot, 1/s per chat with a burst of 3). */
  enforce?: boolean | FloodLimits;
  blockedChats?: number[];
  clock?: Clock;
  /** How long an empty getUpdates is held (ms, default 200); capped by the poll's own `timeout`, as Telegram does. */
  holdPollsMs?: number;
  /**
   * Answer getMe like Telegram for these tokens (the bot's user id and username), 401 Unauthorized for any
   * other token. Without it getMe answers for any token: bot <id before the colon>, @school_<id>_bot.
   */
  bots?: Record<string, { id: number; username: string }>;
}

export interface FakeBotApi {
  apiRoot: string;
  /** Every call, in order: which bot (token), which method, what body. */
  calls: { token: string; method: string; body: Record<string, unknown> }[];
  sent: SentMessage[];
  requests: number;
  tooMany: number;
  /** Requests to a scope still closed by a 429 (they should have waited for retry_after). */
  premature: number;
  /** How many getMe calls the fake answered. */
  getMeCalls: number;
  /** While on, sendMessage calls get no answer until released (an update caught mid-handling). */
  holdSends(on: boolean): void;
  /** The sendMessage calls held so far, in order (released ones included). */
  held: { body: Record<string, unknown>; release(): void }[];
  byChat(chatId: number | bigint): string[];
  close(): Promise<void>;
}

export async function startFakeBotApi(opts: FakeBotApiOptions = {}): Promise<FakeBotApi> {
  const clock = opts.clock ?? realClock;
  const blocked = new Set(opts.blockedChats ?? []);
  // Telegram's limits are per bot: one flood control per token.
  const floods = new Map<string, FloodControl>();
  const floodOf = (token: string) => {
    let f = floods.get(token);
    if (!f) {
      f = new FloodControl(clock, typeof opts.enforce === "object" ? opts.enforce : TELEGRAM_LIKE);
      floods.set(token, f);
    }
    return f;
  };
  let storm = opts.storm?.count ?? 0;
  const stormUntil = new Map<string, number>();
  const stormScope = (chatId: number) => (opts.storm?.scope === "chat" ? `chat:${chatId}` : "bot");
  let nextId = 1;
  const state = { sent: [] as SentMessage[], requests: 0, tooMany: 0, premature: 0 };
  const calls: FakeBotApi["calls"] = [];

  const tooMany = (retryAfter: number) => ({
    status: 429,
    body: {
      ok: false,
      error_code: 429,
      description: `Too Many Requests: retry after ${retryAfter}${opts.storm?.scope === "chat" ? " (per chat)" : ""}`,
      parameters: { retry_after: retryAfter },
    },
  });

  const handle = (token: string, method: string, body: Record<string, unknown>) => {
    if (method === "getMe" && opts.bots) {
      const bot = opts.bots[token];
      if (!bot) return { status: 401, body: { ok: false, error_code: 401, description: "Unauthorized" } };
      return {
        status: 200,
        body: { ok: true, result: { id: bot.id, is_bot: true, first_name: bot.username, username: bot.username } },
      };
    }
    if (method === "getMe") {
      const id = Number(token.split(":")[0]);
      return {
        status: 200,
        body: { ok: true, result: { id, is_bot: true, first_name: "School", username: `school_${id}_bot` } },
      };
    }
    if (method === "getUpdates") return { status: 200, body: { ok: true, result: [] } };
    if (method !== "sendMessage" && method !== "sendDocument") return { status: 200, body: { ok: true, result: true } };
    state.requests++;
    const now = clock.now();
    const chatId = Number(body.chat_id);
    const closedUntil = stormUntil.get(stormScope(chatId)) ?? 0;
    if (now < closedUntil) {
      state.premature++;
      state.tooMany++;
      return tooMany(Math.max(1, Math.ceil((closedUntil - now) / 1000)));
    }
    if (storm > 0) {
      storm--;
      state.tooMany++;
      stormUntil.set(stormScope(chatId), now + opts.storm!.retryAfter * 1000);
      return tooMany(opts.storm!.retryAfter);
    }
    if (opts.enforce) {
      const verdict = floodOf(token).judge(method, String(chatId));
      if (!verdict.ok) {
        state.tooMany++;
        return {
          status: 429,
          body: {
            ok: false,
            error_code: 429,
            description: verdict.description,
            parameters: { retry_after: verdict.retryAfter },
          },
        };
      }
    }
    if (blocked.has(chatId)) {
      return {
        status: 403,
        body: { ok: false, error_code: 403, description: "Forbidden: bot was blocked by the user" },
      };
    }
    const text = String(body.text ?? body.caption ?? "");
    state.sent.push({ chatId, text, at: now, token });
    return {
      status: 200,
      body: {
        ok: true,
        result: { message_id: nextId++, date: Math.floor(now / 1000), chat: { id: chatId, type: "private" }, text },
      },
    };
  };

  let holding = false;
  const held: FakeBotApi["held"] = [];
  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    const [, token = "", method = ""] = /^\/bot([^/]+)\/([^/?]+)/.exec(req.url ?? "") ?? [];
    calls.push({ token, method, body });
    if (method === "sendMessage" && holding) await new Promise<void>((release) => held.push({ body, release }));
    // a long poll with nothing to hand out: held a little, as Telegram holds it
    if (method === "getUpdates") {
      const hold = Math.min(opts.holdPollsMs ?? 200, Number(body.timeout ?? 0) * 1000 || (opts.holdPollsMs ?? 200));
      await new Promise((r) => setTimeout(r, hold));
    }
    const out = handle(token, method, body);
    if (process.env.FAKE_DEBUG)
      process.stderr.write(`FAKE ${Date.now() % 100000} ${method} ${body.chat_id} ${out.status}\n`);
    res.writeHead(out.status, { "content-type": "application/json" });
    res.end(JSON.stringify(out.body));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return {
    apiRoot: `http://127.0.0.1:${port}`,
    calls,
    get sent() {
      return state.sent;
    },
    get requests() {
      return state.requests;
    },
    get tooMany() {
      return state.tooMany;
    },
    get premature() {
      return state.premature + [...floods.values()].reduce((n, f) => n + f.premature, 0);
    },
    get getMeCalls() {
      return calls.filter((c) => c.method === "getMe").length;
    },
    byChat: (chatId) => state.sent.filter((m) => m.chatId === Number(chatId)).map((m) => m.text),
    holdSends(on) {
      holding = on;
    },
    held,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** JSON, urlencoded, or the fields of a multipart body (a document upload). */
async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const raw = Buffer.concat(chunks).toString("latin1");
  if (!raw) return {};
  const type = req.headers["content-type"] ?? "";
  if (type.startsWith("multipart/form-data")) {
    const fields: Record<string, string> = {};
    for (const m of raw.matchAll(/name="([^"]+)"\r\n\r\n([^\r]*)\r\n/g))
      fields[m[1]] = Buffer.from(m[2], "latin1").toString("utf8");
    return fields;
  }
  const text = Buffer.from(raw, "latin1").toString("utf8");
  try {
    return JSON.parse(text);
  } catch {
    return Object.fromEntries(new URLSearchParams(text));
  }
}
