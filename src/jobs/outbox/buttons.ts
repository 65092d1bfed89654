// Buttons written in Telegram's shape by a shared builder ({ text, callback_data }) as messenger-neutral ones.
import type { MessageButton } from "../../messenger/message.ts";

export function actionButtons(rows: { text: string; callback_data: string }[][]): MessageButton[][] {
  return rows.map((row) => row.map((b) => ({ text: b.text, action: b.callback_data })));
}
