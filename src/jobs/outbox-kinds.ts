// The closed outbox registry: every kind core writes (OUTBOX_KINDS) has a handler, or start-up fails with one
// line naming it. Nothing core announces is marked dispatched and forgotten.
import { OUTBOX_KINDS } from "../core/outbox.ts";
import type { OutboxHandler } from "./outbox/handler.ts";

export class OutboxRegistryError extends Error {
  override name = "OutboxRegistryError";
}

export function checkOutboxRegistry(handlers: Map<string, OutboxHandler>): void {
  const missing = OUTBOX_KINDS.filter((k) => !handlers.has(k));
  if (missing.length) throw new OutboxRegistryError(`no outbox handler for kind(s): ${missing.join(", ")}`);
}
