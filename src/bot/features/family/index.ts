import { Composer } from "grammy";
import type { BotContext } from "../../context.ts";

export const familyFeature = new Composer<BotContext>();
