// Features in order; `unhandled` stays last. Conversations are registered by their features.
import { Composer } from "grammy";
import type { BotContext } from "../context.ts";
import { helpFeature } from "./help.ts";
import { startFeature } from "./start.ts";
import { unhandledFeature } from "./unhandled.ts";

/** `extra` (tests, optional modules) run after the built-in features and before `unhandled`. */
export function features(extra: Composer<BotContext>[] = []): Composer<BotContext> {
  const all = new Composer<BotContext>();
  all.use(startFeature);
  all.use(helpFeature);
  // Later features go here, before `unhandled`.
  for (const feature of extra) all.use(feature);
  all.use(unhandledFeature);
  return all;
}
