import { Composer } from "grammy";
import type { BotContext } from "../../context.ts";

export const teacherLessonFeature = new Composer<BotContext>();
