// How the teacher screens answer: a button press edits the message it came from (never into the same content:
// Telegram answers 400 "message is not modified"), anything else sends a new message; every press is answered
// once; a refusal from the core (a tampered or foreign lesson id) is a polite alert and nothing is shown.
import { GrammyError } from "grammy";
import type { InlineKeyboardButton, InlineKeyboardMarkup } from "grammy/types";
import { isAppError } from "../../../core/errors.ts";
import { type InnerContext, isLinked, type LinkedContext } from "../../context.ts";

export interface Screen {
  text: string;
  keyboard?: InlineKeyboardButton[][];
}

const answered = new WeakSet<object>();

/** Answers the button press (once); a toast when `text` is given. */
export async function answer(ctx: InnerContext, text?: string, alert = false): Promise<void> {
  if (!ctx.callbackQuery || answered.has(ctx)) return;
  answered.add(ctx);
  await ctx.answerCallbackQuery(text ? { text: text.slice(0, 200), show_alert: alert } : {}).catch((err) => {
    ctx.logger.debug({ err }, "callback query not answered");
  });
}

function sameMarkup(a: InlineKeyboardMarkup | undefined, b: InlineKeyboardButton[][] | undefined): boolean {
  const norm = (rows: InlineKeyboardButton[][] | undefined) =>
    JSON.stringify(
      (rows ?? []).map((row) =>
        row.map((btn) => ({ text: btn.text, data: "callback_data" in btn ? btn.callback_data : undefined })),
      ),
    );
  return norm(a?.inline_keyboard) === norm(b);
}

const isNotModified = (err: unknown) =>
  err instanceof GrammyError && err.error_code === 400 && err.description.includes("message is not modified");

/** Edits the pressed message into the screen (skipped when it already shows it), else sends the screen. */
export async function show(ctx: InnerContext, screen: Screen, opts: { newMessage?: boolean } = {}): Promise<void> {
  const markup = screen.keyboard?.length ? { inline_keyboard: screen.keyboard } : undefined;
  const message = ctx.callbackQuery?.message;
  if (message && !opts.newMessage && "text" in message && message.text !== undefined) {
    await answer(ctx);
    if (message.text === screen.text && sameMarkup(message.reply_markup, screen.keyboard)) return;
    try {
      await ctx.editMessageText(screen.text, markup ? { reply_markup: markup } : {});
    } catch (err) {
      if (!isNotModified(err)) throw err;
    }
    return;
  }
  await answer(ctx);
  await ctx.reply(screen.text, markup ? { reply_markup: markup } : {});
}

/** A polite refusal: an alert on a button press, a message otherwise. Nothing else is shown. */
export async function refuse(ctx: InnerContext, key = "teacher-lesson:refused"): Promise<void> {
  if (ctx.callbackQuery) await answer(ctx, ctx.t(key), true);
  else await ctx.reply(ctx.t(key));
}

/**
 * Runs a button handler for a linked person; FORBIDDEN and NOT_FOUND from the core become a refusal, other core
 * errors go to the error boundary (translated there).
 */
export function guarded<C extends InnerContext>(
  handler: (ctx: LinkedContext<C>) => Promise<void>,
): (ctx: C) => Promise<void> {
  return async (ctx) => {
    if (!isLinked(ctx)) {
      await refuse(ctx);
      return;
    }
    try {
      await handler(ctx);
    } catch (err) {
      if (isAppError(err, "FORBIDDEN") || isAppError(err, "NOT_FOUND")) {
        ctx.logger.info({ code: err.code, details: err.details }, "teacher screen refused");
        await refuse(ctx);
        return;
      }
      throw err;
    }
  };
}

/** A staff person who teaches (their own lessons or substitutions). */
export function isTeacher(ctx: InnerContext): boolean {
  return !!ctx.actor && !ctx.actor.system && ctx.actor.roles.includes("TEACHER");
}
