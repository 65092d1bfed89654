// Answering a button press: exactly once per update, whoever asks first. Telegram refuses a second answer
// ("query is too old"), so the features, the screens and the error boundary all go through `answer`, and the
// boundary asks `wasAnswered` before apologising in a toast.
import type { Context } from "grammy";
import type { InnerContext } from "../context.ts";

/**
 * The contexts whose press was answered. Keyed by the context object, not by the query id: a conversation
 * replays its old updates through fresh context objects and its recorded API calls must come out the same on
 * every replay, so nothing outside the context may remember an answer. One update has one context in the
 * middleware tree (and one inside the conversation that handles it).
 */
const answered = new WeakSet<object>();

/** Whether this update's button press has been answered already (always true when there is no press). */
export function wasAnswered(ctx: Context & { callbackAnswered?: boolean }): boolean {
  // callbackAnswered: set by the per-update Api when Telegram accepted an answer made by anyone (middlewares/context.ts)
  return !ctx.callbackQuery || answered.has(ctx) || ctx.callbackAnswered === true;
}

/**
 * Answers the button press once: a toast when `text` is given, an alert with `alert`. Later calls for the same
 * press do nothing; a press that cannot be answered any more (too old) is only logged.
 */
export async function answer(ctx: InnerContext, text?: string, alert = false): Promise<void> {
  if (wasAnswered(ctx)) return;
  answered.add(ctx);
  try {
    await ctx.answerCallbackQuery(text ? { text: text.slice(0, 200), show_alert: alert } : {});
  } catch (err) {
    // The error carries the toast text in its payload: log the description only.
    ctx.logger.debug({ description: err instanceof Error ? err.message : String(err) }, "callback not answered");
  }
}

/** A polite refusal: an alert on a button press, a message otherwise. Nothing else is shown. */
export async function refuse(ctx: InnerContext, key = "ui:refused"): Promise<void> {
  if (ctx.callbackQuery) await answer(ctx, ctx.t(key), true);
  else await ctx.reply(ctx.t(key));
}

/** A button whose data fits nothing any more (an old message, tampered data): an alert. */
export async function answerStale(ctx: InnerContext, key = "ui:stale"): Promise<void> {
  if (ctx.callbackQuery) await answer(ctx, ctx.t(key), true);
  else await ctx.reply(ctx.t(key));
}
