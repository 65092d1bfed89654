// Showing a family screen: a new message for a keyboard button or command, an edit of the same message for an
// inline button. Texts over Telegram's limit go out as several messages, the buttons under the last one.
import { GrammyError } from "grammy";
import type { InlineKeyboardButton } from "grammy/types";
import type { InnerContext } from "../../context.ts";
import { splitText } from "./format.ts";

export interface Screen {
  text: string;
  keyboard: InlineKeyboardButton[][];
}

const markup = (keyboard: InlineKeyboardButton[][]) =>
  keyboard.length > 0 ? { reply_markup: { inline_keyboard: keyboard } } : {};

export function isNotModified(err: unknown): boolean {
  return err instanceof GrammyError && err.description.includes("message is not modified");
}

export async function showScreen(ctx: InnerContext, screen: Screen, mode: "reply" | "edit"): Promise<void> {
  const parts = splitText(screen.text);
  if (mode === "edit" && parts.length === 1 && ctx.callbackQuery?.message) {
    try {
      await ctx.editMessageText(parts[0], markup(screen.keyboard));
    } catch (err) {
      if (!isNotModified(err)) throw err;
    }
    return;
  }
  for (const [i, part] of parts.entries()) {
    await ctx.reply(part, i === parts.length - 1 ? markup(screen.keyboard) : {});
  }
}

/** Answers the button press (once), so the client stops its spinner. */
export async function answer(ctx: InnerContext, text?: string): Promise<void> {
  if (ctx.callbackQuery) await ctx.answerCallbackQuery(text ? { text } : {}).catch(() => undefined);
}
