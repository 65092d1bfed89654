// /class and "👥 My class": the class teacher's class of a day — who is missing from which lessons, where
// attendance is still not taken — and the way to absences without a reason, parents' notices, the class
// list and invites. One class → straight to it; several → a pick.
import { Composer, InlineKeyboard } from "grammy";
import { addDays, type IsoDate } from "../../../core/dates.ts";
import { pendingNotices } from "../../../core/journal/absence-notices.ts";
import { classAbsences } from "../../../core/journal/absence-reasons.ts";
import {
  type ClassToday,
  type ClassTodayStudent,
  classToday,
  myClasses,
} from "../../../core/journal/class-overview.ts";
import type { BotContext, LinkedContext } from "../../context.ts";
import { menuLabels } from "../../keyboards/main-menu.ts";
import { answer, answerStale, requireLinked, show } from "../../ui/index.ts";
import { reportsMenu } from "../reports/callbacks.ts";
import { classHome, classPick, inviteMenu, inviteSheet, noticeList, rosterPage, unexcusedList } from "./callbacks.ts";
import { dateToInt, fitLines, intToDate, longDay, schoolToday } from "./ui.ts";

export const classHomeFeature = new Composer<BotContext>();

/** How far back "Absences without a reason" looks. */
export const UNEXCUSED_LOOKBACK_DAYS = 30;

export function unexcusedRange(today: IsoDate): { from: IsoDate; to: IsoDate } {
  return { from: addDays(today, -(UNEXCUSED_LOOKBACK_DAYS - 1)), to: today };
}

function lessonLabel(ctx: BotContext, l: { slot: number; subjectShort: string; subgroupNo?: number | null }) {
  const group = l.subgroupNo ? ` ${ctx.t("class-admin:home.subgroup", { no: l.subgroupNo })}` : "";
  return `${l.slot} ${l.subjectShort}${group}`;
}

function studentLine(ctx: BotContext, s: ClassTodayStudent): string {
  const parts = s.entries.map((e) => {
    const state =
      e.status === "LATE"
        ? ctx.t("class-admin:home.late")
        : e.reason
          ? `${ctx.t("class-admin:home.absent")}, ${ctx.t(`class-admin:reasonShort.${e.reason}`)}`
          : `${ctx.t("class-admin:home.absent")}, ${ctx.t("class-admin:home.noReason")}`;
    return `${e.slot} ${e.subjectShort} — ${state}`;
  });
  if (s.notice) {
    parts.push(
      ctx.t(s.notice.confirmed ? "class-admin:home.noticeConfirmed" : "class-admin:home.noticePending", {
        reason: ctx.t(`class-admin:reasonShort.${s.notice.reason}`),
      }),
    );
  }
  return `• ${s.name}: ${parts.join("; ")}`;
}

export async function renderClassHome(ctx: LinkedContext, classId: number, date?: IsoDate) {
  const db = ctx.services.prisma;
  const day: ClassToday = await classToday(db, ctx.actor, date ? { classId, date } : { classId });
  const today = date ? await schoolToday(ctx) : day.date;
  const [unexcused, notices, classes] = await Promise.all([
    classAbsences(db, ctx.actor, { classId, ...unexcusedRange(today), onlyWithoutReason: true }),
    pendingNotices(db, ctx.actor, { classId }),
    myClasses(db, ctx.actor),
  ]);
  const absent = day.students.filter((s) => s.entries.some((e) => e.status === "ABSENT")).length;
  const late = day.students.filter((s) => s.entries.some((e) => e.status === "LATE")).length;
  const lines = [
    ctx.t("class-admin:home.title", { className: day.className, day: longDay(ctx.lng, day.date) }),
    ctx.t("class-admin:home.roster", { count: day.rosterSize }),
  ];
  const held = day.lessons.filter((l) => l.status !== "CANCELLED");
  if (held.length === 0) {
    lines.push("", ctx.t("class-admin:home.noLessons"));
  } else if (day.students.length === 0) {
    lines.push(
      "",
      ctx.t(held.some((l) => l.attendanceTaken) ? "class-admin:home.allPresent" : "class-admin:home.noMarksYet"),
    );
  } else {
    lines.push(ctx.t("class-admin:home.counts", { absent, late }), "");
    lines.push(...day.students.map((s) => studentLine(ctx, s)));
  }
  const notTaken = held.filter((l) => !l.attendanceTaken);
  if (held.length > 0 && notTaken.length > 0) {
    lines.push(
      "",
      ctx.t("class-admin:home.notTaken", { lessons: notTaken.map((l) => lessonLabel(ctx, l)).join(", ") }),
    );
  }
  const text = fitLines(lines, (n) => ctx.t("class-admin:more", { count: n }));

  const kb = new InlineKeyboard()
    .text(
      ctx.t("class-admin:home.unexcusedButton", {
        count: new Set(unexcused.items.map((i) => `${i.studentId}:${i.date}`)).size,
      }),
      unexcusedList.encode({ classId, page: 0 }),
    )
    .row()
    .text(ctx.t("class-admin:home.noticesButton", { count: notices.notices.length }), noticeList.encode({ classId }))
    .row()
    .text(ctx.t("class-admin:home.rosterButton"), rosterPage.encode({ classId, page: 0 }))
    .text(ctx.t("class-admin:home.invitesButton"), inviteMenu.encode({ classId }))
    .row()
    .text(ctx.t("class-admin:home.sheetButton"), inviteSheet.encode({ classId }))
    .row()
    .text(ctx.t("reports:classButton"), reportsMenu.encode({ cls: classId }))
    .row()
    .text("‹", classHome.encode({ classId, date: dateToInt(addDays(day.date, -1)) }))
    .text(ctx.t("class-admin:home.today"), classHome.encode({ classId, date: 0 }))
    .text("›", classHome.encode({ classId, date: dateToInt(addDays(day.date, 1)) }));
  if (classes.length > 1) kb.row().text(ctx.t("class-admin:home.otherClasses"), classPick.encode({}));
  return { text, keyboard: kb };
}

async function openMyClass(ctx: BotContext) {
  const linked = await requireLinked(ctx);
  if (!linked) return;
  const classes = await myClasses(linked.services.prisma, linked.actor);
  if (classes.length === 1) {
    const screen = await renderClassHome(linked, classes[0].classId);
    await show(ctx, screen);
    return;
  }
  if (classes.length === 0) {
    // "not a class teacher" speaks to staff; a student or a parent is simply not allowed here
    await show(ctx, { text: ctx.t(linked.actor.roles.length > 0 ? "class-admin:home.noClasses" : "errors:FORBIDDEN") });
    return;
  }
  const kb = new InlineKeyboard();
  for (const c of classes) {
    kb.text(
      ctx.t("class-admin:home.pickButton", { className: c.name, count: c.students }),
      classHome.encode({ classId: c.classId, date: 0 }),
    ).row();
  }
  await show(ctx, { text: ctx.t("class-admin:home.pick"), keyboard: kb });
}

const privateChat = classHomeFeature.chatType("private");
privateChat.command("class", openMyClass);
privateChat.hears(menuLabels("myClass"), openMyClass);

classHomeFeature.callbackQuery(classPick.pattern, async (ctx) => {
  await openMyClass(ctx);
  await answer(ctx);
});

classHomeFeature.callbackQuery(classHome.pattern, async (ctx) => {
  const linked = await requireLinked(ctx);
  if (!linked) return;
  const data = classHome.parse(ctx.callbackQuery.data);
  const date = data ? intToDate(data.date) : null;
  if (!data || (data.date !== 0 && !date)) return answerStale(ctx);
  const screen = await renderClassHome(linked, data.classId, date ?? undefined);
  await show(ctx, screen);
  await answer(ctx);
});
