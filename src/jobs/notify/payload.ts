// The payload of a notify job: the Delivery row's id only. The message itself was built when it was dispatched
// and waits in the ledger (PostgreSQL), so nothing personal sits in Redis.
import { z } from "zod";

export const notifyPayloadSchema = z.object({
  deliveryId: z.string().regex(/^\d+$/),
});
export type NotifyPayload = z.infer<typeof notifyPayloadSchema>;
