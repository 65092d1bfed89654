// Term and year marks in the bot (issue 10, R-16): /terms and the lesson card's «🎓 Итоговые» open the term sheet.
import { Composer } from "grammy";
import type { BotContext } from "../../context.ts";
import { planUploadFeature } from "./plan-upload.ts";
import { termSheetFeature } from "./sheet.ts";
import { termsListFeature } from "./terms-list.ts";

export const termGradesFeature = new Composer<BotContext>();
termGradesFeature.use(termsListFeature);
termGradesFeature.use(termSheetFeature);
termGradesFeature.use(planUploadFeature);

export { planConversations as termGradesConversations } from "./plan-upload.ts";
