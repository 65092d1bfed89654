// Small helpers for the topic and homework conversations: core calls through `conversation.external` with the
// outcome as plain data (errors do not survive the conversation's storage), and leaving a conversation when
// the person moves on (any command, a main-menu button, a button of another screen).
import type { Conversation } from "@grammyjs/conversations";
import { type ErrorCode, isAppError } from "../../../core/errors.ts";
import type { BotContext, InnerContext } from "../../context.ts";
import { MENU_KEYS, menuLabels } from "../../keyboards/main-menu.ts";

export type TeacherConversation = Conversation<BotContext, InnerContext>;

export type Outcome<T> = { ok: true; value: T } | { ok: false; code: ErrorCode; details: Record<string, unknown> };

/** Runs one core call as a step of the conversation; a core refusal comes back as `{ ok: false, code }`. */
export async function step<T>(conversation: TeacherConversation, task: () => Promise<T>): Promise<Outcome<T>> {
  return conversation.external(async (): Promise<Outcome<T>> => {
    try {
      return { ok: true, value: await task() };
    } catch (err) {
      if (isAppError(err)) return { ok: false, code: err.code, details: JSON.parse(JSON.stringify(err.details)) };
      throw err;
    }
  });
}

let menuTexts: Set<string> | undefined;

/** A command or a main-menu button: the person left the conversation for something else. */
export function isLeaving(ctx: InnerContext): boolean {
  const text = ctx.message?.text;
  if (!text) return false;
  if (text.startsWith("/")) return true;
  menuTexts ??= new Set(MENU_KEYS.flatMap((k) => menuLabels(k)));
  return menuTexts.has(text);
}
