// The payload of a notify job: ids only. The message itself (recipient, text) is re-derived at send time by
// running the source's outbox handler again, so nothing personal sits in Redis and a stale alert is skipped.
import { z } from "zod";

export const notifyPayloadSchema = z.object({
  schoolId: z.number().int().positive(),
  /** The outbox row (or any handler kind and its id-only payload) the message comes from. */
  source: z.object({ kind: z.string().min(1), payload: z.record(z.string(), z.unknown()) }),
  dedupKey: z.string().min(1).max(200),
});
export type NotifyPayload = z.infer<typeof notifyPayloadSchema>;
