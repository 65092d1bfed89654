// Sending built messages in a test without a queue: record them in the Delivery ledger as the jobs do, then run
// the real sender for each recorded delivery, in due order.
import type { Db } from "../../src/core/tx.ts";
import { type SenderDeps, type SendOutcome, sendNotification } from "../../src/jobs/notify/send-notification.ts";
import { type OutboxHandler, type OutgoingMessage, outboxHandlerMap } from "../../src/jobs/outbox/handler.ts";
import { recordMessages } from "../../src/jobs/outbox/ledger.ts";
import type { Logger } from "../../src/logger.ts";
import { createTelegramSender } from "../../src/messenger/telegram/adapter.ts";
import type { TelegramTransport } from "../../src/messenger/telegram/transport.ts";

export function testSender(opts: {
  prisma: Db;
  logger: Logger;
  handlers: OutboxHandler[];
  token: string;
  transport: TelegramTransport;
}): SenderDeps {
  const sender = createTelegramSender({ token: opts.token, transport: opts.transport });
  return {
    prisma: opts.prisma,
    logger: opts.logger,
    handlers: outboxHandlerMap(opts.handlers),
    senderFor: () => sender,
  };
}

/** Records the messages and sends them now; returns the recorded delivery ids and the outcomes. */
export async function deliverNow(
  deps: SenderDeps,
  messages: OutgoingMessage[],
): Promise<{ deliveryIds: string[]; outcomes: SendOutcome[] }> {
  const recorded = await deps.prisma.$transaction((tx) => recordMessages(tx, messages, new Date()));
  const due = [...recorded].sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
  const deliveryIds = due.map((r) => String(r.id));
  const outcomes: SendOutcome[] = [];
  for (const d of due) {
    // each bot's messages are booked a slot apart (tens of ms): the sender takes each at its due time
    const at = () => new Date(Math.max(Date.now(), d.dueAt.getTime()));
    outcomes.push(await sendNotification({ deliveryId: String(d.id) }, { ...deps, now: deps.now ?? at }));
  }
  return { deliveryIds, outcomes };
}
