// What the transport needs to know of a Bot API request grammY is about to make: the method (from the URL), the
// chat and message it is about (from the JSON or multipart body), and the body itself, kept so the request can
// be sent again after a 429.
export interface BotApiRequest {
  url: string;
  method: string;
  chatId?: string;
  messageId?: string;
  /** How long Telegram may hold the request before it answers: a long poll's `timeout` (getUpdates). */
  holdSeconds: number;
  init: RequestInit;
}

const METHOD_RE = /\/bot[^/]+\/([A-Za-z]+)$/;

async function bufferBody(body: unknown): Promise<Uint8Array | string | undefined> {
  if (body === undefined || body === null || typeof body === "string") return body ?? undefined;
  if (body instanceof Uint8Array) return body;
  const chunks: Uint8Array[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) {
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  }
  return Buffer.concat(chunks);
}

function field(body: Uint8Array | string | undefined, name: string): string | undefined {
  if (body === undefined) return undefined;
  if (typeof body === "string") {
    try {
      const v = (JSON.parse(body) as Record<string, unknown>)[name];
      return v === undefined || v === null ? undefined : String(v);
    } catch {
      return undefined;
    }
  }
  // multipart/form-data: the field's value follows its part header and a blank line.
  const text = Buffer.from(body.buffer, body.byteOffset, Math.min(body.byteLength, 64 * 1024)).toString("latin1");
  const m = new RegExp(`name="${name}"\\r\\n\\r\\n([^\\r]*)\\r\\n`).exec(text);
  return m?.[1];
}

export async function readRequest(input: string | URL | Request, init: RequestInit = {}): Promise<BotApiRequest> {
  const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
  const method = METHOD_RE.exec(new URL(url).pathname)?.[1] ?? "";
  const body = await bufferBody(init.body);
  return {
    url,
    method,
    chatId: field(body, "chat_id"),
    messageId: field(body, "message_id"),
    holdSeconds: method === "getUpdates" ? Math.max(0, Number(field(body, "timeout") ?? 0) || 0) : 0,
    init: { ...init, body: body as BodyInit | undefined },
  };
}
