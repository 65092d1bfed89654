import { Composer } from "grammy";
import type { BotContext } from "../../context.ts";

export const noticesMessagesFeature = new Composer<BotContext>();
