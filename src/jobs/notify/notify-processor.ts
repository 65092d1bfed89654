// The notify job: runs the sender and turns its outcome into BullMQ moves.
//
// How the Telegram limits are kept (one bot per deployment, so the notify queue is that bot's queue):
// - ≈30 messages/s per bot: the notify worker's BullMQ limiter (one message per 1000/rate ms, shared by every
//   worker process through Redis or PostgreSQL; small windows avoid bursts at window edges).
// - ≈1 message/s per chat: the dispatcher gives each message a due time one second after the chat's previous
//   one and delays its job until then; at send time chat-gate.ts re-checks against the ledger and, when needed,
//   moves the job to delayed (job.moveToDelayed + DelayedError: no attempt is used up).
// - 429 retry_after: the sender records "bot paused until" (shared, bot-pause.ts) and the processor
//   rate-limits the whole notify queue for retry_after (queue.rateLimit + Worker.RateLimitError): the job goes
//   back to waiting with its attempts intact and its Delivery still PENDING, so nothing is lost; jobs already
//   in flight see the pause before calling Telegram. A chat's later message waits while its earlier one is
//   PENDING (chat-gate.ts), so the re-queued message is not overtaken.
// - Network failures and 5xx: thrown, retried by BullMQ with exponential backoff; after the last attempt the
//   Delivery is marked FAILED.
// - 403: the account is marked blocked and the Delivery BLOCKED; no retry, and no further sends to that
//   account until the bot layer clears MessengerAccount.blockedAt when the person returns.
import { DelayedError, type JobsOptions, Worker } from "bullmq";
import type { JobContext } from "../registry.ts";
import type { NotifyPayload } from "./payload.ts";
import { recordFailure, type SenderDeps, sendNotification } from "./send-notification.ts";

export const NOTIFY_JOB_OPTIONS: JobsOptions = {
  attempts: 10,
  backoff: { type: "exponential", delay: 1000 },
  removeOnComplete: true,
  removeOnFail: { count: 5000 },
};

export function notifyLimiter(messagesPerSecond = 28): { max: number; duration: number } {
  return { max: 1, duration: Math.ceil(1000 / messagesPerSecond) };
}

export async function processNotify(data: NotifyPayload, ctx: JobContext, deps: SenderDeps): Promise<unknown> {
  let outcome: Awaited<ReturnType<typeof sendNotification>>;
  try {
    outcome = await sendNotification(data, { ...deps, logger: ctx.logger });
  } catch (err) {
    const attempts = ctx.job.opts.attempts ?? 1;
    if (ctx.job.attemptsMade + 1 >= attempts) {
      await recordFailure(deps.prisma, data.dedupKey, err instanceof Error ? err.message : String(err));
    }
    throw err;
  }
  switch (outcome.status) {
    case "delayed":
      await ctx.job.moveToDelayed(outcome.until.getTime(), ctx.token);
      throw new DelayedError();
    case "paused":
      await ctx.queue.rateLimit(outcome.ms);
      throw Worker.RateLimitError();
    default:
      return outcome;
  }
}
