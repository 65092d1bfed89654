// Small rendering helpers of the marks screens: show a screen (edit the pressed message, else send), answer a
// button press once, and run a core call inside a conversation so that an AppError survives the replay log.
import type { InlineKeyboardButton, InlineKeyboardMarkup } from "grammy/types";
import { AppError, type ErrorCode, isAppError } from "../../../core/errors.ts";
import type { InnerContext } from "../../context.ts";

export type Keyboard = InlineKeyboardButton[][];

export const button = (text: string, data: string): InlineKeyboardButton => ({ text, callback_data: data });

export function markup(rows: Keyboard): InlineKeyboardMarkup {
  return { inline_keyboard: rows.filter((r) => r.length > 0) };
}

/** Splits buttons into rows of `perRow`. */
export function rows(buttons: InlineKeyboardButton[], perRow: number): Keyboard {
  const out: Keyboard = [];
  for (let i = 0; i < buttons.length; i += perRow) out.push(buttons.slice(i, i + perRow));
  return out;
}

/** Answers the pressed button (a toast when `text` is given); safe to call when there is no press. */
export async function answer(ctx: InnerContext, text?: string, alert = false): Promise<void> {
  if (!ctx.callbackQuery) return;
  await ctx.answerCallbackQuery(text ? { text: text.slice(0, 200), show_alert: alert } : undefined).catch(() => {});
}

/** Shows a screen: edits the message whose button was pressed, otherwise sends a new message. */
export async function show(ctx: InnerContext, text: string, keyboard?: Keyboard): Promise<void> {
  const reply_markup = keyboard ? markup(keyboard) : undefined;
  const message = ctx.callbackQuery?.message;
  await answer(ctx);
  if (message && "text" in message && message.text !== undefined) {
    const same =
      message.text === text &&
      JSON.stringify(message.reply_markup?.inline_keyboard ?? []) ===
        JSON.stringify(reply_markup?.inline_keyboard ?? []);
    if (same) return;
    try {
      await ctx.editMessageText(text, { reply_markup });
      return;
    } catch (err) {
      ctx.logger.warn({ err }, "could not edit the marks screen; sending it anew");
    }
  }
  await ctx.reply(text, { reply_markup });
}

/** What a core call returned inside a conversation: JSON-safe, with AppErrors kept as codes. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; code: ErrorCode; details: Record<string, unknown> };

export async function outcome<T>(fn: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (err) {
    if (isAppError(err)) return { ok: false, code: err.code, details: JSON.parse(JSON.stringify(err.details)) };
    throw err;
  }
}

/** Turns a failed outcome back into the AppError (for the error boundary) when the caller has nothing better. */
export function unwrap<T>(res: Outcome<T>): T {
  if (res.ok) return res.value;
  throw new AppError(res.code, res.details);
}

/** The issue codes of a VALIDATION error, e.g. "reason/required". */
export function issueCodes(details: Record<string, unknown>): string[] {
  const issues = Array.isArray(details.issues) ? (details.issues as { path?: string; code?: string }[]) : [];
  return issues.map((i) => `${i.path ?? ""}/${i.code ?? ""}`);
}

export function isAppErrorCode(err: unknown, code: ErrorCode): err is AppError {
  return isAppError(err, code);
}
