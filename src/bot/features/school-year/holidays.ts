// /holidays: the administration's list of calendar changes that have not ended, and "➕ New change"
// that starts the calendar-change conversation.
import { Composer, InlineKeyboard } from "grammy";
import { upcomingCalendarOrders } from "../../../core/school-year/calendar.ts";
import type { BotContext } from "../../context.ts";
import { answer, requireLinked, show, startConversation } from "../../ui/index.ts";
import { CALENDAR_CONVERSATION, calendarItemText } from "./calendar-conversation.ts";
import { syCalendarNew } from "./callbacks.ts";

export const holidaysFeature = new Composer<BotContext>();

holidaysFeature.chatType("private").command("holidays", async (ctx) => {
  const linked = await requireLinked(ctx);
  if (!linked) return;
  const res = await upcomingCalendarOrders(linked.services.prisma, linked.actor);
  const lines = [ctx.t("school-year:calendar.title"), ""];
  if (res.orders.length === 0) lines.push(ctx.t("school-year:calendar.none"));
  for (const o of res.orders) lines.push(calendarItemText(ctx.t, o));
  await show(ctx, {
    text: lines.join("\n"),
    keyboard: new InlineKeyboard().text(ctx.t("school-year:calendar.new"), syCalendarNew.encode({})),
  });
});

holidaysFeature.callbackQuery(syCalendarNew.pattern, async (ctx) => {
  const linked = await requireLinked(ctx);
  if (!linked) return;
  // the core refuses anyone outside the administration before the conversation starts
  await upcomingCalendarOrders(linked.services.prisma, linked.actor);
  await answer(ctx);
  await startConversation(ctx, CALENDAR_CONVERSATION);
});
