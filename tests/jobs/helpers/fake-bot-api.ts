// A fake Telegram Bot API on 127.0.0.1 for the sender: sendMessage only. It records what it accepted and can
// answer 429 with retry_after (a scripted storm, or by enforcing per-bot/per-chat rates like Telegram) and 403
// for chats that blocked the bot. While a 429 pause is running it refuses everything and counts requests
// that arrived clearly after the 429 went out ("early": they should have waited).
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface SentMessage {
  chatId: number;
  text: string;
  at: number;
}

export interface FakeBotApiOptions {
  /** The first N sendMessage calls answer 429 with this retry_after (seconds). */
  storm?: { count: number; retryAfter: number };
  /** Enforce Telegram's limits: at most `perBot` messages in any second, one per chat per `perChatMs`. */
  enforce?: { perBot: number; perChatMs: number };
  blockedChats?: number[];
}

export interface FakeBotApi {
  apiRoot: string;
  sent: SentMessage[];
  requests: number;
  tooMany: number;
  /** Requests that arrived during a retry_after pause, more than 100 ms after the 429 was sent. */
  early: number;
  byChat(chatId: number | bigint): string[];
  close(): Promise<void>;
}

export async function startFakeBotApi(opts: FakeBotApiOptions = {}): Promise<FakeBotApi> {
  const blocked = new Set(opts.blockedChats ?? []);
  let storm = opts.storm?.count ?? 0;
  let pausedFrom = 0;
  let pausedUntil = 0;
  let nextId = 1;
  const window: number[] = [];
  const lastByChat = new Map<number, number>();
  const state = { sent: [] as SentMessage[], requests: 0, tooMany: 0, early: 0 };

  const tooMany = (retryAfter: number) => {
    state.tooMany++;
    const now = Date.now();
    if (now >= pausedUntil) {
      pausedFrom = now;
      pausedUntil = now + retryAfter * 1000;
    }
    return {
      status: 429,
      body: {
        ok: false,
        error_code: 429,
        description: `Too Many Requests: retry after ${retryAfter}`,
        parameters: { retry_after: retryAfter },
      },
    };
  };

  const handle = (method: string, body: Record<string, unknown>) => {
    if (method !== "sendMessage") return { status: 200, body: { ok: true, result: true } };
    state.requests++;
    const now = Date.now();
    const chatId = Number(body.chat_id);
    if (now < pausedUntil) {
      if (now > pausedFrom + 100) state.early++;
      return tooMany(Math.max(1, Math.ceil((pausedUntil - now) / 1000)));
    }
    if (storm > 0) {
      storm--;
      return tooMany(opts.storm!.retryAfter);
    }
    if (blocked.has(chatId)) {
      return {
        status: 403,
        body: { ok: false, error_code: 403, description: "Forbidden: bot was blocked by the user" },
      };
    }
    if (opts.enforce) {
      while (window.length && window[0] <= now - 1000) window.shift();
      const last = lastByChat.get(chatId);
      if (window.length >= opts.enforce.perBot || (last !== undefined && now - last < opts.enforce.perChatMs)) {
        return tooMany(1);
      }
      window.push(now);
      lastByChat.set(chatId, now);
    }
    const text = String(body.text ?? "");
    state.sent.push({ chatId, text, at: now });
    return {
      status: 200,
      body: {
        ok: true,
        result: { message_id: nextId++, date: Math.floor(now / 1000), chat: { id: chatId, type: "private" }, text },
      },
    };
  };

  const server: Server = createServer(async (req, res) => {
    const body = await readJson(req);
    const method = (req.url ?? "").split("/").pop() ?? "";
    const out = handle(method, body);
    res.writeHead(out.status, { "content-type": "application/json" });
    res.end(JSON.stringify(out.body));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return {
    apiRoot: `http://127.0.0.1:${port}`,
    get sent() {
      return state.sent;
    },
    get requests() {
      return state.requests;
    },
    get tooMany() {
      return state.tooMany;
    },
    get early() {
      return state.early;
    },
    byChat: (chatId) => state.sent.filter((m) => m.chatId === Number(chatId)).map((m) => m.text),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const raw = Buffer.concat(chunks).toString("utf8");
  if (!raw) return {};
  try {
    return JSON.parse(raw);
  } catch {
    return Object.fromEntries(new URLSearchParams(raw));
  }
}
