// "The database or Redis is not there" as opposed to "this update's handling went wrong". The webhook answers
// the first with a retryable 503 (Telegram redelivers later) and the second with 200 (the chat must not stall).
// The bot's error boundary catches everything a handler throws, so a storage failure deep inside the handling
// is also reported to the webhook's watch (an AsyncLocalStorage scope around one update), not only thrown.
import { AsyncLocalStorage } from "node:async_hooks";

export type Dependency = "database" | "redis";

export class InfrastructureError extends Error {
  constructor(
    readonly dependency: Dependency,
    options?: { cause?: unknown },
  ) {
    super(`${dependency} unavailable`, options);
    this.name = "InfrastructureError";
  }
}

// Node's socket errors, PostgreSQL's "cannot connect now"/"too many connections"/admin shutdown, Prisma's
// "can't reach the database" family, and what ioredis says when it cannot or will not send a command.
const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH", "ENOTFOUND", "EPIPE"]);
const POSTGRES_CODES = new Set(["57P01", "57P02", "57P03", "53300", "08000", "08001", "08003", "08006"]);
const PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);
const REDIS_MESSAGES = [
  /Connection is closed/,
  /Stream isn't writeable/,
  /Command timed out/,
  /max retries per request/i,
];

/** True when the error (or one of its causes) says a dependency is unreachable. */
export function isInfrastructureFailure(err: unknown): boolean {
  let e = err as { code?: unknown; cause?: unknown; message?: unknown; name?: unknown } | undefined;
  for (let depth = 0; e && typeof e === "object" && depth < 6; depth++) {
    if (e instanceof InfrastructureError) return true;
    const code = typeof e.code === "string" ? e.code : "";
    if (NETWORK_CODES.has(code) || POSTGRES_CODES.has(code) || PRISMA_CODES.has(code)) return true;
    if (e.name === "MaxRetriesPerRequestError") return true;
    if (typeof e.message === "string" && REDIS_MESSAGES.some((re) => re.test(e!.message as string))) return true;
    e = e.cause as typeof e;
  }
  return false;
}

interface Watch {
  failures: InfrastructureError[];
}

const current = new AsyncLocalStorage<Watch>();

/** Runs `fn` and tells whether a dependency failed while it ran, even if the failure was caught inside. */
export async function watchInfrastructure<T>(
  fn: () => Promise<T>,
): Promise<
  { ok: true; value: T; failure?: InfrastructureError } | { ok: false; error: unknown; failure?: InfrastructureError }
> {
  const watch: Watch = { failures: [] };
  return current.run(watch, async () => {
    try {
      const value = await fn();
      return { ok: true as const, value, failure: watch.failures[0] };
    } catch (error) {
      return { ok: false as const, error, failure: watch.failures[0] };
    }
  });
}

/** Whether the update being handled came through a webhook watch (Telegram will redeliver it on a 5xx). */
export function underWatch(): boolean {
  return current.getStore() !== undefined;
}

/** Records a dependency failure for the update being handled (no-op outside a watch) and returns it to throw. */
export function reportInfrastructureFailure(dependency: Dependency, cause: unknown): InfrastructureError {
  const failure = cause instanceof InfrastructureError ? cause : new InfrastructureError(dependency, { cause });
  current.getStore()?.failures.push(failure);
  return failure;
}
