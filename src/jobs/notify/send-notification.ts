// The sender: one recorded message to its chat. A handful of statements: claim the Delivery row with a lease (one
// UPDATE … RETURNING: of two workers holding the same job only one talks to the messenger), re-check that it is
// still current (the handler's one cheap query), send it through the paced transport, record the outcome (the
// message id is appended, so a second accepted attempt after a crash is visible in the ledger) and run the
// handler's afterSend. The Delivery row's unique dedupKey and status make a retried or duplicated job harmless.
import type { Db } from "../../core/tx.ts";
import type { Logger } from "../../logger.ts";
import type { BuiltMessage } from "../../messenger/message.ts";
import type { MessengerSender } from "../../messenger/telegram/adapter.ts";
import type { OutboxHandler } from "../outbox/handler.ts";
import type { NotifyPayload } from "./payload.ts";

export interface SenderDeps {
  prisma: Db;
  logger: Logger;
  handlers: Map<string, OutboxHandler>;
  /** The sender of the bot a delivery goes through, if this process serves it. */
  senderFor(botId: number): MessengerSender | undefined;
  now?: () => Date;
}

/** How long an attempt in progress holds its message (longer than a paced send may wait for its turn). */
export const LEASE_MS = 25 * 60_000;

export type SendOutcome =
  | { status: "sent"; messageId: number }
  | { status: "skipped"; reason: "already-done" | "stale" }
  | { status: "delayed"; until: Date; reason: "not-due" | "claimed-elsewhere" }
  | { status: "blocked" }
  | { status: "failed"; reason: string }
  | { status: "retry"; reason: string };

export async function sendNotification(data: NotifyPayload, deps: SenderDeps): Promise<SendOutcome> {
  const { prisma } = deps;
  const now = deps.now?.() ?? new Date();
  const id = BigInt(data.deliveryId);
  const [d] = await prisma.delivery.updateManyAndReturn({
    where: {
      id,
      status: "PENDING",
      dueAt: { lte: now },
      OR: [{ claimedAt: null }, { claimedAt: { lt: new Date(now.getTime() - LEASE_MS) } }],
    },
    data: { claimedAt: now, attempts: { increment: 1 } },
    select: { id: true, botId: true, chatId: true, personId: true, kind: true, text: true, buttons: true, ref: true },
  });
  if (!d) return whyNotClaimed(prisma, id, now);
  const handler = deps.handlers.get(d.kind);
  const ref = (d.ref ?? {}) as Record<string, unknown>;
  let current: boolean;
  try {
    current = d.text !== null && (!handler?.isCurrent || (await handler.isCurrent(prisma, ref, now)));
  } catch (err) {
    // the check failed (the database blinked): the claim goes back at once, not after its lease
    await release(prisma, d.id);
    throw err;
  }
  if (!current || d.text === null) {
    await finish(prisma, d.id, { status: "FAILED", error: "stale" });
    return { status: "skipped", reason: "stale" };
  }
  const sender = d.botId === null ? undefined : deps.senderFor(d.botId);
  if (!sender) {
    await release(prisma, d.id);
    return { status: "retry", reason: "bot not served here" };
  }
  const message: BuiltMessage = { text: d.text, buttons: (d.buttons ?? undefined) as BuiltMessage["buttons"] };
  let result: Awaited<ReturnType<MessengerSender["send"]>>;
  try {
    result = await sender.send(d.chatId, message);
  } catch (err) {
    await release(prisma, d.id);
    throw err;
  }
  const log = deps.logger.child({ deliveryId: String(d.id), kind: d.kind });
  if (result.ok) {
    const sentAt = new Date();
    await prisma.delivery.update({
      where: { id: d.id },
      data: {
        status: "SENT",
        messageId: result.messageId,
        messageIds: { push: result.messageId },
        sentAt,
        claimedAt: null,
      },
    });
    await handler?.afterSend?.(prisma, ref, sentAt);
    return { status: "sent", messageId: result.messageId };
  }
  switch (result.kind) {
    case "retry-after":
      await release(prisma, d.id);
      log.warn({ retryAfterMs: result.retryAfterMs }, "telegram 429 longer than the transport waits; retried later");
      return { status: "retry", reason: "retry-after" };
    case "blocked":
      await prisma.messengerAccount.updateMany({
        where: { botId: d.botId!, chatId: d.chatId, blockedAt: null },
        data: { blockedAt: new Date() },
      });
      await finish(prisma, d.id, { status: "BLOCKED", error: result.description });
      log.info("chat blocked the bot");
      return { status: "blocked" };
    case "rejected":
      await finish(prisma, d.id, { status: "FAILED", error: result.description });
      log.warn({ error: result.description }, "telegram rejected the message");
      return { status: "failed", reason: result.description };
  }
}

/** The rare case of a claim that took nothing: done already, not due yet (run early), or held by another worker. */
async function whyNotClaimed(prisma: Db, id: bigint, now: Date): Promise<SendOutcome> {
  const row = await prisma.delivery.findUnique({ where: { id }, select: { status: true, dueAt: true } });
  if (row?.status !== "PENDING") return { status: "skipped", reason: "already-done" };
  if (row.dueAt > now) return { status: "delayed", until: row.dueAt, reason: "not-due" };
  return { status: "delayed", until: new Date(now.getTime() + 5000), reason: "claimed-elsewhere" };
}

/** Marks the delivery FAILED after the last attempt of a transient failure. */
export async function recordFailure(prisma: Db, deliveryId: string, error: string): Promise<void> {
  await prisma.delivery.updateMany({
    where: { id: BigInt(deliveryId), status: "PENDING" },
    data: { status: "FAILED", error, claimedAt: null },
  });
}

function release(prisma: Db, id: bigint) {
  return prisma.delivery.updateMany({ where: { id, status: "PENDING" }, data: { claimedAt: null } });
}

function finish(prisma: Db, id: bigint, data: { status: "FAILED" | "BLOCKED"; error?: string }) {
  return prisma.delivery.update({ where: { id }, data: { ...data, error: data.error ?? null, claimedAt: null } });
}
