import { Composer } from "grammy";
import type { BotContext } from "../../context.ts";

export const digestFeature = new Composer<BotContext>();
