// Shared plumbing of the marks handlers: who is acting (linked people only; the core decides the rest), a
// typed callback handler, and leaving a conversation when the person moves on.
import type { Composer } from "grammy";
import type { Actor } from "../../../core/actor.ts";
import { forbidden } from "../../../core/errors.ts";
import type { Db } from "../../../core/tx.ts";
import type { CallbackCodec, FieldSpec } from "../../callback-data.ts";
import { type BotContext, type InnerContext, isLinked } from "../../context.ts";
import { MENU_KEYS, menuLabels } from "../../keyboards/main-menu.ts";

export function who(ctx: InnerContext): { db: Db; actor: Actor } {
  if (!isLinked(ctx)) throw forbidden({ account: null });
  return { db: ctx.services.prisma, actor: ctx.actor };
}

type Parsed<C> = C extends CallbackCodec<infer S> ? NonNullable<ReturnType<CallbackCodec<S>["parse"]>> : never;

/** Registers a handler for one kind of button with its parsed values. */
export function onCallback<S extends FieldSpec>(
  composer: Composer<BotContext>,
  codec: CallbackCodec<S>,
  handler: (ctx: BotContext, values: Parsed<CallbackCodec<S>>) => Promise<void>,
): void {
  composer.callbackQuery(codec.pattern, async (ctx) => {
    const values = codec.parse(ctx.callbackQuery.data);
    if (!values) throw forbidden({ callback: codec.prefix });
    await handler(ctx, values as Parsed<CallbackCodec<S>>);
  });
}

let menuTexts: Set<string> | undefined;

/**
 * Whether an update means the person left the conversation: any command, a main-menu button or a press of some
 * other button. The conversation then halts and lets the update through to the rest of the bot.
 */
export function isLeaving(ctx: InnerContext): boolean {
  if (ctx.callbackQuery) return true;
  const text = ctx.message?.text;
  if (!text) return false;
  menuTexts ??= new Set(MENU_KEYS.flatMap((k) => menuLabels(k)));
  return text.startsWith("/") || menuTexts.has(text);
}
