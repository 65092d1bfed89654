// The school year (issue 11): student movement (/students), calendar changes, school news and calendar.
import { createConversation } from "@grammyjs/conversations";
import { Composer } from "grammy";
import { calendarClasses } from "../../../core/school-year/calendar.ts";
import { classStudentsToday, studentCard } from "../../../core/school-year/students-read.ts";
import type { BotContext, InnerContext } from "../../context.ts";
import { answer, answerStale, requireLinked, startConversation } from "../../ui/index.ts";
import { CALENDAR_CONVERSATION, calendarConversation } from "./calendar-conversation.ts";
import { syEventNew, syMove } from "./callbacks.ts";
import { EVENT_CONVERSATION, eventConversation } from "./event-conversation.ts";
import { holidaysFeature } from "./holidays.ts";
import { MOVE_CONVERSATION, type MoveArgs, moveConversation } from "./move-conversation.ts";
import { newsFeature } from "./news.ts";
import { studentsFeature } from "./students.ts";

export const schoolYearFeature = new Composer<BotContext>();

const MOVE_ACTIONS: readonly MoveArgs["action"][] = ["transfer", "subgroup", "leave", "admit"];

schoolYearFeature.use(createConversation<BotContext, InnerContext>(moveConversation, MOVE_CONVERSATION));
schoolYearFeature.use(createConversation<BotContext, InnerContext>(calendarConversation, CALENDAR_CONVERSATION));
schoolYearFeature.use(createConversation<BotContext, InnerContext>(eventConversation, EVENT_CONVERSATION));
schoolYearFeature.use(studentsFeature);
schoolYearFeature.use(newsFeature);
schoolYearFeature.use(holidaysFeature);

schoolYearFeature.callbackQuery(syMove.pattern, async (ctx) => {
  const linked = await requireLinked(ctx);
  if (!linked) return;
  const data = syMove.parse(ctx.callbackQuery.data);
  const action = MOVE_ACTIONS.find((a) => a === data?.action);
  if (!data || !action) return answerStale(ctx);
  // the core refuses a stranger's or tampered id here, before the button is answered
  if (action === "admit") await classStudentsToday(linked.services.prisma, linked.actor, { classId: data.id });
  else await studentCard(linked.services.prisma, linked.actor, { studentId: data.id });
  await answer(ctx);
  await startConversation(ctx, MOVE_CONVERSATION, { action, id: data.id } satisfies MoveArgs);
});

schoolYearFeature.callbackQuery(syEventNew.pattern, async (ctx) => {
  const linked = await requireLinked(ctx);
  if (!linked) return;
  // the core refuses anyone outside the administration before the conversation starts
  await calendarClasses(linked.services.prisma, linked.actor);
  await answer(ctx);
  await startConversation(ctx, EVENT_CONVERSATION);
});
