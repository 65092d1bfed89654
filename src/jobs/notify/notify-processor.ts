// The notify job: runs the sender and turns its outcome into BullMQ moves. Telegram's limits are the transport's
// business (src/messenger/telegram/transport.ts: per chat and per bot, shared by every process, 429 honoured
// per scope), so the queue has no limiter of its own: its concurrency only keeps enough messages waiting at the
// transport for the bot to send at its limit. A chat's messages were spaced a second apart when they were
// recorded (src/jobs/outbox/ledger.ts) and their jobs delayed to their due time, which keeps them in order.
// Transient failures (network, 5xx, a 429 longer than the transport waits) are retried with backoff; after the
// last attempt the Delivery is marked FAILED.
import { DelayedError, type JobsOptions } from "bullmq";
import type { JobContext } from "../registry.ts";
import type { NotifyPayload } from "./payload.ts";
import { recordFailure, type SenderDeps, sendNotification } from "./send-notification.ts";

export const NOTIFY_JOB_OPTIONS: JobsOptions = {
  attempts: 10,
  backoff: { type: "exponential", delay: 1000 },
  removeOnComplete: true,
  removeOnFail: { count: 5000 },
};

const RETRY_SOON_MS = 5000;

export async function processNotify(data: NotifyPayload, ctx: JobContext, deps: SenderDeps): Promise<unknown> {
  let outcome: Awaited<ReturnType<typeof sendNotification>>;
  try {
    outcome = await sendNotification(data, { ...deps, logger: ctx.logger });
  } catch (err) {
    const attempts = ctx.job.opts.attempts ?? 1;
    if (ctx.job.attemptsMade + 1 >= attempts) {
      await recordFailure(deps.prisma, data.deliveryId, err instanceof Error ? err.message : String(err));
    }
    throw err;
  }
  if (outcome.status === "retry" || outcome.status === "delayed") {
    const until = outcome.status === "delayed" ? outcome.until.getTime() : Date.now() + RETRY_SOON_MS;
    await ctx.job.moveToDelayed(until, ctx.token);
    throw new DelayedError();
  }
  return outcome;
}
