// Small helpers of the marks screens: a core call inside a conversation whose AppError
// survives the replay log. Showing and answering are the UI kit's (src/bot/ui).
import { AppError, type ErrorCode, isAppError } from "../../../core/errors.ts";

export { button, type Keyboard, markup, rows } from "../../ui/index.ts";

/** What a core call returned inside a conversation: JSON-safe, with AppErrors kept as codes. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; code: ErrorCode; details: Record<string, unknown> };

export async function outcome<T>(fn: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (err) {
    if (isAppError(err)) return { ok: false, code: err.code, details: JSON.parse(JSON.stringify(err.details)) };
    throw err;
  }
}

/** Turns a failed outcome back into the AppError (for the error boundary) when the caller has nothing better. */
export function unwrap<T>(res: Outcome<T>): T {
  if (res.ok) return res.value;
  throw new AppError(res.code, res.details);
}

/** The issue codes of a VALIDATION error, e.g. "reason/required". */
export function issueCodes(details: Record<string, unknown>): string[] {
  const issues = Array.isArray(details.issues) ? (details.issues as { path?: string; code?: string }[]) : [];
  return issues.map((i) => `${i.path ?? ""}/${i.code ?? ""}`);
}

export function isAppErrorCode(err: unknown, code: ErrorCode): err is AppError {
  return isAppError(err, code);
}
