// Showing a screen: a button press edits the message it came from into the screen, anything else sends it.
// Never the same content again (Telegram answers 400 "message is not modified"); a text over Telegram's limit
// goes out as several messages with the buttons under the last one. The press is answered (silently) before
// the edit when nobody answered it yet: a handler with a toast answers first, then shows.
import { GrammyError } from "grammy";
import type { InlineKeyboardButton, InlineKeyboardMarkup } from "grammy/types";
import type { InnerContext } from "../context.ts";
import { answer } from "./answer.ts";
import { splitText } from "./split-text.ts";

export type Keyboard = InlineKeyboardButton[][];

export interface Screen {
  text: string;
  keyboard?: Keyboard;
}

/** Rows of buttons, or a grammY InlineKeyboard; empty rows are dropped. */
export type KeyboardLike = Keyboard | { inline_keyboard: Keyboard } | undefined;

export interface ShowOptions {
  /** Send a new message even on a button press (e.g. the pressed message must stay as it is). */
  newMessage?: boolean;
}

export const button = (text: string, data: string): InlineKeyboardButton => ({ text, callback_data: data });

/** Splits buttons into rows of `perRow`. */
export function rows(buttons: InlineKeyboardButton[], perRow: number): Keyboard {
  const out: Keyboard = [];
  for (let i = 0; i < buttons.length; i += perRow) out.push(buttons.slice(i, i + perRow));
  return out;
}

/** The rows of a keyboard without the empty ones a trailing `.row()` leaves. */
export function keyboardRows(keyboard: KeyboardLike): Keyboard {
  const rows = Array.isArray(keyboard) ? keyboard : (keyboard?.inline_keyboard ?? []);
  return rows.filter((row) => row.length > 0);
}

export function markup(keyboard: KeyboardLike): InlineKeyboardMarkup {
  return { inline_keyboard: keyboardRows(keyboard) };
}

export function isNotModified(err: unknown): boolean {
  return err instanceof GrammyError && err.error_code === 400 && err.description.includes("message is not modified");
}

const buttonsKey = (rows: Keyboard) =>
  JSON.stringify(
    rows.map((row) =>
      row.map((b) => ({
        text: b.text,
        data: "callback_data" in b ? b.callback_data : undefined,
        url: "url" in b ? b.url : undefined,
      })),
    ),
  );

export async function show(
  ctx: InnerContext,
  screen: { text: string; keyboard?: KeyboardLike },
  opts: ShowOptions = {},
): Promise<void> {
  const rows = keyboardRows(screen.keyboard);
  const extra = rows.length > 0 ? { reply_markup: { inline_keyboard: rows } } : {};
  const parts = splitText(screen.text);
  const pressed = ctx.callbackQuery?.message;
  await answer(ctx);
  if (!opts.newMessage && parts.length === 1 && pressed && "text" in pressed && pressed.text !== undefined) {
    if (pressed.text === parts[0] && buttonsKey(pressed.reply_markup?.inline_keyboard ?? []) === buttonsKey(rows)) {
      return;
    }
    try {
      await ctx.editMessageText(parts[0], extra);
      return;
    } catch (err) {
      if (isNotModified(err)) return;
      // flood control the transport could not wait out: a new message now would only be another early call
      if (!(err instanceof GrammyError) || err.error_code === 429) throw err;
      // e.g. the message is too old to edit: the screen goes out as a new message
      ctx.logger.warn({ description: err.description }, "could not edit the screen, sending it anew");
    }
  }
  for (const [i, part] of parts.entries()) {
    await ctx.reply(part, i === parts.length - 1 ? extra : {});
  }
}
