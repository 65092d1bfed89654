// «Заявления родителей»: parents' notices of an absence (in advance or after the fact) waiting for the class
// teacher, each confirmed in one tap; the core then gives the notice's reason to the absences of those days.
import { Composer, InlineKeyboard } from "grammy";
import { daysBetween } from "../../../core/dates.ts";
import { confirmNotice, type PendingNotice, pendingNotices } from "../../../core/journal/absence-notices.ts";
import type { BotContext, LinkedContext } from "../../context.ts";
import { answer, answerStale, requireLinked, show } from "../../ui/index.ts";
import { classHome, noticeConfirm, noticeList } from "./callbacks.ts";
import { dayMonth, fitLines, shortName } from "./ui.ts";

export const noticesFeature = new Composer<BotContext>();

/** Buttons shown at once; the rest wait until these are confirmed. */
const MAX_BUTTONS = 20;

function period(n: PendingNotice): string {
  return n.from === n.to ? dayMonth(n.from) : `${dayMonth(n.from)}–${dayMonth(n.to)}`;
}

export async function renderNotices(ctx: LinkedContext, classId: number) {
  const { notices } = await pendingNotices(ctx.services.prisma, ctx.actor, { classId });
  const kb = new InlineKeyboard();
  const lines = [ctx.t("class-admin:notices.title", { count: notices.length })];
  if (notices.length === 0) lines.push("", ctx.t("class-admin:notices.none"));
  else lines.push(ctx.t("class-admin:notices.hint"));
  notices.forEach((n, i) => {
    const days = daysBetween(n.from, n.to) + 1;
    lines.push(
      "",
      ctx.t("class-admin:notices.item", {
        no: i + 1,
        name: n.studentName,
        period: period(n),
        days: ctx.t("class-admin:notices.days", { count: days }),
        reason: ctx.t(`class-admin:reasonShort.${n.reason}`),
      }),
    );
    if (n.comment) lines.push(ctx.t("class-admin:notices.comment", { comment: n.comment }));
    if (n.reportedByName) lines.push(ctx.t("class-admin:notices.from", { name: n.reportedByName }));
    if (i < MAX_BUTTONS) {
      kb.text(
        ctx.t("class-admin:notices.confirmButton", { name: shortName(n.studentName), period: period(n) }),
        noticeConfirm.encode({ classId, noticeId: n.noticeId }),
      ).row();
    }
  });
  kb.text(ctx.t("class-admin:backToClass"), classHome.encode({ classId, date: 0 }));
  return { text: fitLines(lines, (count) => ctx.t("class-admin:more", { count })), keyboard: kb };
}

noticesFeature.callbackQuery(noticeList.pattern, async (ctx) => {
  const linked = await requireLinked(ctx);
  if (!linked) return;
  const data = noticeList.parse(ctx.callbackQuery.data);
  if (!data) return answerStale(ctx);
  const screen = await renderNotices(linked, data.classId);
  await show(ctx, screen);
  await answer(ctx);
});

noticesFeature.callbackQuery(noticeConfirm.pattern, async (ctx) => {
  const linked = await requireLinked(ctx);
  if (!linked) return;
  const data = noticeConfirm.parse(ctx.callbackQuery.data);
  if (!data) return answerStale(ctx);
  const db = linked.services.prisma;
  // the screen is re-read for this class first: a notice id from another class never gets confirmed from here
  const { notices } = await pendingNotices(db, linked.actor, { classId: data.classId });
  let toast = ctx.t("class-admin:notices.already");
  if (notices.some((n) => n.noticeId === data.noticeId)) {
    const res = await confirmNotice(db, linked.actor, { noticeId: data.noticeId });
    if (res.changed) toast = ctx.t("class-admin:notices.confirmed", { count: res.attendanceUpdated });
  }
  const screen = await renderNotices(linked, data.classId);
  await answer(ctx, toast);
  await show(ctx, screen);
});
