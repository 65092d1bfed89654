// «Пропуски без причины»: the class's absences without a reason over the last weeks, one group per student and
// day with one-tap reasons for the whole day, and a student's day lesson by lesson. The core decides
// who may set a reason; the bot only lists and passes ids.
import { Composer, InlineKeyboard } from "grammy";
import type { IsoDate } from "../../../core/dates.ts";
import {
  type AbsenceReason,
  type ClassAbsence,
  classAbsences,
  setAbsenceReason,
} from "../../../core/journal/absence-reasons.ts";
import type { BotContext, LinkedContext } from "../../context.ts";
import { answer, answerStale, requireLinked, show } from "../../ui/index.ts";
import { absenceDay, classHome, dayReason, lessonReason, noop, unexcusedList } from "./callbacks.ts";
import { unexcusedRange } from "./class-home.ts";
import { dateToInt, intToDate, isReason, longDay, REASONS, schoolToday, shortDay, shortName } from "./ui.ts";

export const absencesFeature = new Composer<BotContext>();

const GROUPS_PER_PAGE = 6;

interface StudentDay {
  studentId: number;
  studentName: string;
  date: IsoDate;
  items: ClassAbsence[];
}

/** Absences grouped by student and day, the latest day first, then in journal (name) order. */
export function groupByStudentDay(items: ClassAbsence[]): StudentDay[] {
  const groups = new Map<string, StudentDay>();
  for (const item of items) {
    const key = `${item.studentId}:${item.date}`;
    let g = groups.get(key);
    if (!g) {
      g = { studentId: item.studentId, studentName: item.studentName, date: item.date, items: [] };
      groups.set(key, g);
    }
    g.items.push(item);
  }
  return [...groups.values()].sort(
    (a, b) => b.date.localeCompare(a.date) || a.studentName.localeCompare(b.studentName, "ru"),
  );
}

function reasonRow(
  ctx: BotContext,
  kb: InlineKeyboard,
  encode: (reason: AbsenceReason) => string,
  current?: AbsenceReason | null,
) {
  for (const reason of REASONS) {
    const label = ctx.t(`class-admin:reasonButton.${reason}`);
    kb.text(current === reason ? `• ${label}` : label, encode(reason));
  }
  return kb.row();
}

export async function renderUnexcused(ctx: LinkedContext, classId: number, page: number) {
  const today = await schoolToday(ctx);
  const res = await classAbsences(ctx.services.prisma, ctx.actor, {
    classId,
    ...unexcusedRange(today),
    onlyWithoutReason: true,
  });
  const groups = groupByStudentDay(res.items);
  const pages = Math.max(1, Math.ceil(groups.length / GROUPS_PER_PAGE));
  const p = Math.min(Math.max(page, 0), pages - 1);
  const shown = groups.slice(p * GROUPS_PER_PAGE, (p + 1) * GROUPS_PER_PAGE);
  const kb = new InlineKeyboard();
  const lines = [ctx.t("class-admin:unexcused.title", { className: res.className, count: groups.length })];
  if (groups.length === 0) {
    lines.push("", ctx.t("class-admin:unexcused.none"));
  } else {
    lines.push(ctx.t("class-admin:unexcused.hint"), "");
    shown.forEach((g, i) => {
      const no = p * GROUPS_PER_PAGE + i + 1;
      const lessons = g.items.map((a) => `${a.slot} ${a.subjectShort}`).join(", ");
      lines.push(`${no}. ${g.studentName} — ${shortDay(ctx.lng, g.date)}: ${lessons}`);
      kb.text(
        ctx.t("class-admin:unexcused.groupButton", {
          no,
          name: shortName(g.studentName),
          day: shortDay(ctx.lng, g.date),
          count: g.items.length,
        }),
        absenceDay.encode({ classId, studentId: g.studentId, date: dateToInt(g.date) }),
      ).row();
      reasonRow(ctx, kb, (reason) =>
        dayReason.encode({ classId, studentId: g.studentId, date: dateToInt(g.date), reason, back: "l" }),
      );
    });
  }
  if (pages > 1) {
    if (p > 0) kb.text("‹", unexcusedList.encode({ classId, page: p - 1 }));
    kb.text(`${p + 1}/${pages}`, noop.encode({}));
    if (p < pages - 1) kb.text("›", unexcusedList.encode({ classId, page: p + 1 }));
    kb.row();
  }
  kb.text(ctx.t("class-admin:backToClass"), classHome.encode({ classId, date: 0 }));
  return { text: lines.join("\n"), keyboard: kb, page: p };
}

export async function renderAbsenceDay(ctx: LinkedContext, classId: number, studentId: number, date: IsoDate) {
  const res = await classAbsences(ctx.services.prisma, ctx.actor, { classId, from: date, to: date });
  const items = res.items.filter((a) => a.studentId === studentId && a.status === "ABSENT");
  const kb = new InlineKeyboard();
  if (items.length === 0) {
    kb.text(ctx.t("class-admin:absenceDay.back"), unexcusedList.encode({ classId, page: 0 }));
    return { text: ctx.t("class-admin:absenceDay.none"), keyboard: kb };
  }
  const d = dateToInt(date);
  const lines = [
    ctx.t("class-admin:absenceDay.title", { name: items[0].studentName, day: longDay(ctx.lng, date) }),
    "",
  ];
  for (const a of items) {
    const reason = a.reason ? ctx.t(`class-admin:reasonShort.${a.reason}`) : ctx.t("class-admin:home.noReason");
    lines.push(`${a.slot} ${a.subjectShort} — ${reason}`);
    kb.text(`${a.slot} ${a.subjectShort}`, noop.encode({})).row();
    reasonRow(
      ctx,
      kb,
      (r) => lessonReason.encode({ classId, studentId, date: d, attendanceId: a.attendanceId, reason: r }),
      a.reason,
    );
  }
  if (items.length > 1) {
    kb.text(ctx.t("class-admin:absenceDay.allDay"), noop.encode({})).row();
    reasonRow(ctx, kb, (r) => dayReason.encode({ classId, studentId, date: d, reason: r, back: "d" }));
  }
  kb.text(ctx.t("class-admin:absenceDay.back"), unexcusedList.encode({ classId, page: 0 }));
  return { text: lines.join("\n"), keyboard: kb };
}

function pageOf(ctx: BotContext): number {
  // the page shown is in the list's navigation buttons; default to the first
  const rows = ctx.callbackQuery?.message?.reply_markup?.inline_keyboard ?? [];
  for (const row of rows) {
    for (const b of row) {
      if ("callback_data" in b && /^\d+\/\d+$/.test(b.text)) return Number(b.text.split("/")[0]) - 1;
    }
  }
  return 0;
}

absencesFeature.callbackQuery(unexcusedList.pattern, async (ctx) => {
  const linked = await requireLinked(ctx);
  if (!linked) return;
  const data = unexcusedList.parse(ctx.callbackQuery.data);
  if (!data) return answerStale(ctx);
  const screen = await renderUnexcused(linked, data.classId, data.page);
  await show(ctx, screen);
  await answer(ctx);
});

absencesFeature.callbackQuery(absenceDay.pattern, async (ctx) => {
  const linked = await requireLinked(ctx);
  if (!linked) return;
  const data = absenceDay.parse(ctx.callbackQuery.data);
  const date = data ? intToDate(data.date) : null;
  if (!data || !date) return answerStale(ctx);
  const screen = await renderAbsenceDay(linked, data.classId, data.studentId, date);
  await show(ctx, screen);
  await answer(ctx);
});

absencesFeature.callbackQuery(dayReason.pattern, async (ctx) => {
  const linked = await requireLinked(ctx);
  if (!linked) return;
  const data = dayReason.parse(ctx.callbackQuery.data);
  const date = data ? intToDate(data.date) : null;
  if (!data || !date || !isReason(data.reason) || (data.back !== "l" && data.back !== "d")) return answerStale(ctx);
  const db = linked.services.prisma;
  // the class's absences of that day: the core checks the class first, so another class's ids never pass
  // From the list: the day's absences still without a reason; from the student's day: all of that day's absences.
  const res = await classAbsences(db, linked.actor, {
    classId: data.classId,
    from: date,
    to: date,
    onlyWithoutReason: data.back === "l",
  });
  const ids = res.items
    .filter((a) => a.studentId === data.studentId && a.status === "ABSENT" && a.reason !== data.reason)
    .map((a) => a.attendanceId);
  let toast = ctx.t("class-admin:reasonAlreadySet");
  if (ids.length > 0) {
    await setAbsenceReason(db, linked.actor, { attendanceIds: ids, reason: data.reason });
    toast = ctx.t("class-admin:reasonSaved", {
      reason: ctx.t(`class-admin:reasonShort.${data.reason}`),
      count: ids.length,
    });
  }
  const screen =
    data.back === "d"
      ? await renderAbsenceDay(linked, data.classId, data.studentId, date)
      : await renderUnexcused(linked, data.classId, pageOf(ctx));
  await answer(ctx, toast);
  await show(ctx, screen);
});

absencesFeature.callbackQuery(lessonReason.pattern, async (ctx) => {
  const linked = await requireLinked(ctx);
  if (!linked) return;
  const data = lessonReason.parse(ctx.callbackQuery.data);
  const date = data ? intToDate(data.date) : null;
  if (!data || !date || !isReason(data.reason)) return answerStale(ctx);
  const res = await setAbsenceReason(linked.services.prisma, linked.actor, {
    attendanceId: data.attendanceId,
    reason: data.reason,
  });
  const screen = await renderAbsenceDay(linked, data.classId, data.studentId, date);
  await answer(
    ctx,
    res.changed
      ? ctx.t("class-admin:reasonSaved", { reason: ctx.t(`class-admin:reasonShort.${data.reason}`), count: 1 })
      : ctx.t("class-admin:reasonAlreadySet"),
  );
  await show(ctx, screen);
});

absencesFeature.callbackQuery(noop.pattern, async (ctx) => {
  await answer(ctx);
});
