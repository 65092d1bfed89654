// /news: the school calendar of events for everyone (the reader's classes, or all for staff), and for a
// family the notices still current — each as the notice itself with "acknowledge", so a family that joined after
// a notice went finds it and can acknowledge it. The administration adds events from here.
import { Composer, InlineKeyboard } from "grammy";
import { currentNotices, type SchoolEventItem, schoolCalendar } from "../../../core/school-year/news.ts";
import type { BotContext, LinkedContext } from "../../context.ts";
import { requireLinked } from "../../ui/index.ts";
import { shortDay } from "../class-admin/ui.ts";
import { noticeKeyboard } from "../notices-messages/callbacks.ts";
import { syEventNew } from "./callbacks.ts";

export const newsFeature = new Composer<BotContext>();

/** Notices shown one message each; more than this and the oldest wait for the next /news. */
const MAX_NOTICES = 10;

function eventLine(ctx: BotContext, e: SchoolEventItem): string {
  const where =
    e.scope === "CLASS"
      ? ` (${e.className ?? ""})`
      : e.scope === "PARALLEL"
        ? ` (${ctx.t("school-year:news.parallel", { grade: e.grade })})`
        : "";
  return ctx.t("school-year:news.event", {
    day: shortDay(ctx.lng, e.date),
    time: e.time ? ` ${e.time}` : "",
    icon: ctx.t(`school-year:news.kind.${e.kind}`),
    title: e.title,
    where,
  });
}

async function openNews(ctx: LinkedContext) {
  const cal = await schoolCalendar(ctx.services.prisma, ctx.actor);
  const lines = [ctx.t("school-year:news.title"), "", ctx.t("school-year:news.calendar")];
  if (cal.events.length === 0) lines.push(ctx.t("school-year:news.noEvents"));
  for (const e of cal.events) lines.push(eventLine(ctx, e));
  const staff = ctx.actor.roles.length > 0;
  const kb = cal.canAdd
    ? new InlineKeyboard().text(ctx.t("school-year:news.addEvent"), syEventNew.encode({}))
    : undefined;
  await ctx.reply(lines.join("\n"), kb ? { reply_markup: kb } : {});
  if (staff) return;
  const notices = await currentNotices(ctx.services.prisma, ctx.actor);
  if (notices.length === 0) {
    await ctx.reply(ctx.t("school-year:news.noNotices"));
    return;
  }
  await ctx.reply(ctx.t("school-year:news.notices", { count: notices.length }));
  for (const n of notices.slice(0, MAX_NOTICES).reverse()) {
    const target = ctx.t(`notices:notice.target.${n.scope}`, { name: n.className ?? "", grade: n.grade ?? "" });
    const fileName = n.file ? n.file.name || ctx.t(`notices:notice.${n.file.kind}`) : "";
    const text = ctx.t(n.fromClassTeacher ? "notices:ann.fromClassTeacher" : "notices:ann.fromSchool", {
      target,
      author: n.authorName,
      text: n.text,
      file: n.file ? ctx.t("notices:ann.fileLine", { name: fileName }) : "",
    });
    await ctx.reply(text, {
      reply_markup: noticeKeyboard(ctx.t, n.announcementId, { hasFile: !!n.file, acknowledged: n.acknowledged }),
    });
  }
}

newsFeature.chatType("private").command("news", async (ctx) => {
  const linked = await requireLinked(ctx);
  if (linked) await openNews(linked);
});
