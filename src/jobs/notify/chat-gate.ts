// Per-chat order and spacing, decided from the Delivery ledger (shared by every worker process):
// - order: a message waits while an earlier message to the same chat is still PENDING (a 429 or a network
//   retry puts that one back in the queue; the later one must not overtake it). "Earlier" is (dueAt, id),
//   where dueAt is the instant the message became due (see dispatch.ts); messages still waiting for their
//   due time (quiet hours) and stale ones (over an hour old: their job is gone) do not hold the chat.
// - spacing: at most one message a second per chat, measured from the last recorded send.
import type { Db } from "../../core/tx.ts";

export const CHAT_SPACING_MS = 1000;
export const STALE_PENDING_MS = 3_600_000;

export interface GateDelivery {
  id: bigint;
  schoolId: number;
  botId: number | null;
  chatId: bigint;
  dueAt: Date;
}

/** The instant before which this message must not be sent, or undefined when it may go now. */
export async function chatGate(
  db: Db,
  d: GateDelivery,
  now: Date,
): Promise<{ until: Date; reason: string } | undefined> {
  const earlier = await db.delivery.count({
    where: {
      schoolId: d.schoolId,
      botId: d.botId,
      chatId: d.chatId,
      status: "PENDING",
      id: { not: d.id },
      dueAt: { gt: new Date(now.getTime() - STALE_PENDING_MS), lte: now },
      OR: [{ dueAt: { lt: d.dueAt } }, { dueAt: d.dueAt, id: { lt: d.id } }],
    },
  });
  if (earlier > 0) {
    return { until: new Date(now.getTime() + Math.min(earlier, 10) * CHAT_SPACING_MS), reason: "chat-order" };
  }
  const last = await db.delivery.findFirst({
    where: {
      schoolId: d.schoolId,
      botId: d.botId,
      chatId: d.chatId,
      status: "SENT",
      sentAt: { gt: new Date(now.getTime() - CHAT_SPACING_MS) },
    },
    orderBy: { sentAt: "desc" },
    select: { sentAt: true },
  });
  if (last?.sentAt) return { until: new Date(last.sentAt.getTime() + CHAT_SPACING_MS), reason: "chat-spacing" };
  return undefined;
}
