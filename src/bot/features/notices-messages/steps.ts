// Small building blocks of this folder's conversations: wait for an accepted update, leave the conversation
// when the person turns to something else (a command or a main-menu button), cancel, and pick one of offered
// buttons. A button press that belongs to another screen is passed on to the rest of the bot.
import type { Conversation } from "@grammyjs/conversations";
import type { InlineKeyboardButton } from "grammy/types";
import type { Actor } from "../../../core/actor.ts";
import type { Db } from "../../../core/tx.ts";
import type { BotContext, InnerContext } from "../../context.ts";
import { MENU_KEYS, menuLabels } from "../../keyboards/main-menu.ts";
import { answer } from "../../ui/index.ts";
import { choiceCallback } from "./callbacks.ts";

export type NmConversation = Conversation<BotContext, InnerContext>;

const MENU_TEXTS = new Set(MENU_KEYS.flatMap((k) => menuLabels(k)));

/** The outside context's database and actor, for `conversation.external`. */
export function deps(ctx: BotContext): { db: Db; actor: Actor } {
  if (!ctx.actor) throw new Error("conversation without a linked person");
  return { db: ctx.services.prisma, actor: ctx.actor };
}

export interface Choice {
  value: string;
  text: string;
}

/** Inline keyboard of choices, one per row (or `perRow`), with "cancel" last. */
export function choiceKeyboard(ctx: InnerContext, choices: Choice[], opts: { perRow?: number; cancel?: boolean } = {}) {
  const rows: InlineKeyboardButton[][] = [];
  const perRow = opts.perRow ?? 1;
  for (let i = 0; i < choices.length; i += perRow) {
    rows.push(
      choices
        .slice(i, i + perRow)
        .map((c) => ({ text: c.text, callback_data: choiceCallback.encode({ value: c.value }) })),
    );
  }
  if (opts.cancel !== false) {
    rows.push([{ text: ctx.t("notices:msg.cancel"), callback_data: choiceCallback.encode({ value: "cancel" }) }]);
  }
  return { inline_keyboard: rows };
}

/**
 * Waits for an update that `accept` takes. A command or a main-menu button ends the conversation and goes on
 * to its feature; "cancel" ends it here; another screen's button press is passed on; anything else gets
 * `hint` and the wait goes on.
 */
export async function step(
  conversation: NmConversation,
  accept: (ctx: InnerContext) => boolean,
  hint?: (ctx: InnerContext) => Promise<unknown>,
): Promise<InnerContext> {
  const ctx = await conversation.wait();
  const text = ctx.message?.text;
  if (text !== undefined && (text.startsWith("/") || MENU_TEXTS.has(text))) await conversation.halt({ next: true });
  const data = ctx.callbackQuery?.data;
  if (data !== undefined && choiceCallback.parse(data)?.value === "cancel") {
    await answer(ctx);
    await ctx.editMessageReplyMarkup().catch(() => undefined);
    await ctx.reply(ctx.t("notices:msg.cancelled"));
    await conversation.halt();
  }
  if (accept(ctx)) return ctx;
  if (ctx.callbackQuery) await conversation.skip({ next: true });
  if (hint) await hint(ctx);
  return conversation.skip();
}

/** Waits for a press on one of `choices`; marks the prompt with the chosen button and removes the buttons. */
export async function choose(conversation: NmConversation, choices: Choice[]): Promise<string> {
  const values = new Set(choices.map((c) => c.value));
  const ctx = await step(conversation, (c) => {
    const v = choiceCallback.parse(c.callbackQuery?.data)?.value;
    return v !== undefined && values.has(v);
  });
  const value = choiceCallback.parse(ctx.callbackQuery?.data)!.value;
  await answer(ctx);
  const prompt = ctx.callbackQuery?.message?.text;
  const label = choices.find((c) => c.value === value)?.text ?? "";
  if (prompt) await ctx.editMessageText(`${prompt}\n→ ${label}`).catch(() => undefined);
  return value;
}

/** Waits for a text message (plain text only), re-asking with `hint` otherwise. */
export async function waitText(conversation: NmConversation, hint: (ctx: InnerContext) => Promise<unknown>) {
  const ctx = await step(conversation, (c) => typeof c.message?.text === "string", hint);
  return { ctx, text: ctx.message!.text!.trim() };
}
