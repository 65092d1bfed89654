// Callback data of the notices-and-messages buttons (prefix "nm…"). The jobs layer builds the buttons of the
// messages it sends with these same codecs, so a button and its handler cannot drift apart. Every id is
// re-checked by the core when pressed.
import { defineCallback } from "./codec.ts";

/** "acknowledge" under a notice. */
export const ackCallback = defineCallback("nmack", { announcementId: "int" });
/** "open file" under a notice with a file. */
export const fileCallback = defineCallback("nmfile", { announcementId: "int" });
/** A notice's statistics for its author. */
export const statsCallback = defineCallback("nmstat", { announcementId: "int" });
/** The author's list of notices. */
export const mineCallback = defineCallback("nmmine", {});
/** "reply" under a relayed message. */
export const replyCallback = defineCallback("nmrep", { correspondenceId: "int" });
/** "confirm" under a parent's absence notice (class teacher). */
export const confirmCallback = defineCallback("nmconf", { noticeId: "int" });
/** Entries of the write menu and the notice menu: "msg", "absence", "inbox", "new". */
export const menuCallback = defineCallback("nmmenu", { action: "word" });
/** Opens one conversation of the inbox. */
export const threadCallback = defineCallback("nmthr", { studentId: "int", withPersonId: "int" });
/** A choice inside a conversation (scope, audience, child, teacher, dates, reason…). */
export const choiceCallback = defineCallback("nmc", { value: "word" });

export interface InlineButton {
  text: string;
  callback_data: string;
}

export interface InlineKeyboard {
  inline_keyboard: InlineButton[][];
}

/** The buttons under a notice: "acknowledge" (or ✓ once acknowledged) and, with a file, "open file". */
export function noticeKeyboard(
  t: (key: string) => string,
  announcementId: number,
  opts: { hasFile: boolean; acknowledged: boolean },
): InlineKeyboard {
  const rows: InlineButton[][] = [
    [
      {
        text: t(opts.acknowledged ? "notices:ann.acknowledged" : "notices:ann.ack"),
        callback_data: ackCallback.encode({ announcementId }),
      },
    ],
  ];
  if (opts.hasFile) {
    rows.push([{ text: t("notices:ann.openFile"), callback_data: fileCallback.encode({ announcementId }) }]);
  }
  return { inline_keyboard: rows };
}
