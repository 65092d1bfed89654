// The queues of Classbook (DESIGN.md "Jobs"). One worker per queue; a job's name says which processor runs.
export const QUEUE_NAMES = ["outbox", "notify", "digest", "reports", "maintenance"] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

/** Job states reported by `counts()` (and the /metrics queue depths). */
export const JOB_STATES = [
  "waiting",
  "active",
  "delayed",
  "prioritized",
  "waiting-children",
  "failed",
  "completed",
] as const;
export type JobState = (typeof JOB_STATES)[number];

/** BullMQ custom job ids must not contain ':' (it separates Redis keys). */
export function jobId(...parts: (string | number)[]): string {
  return parts.map((p) => String(p).replace(/[:\s]/g, "_")).join("-");
}
