// What may reach a log line. pino's path redaction matches fixed depths only (`*.text` is one level), and a
// library error carries the request it failed on (grammY's GrammyError: `err.payload.text`, `caption`,
// `reply_markup`…), so every logged object is walked here, at any depth, before it is written:
// - errors keep what says what went wrong (type, message, stack, code, Telegram's error_code/description/method,
//   retry_after) and lose the rest (the payload);
// - fields that hold what people wrote or are called (texts, captions, keyboards, names, bodies) are redacted;
// - an AppError's `details` keep ids and codes only;
// - any string with Cyrillic in it is redacted: our own code writes none (src/ is Cyrillic-free outside the
//   demo data), so such a string is a person's name or words.

const REDACTED = "[redacted]";
const MAX_DEPTH = 8;

/** Keys whose values are message contents or people's names, wherever they sit. */
const SENSITIVE_KEYS = new Set([
  "text",
  "caption",
  "reply_markup",
  "payload",
  "body",
  "first_name",
  "last_name",
  "username",
  "firstName",
  "lastName",
  "middleName",
  "fullName",
  "full_name",
  "title",
  "comment",
  "phone_number",
  "contact",
  "file_name",
  "inviteCode",
  "invite_code",
  "question",
  "explanation",
]);

/** In `details`, the keys whose short code-like strings are kept (everything else there is ids or goes). */
const DETAIL_STRING_KEYS = new Set([
  "code",
  "path",
  "field",
  "reason",
  "permission",
  "status",
  "callback",
  "from",
  "to",
  "lessonDate",
  "kind",
  "role",
]);
const CODE_LIKE = /^[A-Za-z0-9_.:/-]{1,64}$/;
const CYRILLIC = /[\u0400-\u04FF]/;

/** A Bot API token ("123456:ABC…"), as a URL or a library's message may carry it. */
const BOT_TOKEN = /\d{3,20}:[A-Za-z0-9_-]{30,}/g;
const cleanString = (s: string) => (CYRILLIC.test(s) ? REDACTED : s.replace(BOT_TOKEN, REDACTED));

/** An error as a log line may show it: what went wrong, never the request it carried. */
export function safeError(err: unknown, depth = 0): unknown {
  if (!(err instanceof Error)) return scrub(err, depth + 1);
  const e = err as Error & Record<string, unknown>;
  const out: Record<string, unknown> = {
    type: e.name || e.constructor?.name || "Error",
    message: cleanString(e.message),
  };
  if (typeof e.stack === "string") out.stack = cleanString(e.stack);
  for (const key of ["code", "error_code", "description", "method", "status", "statusCode", "errno"]) {
    const v = e[key];
    if (typeof v === "number" || typeof v === "boolean") out[key] = v;
    else if (typeof v === "string") out[key] = cleanString(v);
  }
  const parameters = e.parameters as { retry_after?: unknown } | undefined;
  if (typeof parameters?.retry_after === "number") out.retry_after = parameters.retry_after;
  if (e.details && typeof e.details === "object") out.details = idsOnly(e.details);
  // grammY's HttpError keeps the network error in `error`; others use `cause`
  const cause = e.cause ?? (e.error instanceof Error ? e.error : undefined);
  if (cause !== undefined && depth < 4) out.cause = safeError(cause, depth + 1);
  return out;
}

/** Ids, numbers, flags and short codes; any other value is redacted. For an AppError's details. */
export function idsOnly(value: unknown, key = "", depth = 0): unknown {
  if (value === null || typeof value === "number" || typeof value === "boolean") return value;
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "string") return DETAIL_STRING_KEYS.has(key) && CODE_LIKE.test(value) ? value : REDACTED;
  if (depth >= MAX_DEPTH) return REDACTED;
  if (Array.isArray(value)) return value.map((v) => idsOnly(v, key, depth + 1));
  if (typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = idsOnly(v, k, depth + 1);
    return out;
  }
  return undefined;
}

/** A logged object, deep-copied with everything personal taken out. */
export function scrub(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === "string") return cleanString(value);
  if (value === null || typeof value !== "object") return value;
  if (value instanceof Error) return safeError(value, depth);
  if (value instanceof Date) return value;
  if (depth >= MAX_DEPTH || seen.has(value)) return REDACTED;
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1, seen));
  if (Buffer.isBuffer(value) || ArrayBuffer.isView(value)) return REDACTED;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined) continue;
    if (SENSITIVE_KEYS.has(k)) out[k] = REDACTED;
    else if (k === "details" && v && typeof v === "object") out[k] = idsOnly(v);
    else out[k] = scrub(v, depth + 1, seen);
  }
  return out;
}
