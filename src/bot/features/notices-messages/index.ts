// Notices and messages (issue 5 items 5–6): /notice with its conversation and statistics, the recipients'
// "acknowledge", and for guardians the "write" menu button: messages to teachers, replies, and absence notices.
import { createConversation } from "@grammyjs/conversations";
import { Composer } from "grammy";
import type { BotContext, InnerContext } from "../../context.ts";
import { startConversation } from "../../ui/index.ts";
import { ABSENCE_CONVERSATION, absenceConversation } from "./absence-conversation.ts";
import {
  MESSAGE_CONVERSATION,
  messageConversation,
  REPLY_CONVERSATION,
  replyConversation,
} from "./message-conversation.ts";
import { NOTICE_CONVERSATION, noticeConversation } from "./notice-conversation.ts";
import { noticeMenuFeature } from "./notice-menu.ts";
import { noticeReceiptFeature } from "./notice-receipt.ts";
import { writeMenuFeature } from "./write-menu.ts";

export { ackCallback, noticeKeyboard } from "./callbacks.ts";
export { ABSENCE_CONVERSATION, MESSAGE_CONVERSATION, NOTICE_CONVERSATION };

export const noticesMessagesFeature = new Composer<BotContext>();

noticesMessagesFeature.use(createConversation<BotContext, InnerContext>(noticeConversation, NOTICE_CONVERSATION));
noticesMessagesFeature.use(createConversation<BotContext, InnerContext>(messageConversation, MESSAGE_CONVERSATION));
noticesMessagesFeature.use(createConversation<BotContext, InnerContext>(replyConversation, REPLY_CONVERSATION));
noticesMessagesFeature.use(createConversation<BotContext, InnerContext>(absenceConversation, ABSENCE_CONVERSATION));
noticesMessagesFeature.use(noticeMenuFeature);
noticesMessagesFeature.use(noticeReceiptFeature);
noticesMessagesFeature.use(writeMenuFeature);

/** Starts "new notice" (for an entry elsewhere, e.g. a "notice" button in /class). */
export async function enterNoticeConversation(ctx: BotContext): Promise<void> {
  await startConversation(ctx, NOTICE_CONVERSATION);
}
