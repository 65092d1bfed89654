// Families (issue 5): linking with consent, the diary for guardians and students (R-05, R-06, R-20,
// R-23), switching children, settings.
import { Composer } from "grammy";
import type { BotContext } from "../../context.ts";
import { consentFeature } from "./consent.ts";
import { diaryFeature } from "./diary.ts";
import { settingsFeature } from "./settings.ts";

export const familyFeature = new Composer<BotContext>();
familyFeature.use(consentFeature);
familyFeature.use(diaryFeature);
familyFeature.use(settingsFeature);
