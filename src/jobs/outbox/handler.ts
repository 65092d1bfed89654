// Outbox handlers turn one committed outbox row into the messages it announces. A handler is run twice:
// by the dispatcher (to learn who gets what, and when) and again by the sender at send time (to re-read the
// journal, skip what became stale and render the text). It must therefore be deterministic for a given
// state of the database and must not write anything; `afterSend` is the only side effect, run once the
// message was delivered.
import type { Db, DbOrTx } from "../../core/tx.ts";
import type { Logger } from "../../logger.ts";

export interface OutboxRow {
  id?: bigint;
  schoolId: number;
  kind: string;
  payload: unknown;
}

export interface OutboxContext {
  db: DbOrTx;
  now: Date;
  logger: Logger;
}

export type MessageRender = { key: string; params: Record<string, unknown> } | { text: string };

export interface OutgoingMessage {
  /** Unique per message and recipient, e.g. "mark.created-<markId>-<personId>"; no ':'. */
  dedupKey: string;
  schoolId: number;
  personId: number;
  kind: string;
  render: MessageRender;
  /** Telegram reply_markup (JSON). */
  replyMarkup?: Record<string, unknown>;
  /** Not before this instant (quiet hours). */
  notBefore?: Date;
  /** Runs after Telegram accepted the message (e.g. Mark.announcedAt). Must be idempotent. */
  afterSend?: (db: Db, sentAt: Date) => Promise<void>;
}

export interface OutboxHandler {
  kind: string;
  handle(row: OutboxRow, ctx: OutboxContext): Promise<OutgoingMessage[]>;
}

export function outboxHandlerMap(handlers: OutboxHandler[]): Map<string, OutboxHandler> {
  const map = new Map<string, OutboxHandler>();
  for (const h of handlers) {
    if (map.has(h.kind)) throw new Error(`outbox kind "${h.kind}" has two handlers`);
    map.set(h.kind, h);
  }
  return map;
}
