// Starting a conversation. A person is doing one thing at a time: a button that starts a conversation while
// another one still waits (a notice half written, then the topic button pressed on an old card) leaves the old one.
// grammY's conversations refuse to enter a second, non-parallel conversation, which would be an error.
import type { BotContext } from "../context.ts";

export async function startConversation(ctx: BotContext, name: string, ...args: unknown[]): Promise<void> {
  await ctx.conversation.exitAll();
  await ctx.conversation.enter(name, ...args);
}
