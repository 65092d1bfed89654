// Typed errors of the core. Adapters render `errors.<code>` (bot) or map the code to a status (HTTP);
// no user-facing text lives here.
export const ERROR_CODES = [
  "FORBIDDEN",
  "NOT_FOUND",
  "VALIDATION",
  "CONFLICT",
  "LOCKED_PERIOD",
  "CORRECTION_WINDOW_CLOSED",
  "NO_MARKS_FOR_GRADE",
  "INVITE_INVALID",
  "INVITE_EXPIRED",
  "INVITE_USED",
  "CONSENT_REQUIRED",
  "IMPORT_INVALID",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, details: Record<string, unknown> = {}) {
    super(code);
    this.name = "AppError";
    this.code = code;
    this.details = details;
  }
}

export function isAppError(err: unknown, code?: ErrorCode): err is AppError {
  return err instanceof AppError && (code === undefined || err.code === code);
}

export const forbidden = (details?: Record<string, unknown>) => new AppError("FORBIDDEN", details);
export const notFound = (details?: Record<string, unknown>) => new AppError("NOT_FOUND", details);
export const invalid = (details?: Record<string, unknown>) => new AppError("VALIDATION", details);
