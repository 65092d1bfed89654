// Which Bot API calls Telegram's flood control counts. Messages (sent, copied, forwarded, edited, deleted) count
// against their chat (about one a second, short bursts) and against the bot (about 30 a second); answering a
// button press counts against the bot only; everything else (getUpdates, getMe, setWebhook, commands, files) is
// not paced, though a 429 on it is still waited out before it is retried.
export type Pacing = "chat" | "bot" | "none";

const CHAT_PACED = new Set([
  "sendMessage",
  "sendPhoto",
  "sendDocument",
  "sendVideo",
  "sendAudio",
  "sendVoice",
  "sendAnimation",
  "sendSticker",
  "sendVideoNote",
  "sendMediaGroup",
  "sendLocation",
  "sendVenue",
  "sendContact",
  "sendPoll",
  "sendDice",
  "sendInvoice",
  "copyMessage",
  "copyMessages",
  "forwardMessage",
  "forwardMessages",
  "editMessageText",
  "editMessageCaption",
  "editMessageMedia",
  "editMessageReplyMarkup",
  "editMessageLiveLocation",
  "stopMessageLiveLocation",
  "stopPoll",
  "deleteMessage",
  "deleteMessages",
]);

const BOT_PACED = new Set(["answerCallbackQuery", "sendChatAction"]);

/** Edits of one message that may be merged while they wait: only the newest needs to reach Telegram. */
export const COALESCED = new Set(["editMessageText", "editMessageReplyMarkup", "editMessageCaption"]);

export function pacingOf(method: string, chatId: string | undefined): Pacing {
  if (CHAT_PACED.has(method)) return chatId ? "chat" : "bot";
  if (BOT_PACED.has(method)) return "bot";
  return "none";
}
