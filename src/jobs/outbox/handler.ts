// Outbox handlers turn one committed outbox row into the messages it announces. A handler runs once, when the
// row is dispatched: its messages are built then (text in each reader's language, buttons) and kept in the
// Delivery ledger, so sending one costs a few statements. What may have gone stale by send time is re-checked
// cheaply through `isCurrent` (one query over the message's `ref`); `afterSend` records what a delivered message
// changes (e.g. Mark.announcedAt). Handlers write nothing themselves.
import type { Db, DbOrTx } from "../../core/tx.ts";
import type { Logger } from "../../logger.ts";
import type { MessageButton, MessageText } from "../../messenger/message.ts";

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

export type MessageRender = MessageText;

export interface OutgoingMessage {
  /** Unique per message and recipient, e.g. "mark.created-<markId>-<personId>"; no ':'. */
  dedupKey: string;
  schoolId: number;
  personId: number;
  kind: string;
  render: MessageRender;
  /** Rows of buttons (messenger-neutral). */
  buttons?: MessageButton[][];
  /** Not before this instant (quiet hours). */
  notBefore?: Date;
  /** Ids of what the message announces, handed to the handler's isCurrent/afterSend at send time. */
  ref?: Record<string, unknown>;
}

export interface OutboxHandler {
  kind: string;
  handle(row: OutboxRow, ctx: OutboxContext): Promise<OutgoingMessage[]>;
  /** At send time: is the message still worth sending? One cheap query; absent means always. */
  isCurrent?(db: Db, ref: Record<string, unknown>, now: Date): Promise<boolean>;
  /** After the messenger accepted the message. Must be idempotent. */
  afterSend?(db: Db, ref: Record<string, unknown>, sentAt: Date): Promise<void>;
}

export function outboxHandlerMap(handlers: OutboxHandler[]): Map<string, OutboxHandler> {
  const map = new Map<string, OutboxHandler>();
  for (const h of handlers) {
    if (map.has(h.kind)) throw new Error(`outbox kind "${h.kind}" has two handlers`);
    map.set(h.kind, h);
  }
  return map;
}
