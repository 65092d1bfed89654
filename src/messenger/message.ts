// What the jobs send, messenger-neutral: a text (a locale key with its parameters, translated for the reader when
// the message is built, or a text already rendered) and buttons as a label with either action data (a button
// press the bot answers) or a link. A messenger adapter (Telegram today, MAX later) turns it into its own calls
// and owns that messenger's limits.
export type MessageText = { key: string; params: Record<string, unknown> } | { text: string };

export type MessageButton =
  | { text: string | MessageText; action: string }
  | { text: string | MessageText; url: string };

export interface BuiltButton {
  text: string;
  action?: string;
  url?: string;
}

/** A message as stored in the ledger, ready for any adapter: rendered text and buttons. */
export interface BuiltMessage {
  text: string;
  buttons?: BuiltButton[][];
}
