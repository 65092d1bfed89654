import { Composer } from "grammy";
import type { BotContext } from "../../context.ts";

export const teacherMarksFeature = new Composer<BotContext>();
