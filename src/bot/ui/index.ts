// The bot's UI kit: every feature shows screens and answers presses through these.
export { answer, answerStale, refuse, wasAnswered } from "./answer.ts";
export { classPicker } from "./class-picker.ts";
export { guarded, requireLinked } from "./guarded.ts";
export {
  button,
  isNotModified,
  type Keyboard,
  type KeyboardLike,
  keyboardRows,
  markup,
  rows,
  type Screen,
  type ShowOptions,
  show,
} from "./screen.ts";
export { splitText, TELEGRAM_TEXT_LIMIT } from "./split-text.ts";
export { startConversation } from "./start-conversation.ts";
