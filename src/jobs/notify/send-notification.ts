// The sender: one message to one chat, recorded in the Delivery ledger (unique dedupKey) so that a retried,
// duplicated or crashed-and-restarted job never sends twice. Returns what happened; the notify processor turns
// "delayed" and "paused" into BullMQ moves (see notify-processor.ts). Transient failures throw (retry).

import type { Db } from "../../core/tx.ts";
import { Prisma } from "../../db/generated/client.ts";
import { pickLanguage } from "../../i18n.ts";
import type { Logger } from "../../logger.ts";
import type { OutboxHandler, OutgoingMessage } from "../outbox/handler.ts";
import { botPausedUntil, pauseBot } from "./bot-pause.ts";
import { CHAT_SPACING_MS, chatGate } from "./chat-gate.ts";
import type { NotifyPayload } from "./payload.ts";
import { renderText } from "./render.ts";
import type { TelegramSender } from "./telegram.ts";

export interface SenderDeps {
  prisma: Db;
  logger: Logger;
  handlers: Map<string, OutboxHandler>;
  telegram: TelegramSender;
  botId: number;
  now?: () => Date;
}

/** How long an attempt in progress holds its message (longer than the Telegram call's timeout). */
const LEASE_MS = 30_000;

export type SendOutcome =
  | { status: "sent"; messageId: number }
  | { status: "skipped"; reason: "already-done" | "stale" | "no-account" }
  | { status: "blocked" }
  | { status: "failed"; reason: string }
  | { status: "delayed"; until: Date; reason: string }
  | { status: "paused"; ms: number; reason: "bot-paused" | "retry-after" };

export async function sendNotification(data: NotifyPayload, deps: SenderDeps): Promise<SendOutcome> {
  const { prisma, botId } = deps;
  const now = deps.now?.() ?? new Date();
  const log = deps.logger.child({ dedupKey: data.dedupKey });

  const existing = await prisma.delivery.findUnique({ where: { dedupKey: data.dedupKey } });
  if (existing && existing.status !== "PENDING") return { status: "skipped", reason: "already-done" };

  const message = await currentMessage(data, deps, now);
  if (!message) {
    if (existing) await finish(prisma, existing.id, { status: "FAILED", error: "stale" });
    return { status: "skipped", reason: "stale" };
  }
  const account = await prisma.messengerAccount.findFirst({
    where: { schoolId: message.schoolId, personId: message.personId, botId },
    orderBy: { linkedAt: "desc" },
  });
  if (!account) {
    if (existing) await finish(prisma, existing.id, { status: "FAILED", error: "no account" });
    return { status: "skipped", reason: "no-account" };
  }
  const delivery = await ensureDelivery(prisma, message, botId, account.chatId, now);
  if (delivery.status !== "PENDING") return { status: "skipped", reason: "already-done" };
  if (account.blockedAt) {
    await finish(prisma, delivery.id, { status: "BLOCKED" });
    return { status: "blocked" };
  }
  if (delivery.chatId !== account.chatId) {
    await prisma.delivery.update({ where: { id: delivery.id }, data: { chatId: account.chatId } });
    delivery.chatId = account.chatId;
  }
  if (message.notBefore && message.notBefore > now) {
    return { status: "delayed", until: message.notBefore, reason: "not-before" };
  }
  const gate = await chatGate(prisma, delivery, now);
  if (gate) return { status: "delayed", ...gate };
  const pausedUntil = await botPausedUntil(prisma, botId);
  if (pausedUntil > now.getTime()) return { status: "paused", ms: pausedUntil - now.getTime(), reason: "bot-paused" };

  const pref = await prisma.preference.findUnique({ where: { personId: message.personId }, select: { locale: true } });
  const text = renderText(message.render, pickLanguage(pref?.locale ?? account.languageCode));
  // Claim this attempt with a lease: claimedAt holds the start of the attempt in progress. Of two workers holding the same message at once (a stalled job handed to a second worker),
  // only the one whose conditional update succeeds calls Telegram; a lease older than LEASE_MS is dead.
  const claimed = await prisma.delivery.updateMany({
    where: {
      id: delivery.id,
      status: "PENDING",
      OR: [{ claimedAt: null }, { claimedAt: { lt: new Date(now.getTime() - LEASE_MS) } }],
    },
    data: { claimedAt: now, attempts: { increment: 1 } },
  });
  if (claimed.count === 0) {
    return { status: "delayed", until: new Date(now.getTime() + CHAT_SPACING_MS), reason: "claimed-elsewhere" };
  }
  const release = () =>
    prisma.delivery.updateMany({ where: { id: delivery.id, status: "PENDING" }, data: { claimedAt: null } });
  let result: Awaited<ReturnType<TelegramSender["sendMessage"]>>;
  try {
    result = await deps.telegram.sendMessage(account.chatId, text, message.replyMarkup);
  } catch (err) {
    await release();
    throw err;
  }
  if (result.ok) {
    const sentAt = new Date();
    await finish(prisma, delivery.id, { status: "SENT", messageId: result.messageId, sentAt });
    await message.afterSend?.(prisma, sentAt);
    return { status: "sent", messageId: result.messageId };
  }
  switch (result.kind) {
    case "retry-after": {
      await release();
      await pauseBot(prisma, botId, Date.now() + result.retryAfterMs);
      log.warn({ botId, retryAfterMs: result.retryAfterMs }, "telegram 429: bot paused");
      return { status: "paused", ms: result.retryAfterMs, reason: "retry-after" };
    }
    case "blocked": {
      await prisma.messengerAccount.updateMany({
        where: { id: account.id, blockedAt: null },
        data: { blockedAt: new Date() },
      });
      await finish(prisma, delivery.id, { status: "BLOCKED", error: result.description });
      log.info({ accountId: account.id }, "chat blocked the bot");
      return { status: "blocked" };
    }
    case "rejected": {
      await finish(prisma, delivery.id, { status: "FAILED", error: result.description });
      log.warn({ error: result.description }, "telegram rejected the message");
      return { status: "failed", reason: result.description };
    }
  }
}

/** Marks the delivery FAILED after the last attempt of a transient failure. */
export async function recordFailure(prisma: Db, dedupKey: string, error: string): Promise<void> {
  await prisma.delivery.updateMany({ where: { dedupKey, status: "PENDING" }, data: { status: "FAILED", error } });
}

async function currentMessage(data: NotifyPayload, deps: SenderDeps, now: Date): Promise<OutgoingMessage | undefined> {
  const handler = deps.handlers.get(data.source.kind);
  if (!handler) {
    deps.logger.warn({ kind: data.source.kind }, "notify: no outbox handler for kind");
    return undefined;
  }
  const messages = await handler.handle(
    { schoolId: data.schoolId, kind: data.source.kind, payload: data.source.payload },
    { db: deps.prisma, now, logger: deps.logger },
  );
  return messages.find((m) => m.dedupKey === data.dedupKey);
}

async function ensureDelivery(prisma: Db, m: OutgoingMessage, botId: number, chatId: bigint, now: Date) {
  const found = await prisma.delivery.findUnique({ where: { dedupKey: m.dedupKey } });
  if (found) return found;
  try {
    return await prisma.delivery.create({
      data: {
        schoolId: m.schoolId,
        dedupKey: m.dedupKey,
        botId,
        chatId,
        personId: m.personId,
        kind: m.kind,
        dueAt: now,
      },
    });
  } catch (err) {
    // Another worker created it a moment ago: use theirs.
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") {
      return prisma.delivery.findUniqueOrThrow({ where: { dedupKey: m.dedupKey } });
    }
    throw err;
  }
}

function finish(
  prisma: Db,
  id: bigint,
  data: { status: "SENT" | "FAILED" | "BLOCKED"; error?: string; messageId?: number; sentAt?: Date },
) {
  return prisma.delivery.update({
    where: { id },
    data: { ...data, error: data.error ?? null, sentAt: data.sentAt ?? null, claimedAt: null },
  });
}
