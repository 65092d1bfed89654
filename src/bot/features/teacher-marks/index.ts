// Marks and corrections in the bot (issue 4, items 4–5): «Оценки» on the lesson card → work type → roster
// taps or a typed list; a saved mark → correct / void; «Отменить» within the grace period.
import { Composer } from "grammy";
import type { BotContext } from "../../context.ts";
import { commentConversation, commentFeature } from "./comment-entry.ts";
import { correctionsFeature } from "./corrections.ts";
import { openMarksFeature } from "./open-marks.ts";
import { reasonConversation } from "./reason-entry.ts";
import { tapEntryFeature } from "./tap-entry.ts";
import { textEntryConversation, textEntryFeature } from "./text-entry.ts";
import { undoFeature } from "./undo.ts";

/**
 * The marks conversations. Installed at the very front of the features (features/index.ts), so that a command
 * or a button handled by any other feature first reaches an active marks conversation, which then leaves and
 * lets the update through (conversations see only the updates that reach their position in the tree).
 */
export const teacherMarksConversations = new Composer<BotContext>();
teacherMarksConversations.use(textEntryConversation, commentConversation, reasonConversation);

export const teacherMarksFeature = new Composer<BotContext>();

teacherMarksFeature.use(
  openMarksFeature,
  tapEntryFeature,
  textEntryFeature,
  commentFeature,
  undoFeature,
  correctionsFeature,
);
