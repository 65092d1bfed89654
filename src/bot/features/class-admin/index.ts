import { Composer } from "grammy";
import type { BotContext } from "../../context.ts";

export const classAdminFeature = new Composer<BotContext>();
