// Attendance: a roster keyboard, one button per student ("Фамилия И.") in journal order; each tap cycles
// present → «н» → «оп» → present by editing the same message; «Сохранить» writes the lesson in one
// saveAttendance call and shows the summary. The draft travels in the buttons (attendance-state.ts), so a
// 30-student lesson with k absentees takes k + 2 taps from the card: «Посещаемость», k taps, «Сохранить».
import { Composer } from "grammy";
import type { InlineKeyboardButton } from "grammy/types";
import { type AttendanceSummary, saveAttendance } from "../../../core/journal/attendance.ts";
import type { LessonCard } from "../../../core/journal/lesson-card.ts";
import type { BotContext, InnerContext, LinkedContext } from "../../context.ts";
import { answer, type Screen, show } from "../../ui/index.ts";
import {
  ABSENT,
  cycle,
  decodeState,
  encodeState,
  LATE,
  MAX_ROSTER,
  type Mark,
  PRESENT,
  rosterFingerprint,
} from "./attendance-state.ts";
import {
  attendanceOpenCallback,
  attendancePageCallback,
  attendanceSaveCallback,
  attendanceTapCallback,
} from "./callbacks.ts";
import { shortNames } from "./format.ts";
import { backToCard, type CardView, lessonHeading, loadCard } from "./lesson-card.ts";
import { guarded, refuse } from "./respond.ts";

export const attendance = new Composer<BotContext>();

/** Students per page: 2 per row, well under Telegram's 100 buttons with the controls. */
export const ROSTER_PAGE_SIZE = 48;
const PER_ROW = 2;

type Ctx = LinkedContext<InnerContext>;

function savedMarks(card: LessonCard): Mark[] {
  return card.students.map((s) =>
    s.attendance?.status === "ABSENT" ? ABSENT : s.attendance?.status === "LATE" ? LATE : PRESENT,
  );
}

export function rosterScreen(ctx: InnerContext, card: LessonCard, marks: Mark[], page: number): Screen {
  const ids = card.students.map((s) => s.studentId);
  const fp = rosterFingerprint(ids, savedMarks(card));
  const state = encodeState(marks);
  const names = shortNames(card.students.map((s) => s.name));
  const pages = Math.max(1, Math.ceil(ids.length / ROSTER_PAGE_SIZE));
  const p = Math.min(Math.max(0, page), pages - 1);
  const absent = marks.filter((m) => m === ABSENT).length;
  const late = marks.filter((m) => m === LATE).length;
  const text = [
    ctx.t("teacher-lesson:attendance.title", { heading: lessonHeading(ctx, card) }),
    ctx.t("teacher-lesson:attendance.hint"),
    "",
    ctx.t("teacher-lesson:attendance.counts", { present: ids.length - absent, total: ids.length, absent, late }),
    ...(pages > 1 ? [ctx.t("teacher-lesson:attendance.page", { page: p + 1, pages })] : []),
  ].join("\n");

  const keyboard: InlineKeyboardButton[][] = [];
  const from = p * ROSTER_PAGE_SIZE;
  const to = Math.min(ids.length, from + ROSTER_PAGE_SIZE);
  for (let i = from; i < to; i += PER_ROW) {
    const row: InlineKeyboardButton[] = [];
    for (let j = i; j < Math.min(to, i + PER_ROW); j++) {
      const label =
        marks[j] === ABSENT
          ? ctx.t("teacher-lesson:attendance.absentButton", { name: names[j] })
          : marks[j] === LATE
            ? ctx.t("teacher-lesson:attendance.lateButton", { name: names[j] })
            : names[j];
      row.push({
        text: label,
        callback_data: attendanceTapCallback.encode({ lessonId: card.lessonId, idx: j, page: p, state, fp }),
      });
    }
    keyboard.push(row);
  }
  if (pages > 1) {
    const nav: InlineKeyboardButton[] = [];
    if (p > 0) {
      nav.push({
        text: ctx.t("teacher-lesson:attendance.prevPage", { from: from - ROSTER_PAGE_SIZE + 1, to: from }),
        callback_data: attendancePageCallback.encode({ lessonId: card.lessonId, page: p - 1, state, fp }),
      });
    }
    if (p < pages - 1) {
      nav.push({
        text: ctx.t("teacher-lesson:attendance.nextPage", {
          from: to + 1,
          to: Math.min(ids.length, to + ROSTER_PAGE_SIZE),
        }),
        callback_data: attendancePageCallback.encode({ lessonId: card.lessonId, page: p + 1, state, fp }),
      });
    }
    keyboard.push(nav);
  }
  keyboard.push([
    {
      text: ctx.t("teacher-lesson:attendance.save"),
      callback_data: attendanceSaveCallback.encode({ lessonId: card.lessonId, state, fp }),
    },
  ]);
  keyboard.push([backToCard(ctx.t, card.lessonId)]);
  return { text, keyboard };
}

export function summaryText(ctx: InnerContext, card: LessonCard, summary: AttendanceSummary): string {
  const total = card.students.length;
  const lines = [
    ctx.t(
      summary.absent.length || summary.late.length
        ? "teacher-lesson:attendance.saved"
        : "teacher-lesson:attendance.allPresent",
      {
        heading: lessonHeading(ctx, card),
      },
    ),
    // late students are in the room: the same count as the roster screen and the lesson card
    ctx.t("teacher-lesson:attendance.presentCount", { present: total - summary.absent.length, total }),
  ];
  if (summary.absent.length) {
    lines.push(
      ctx.t("teacher-lesson:attendance.absentList", {
        count: summary.absent.length,
        names: summary.absent.map((s) => s.name).join(", "),
      }),
    );
  }
  if (summary.late.length) {
    lines.push(
      ctx.t("teacher-lesson:attendance.lateList", {
        count: summary.late.length,
        names: summary.late.map((s) => s.name).join(", "),
      }),
    );
  }
  return lines.join("\n");
}

export function summaryScreen(ctx: InnerContext, card: LessonCard, summary: AttendanceSummary): Screen {
  return {
    text: summaryText(ctx, card, summary),
    keyboard: [
      [
        {
          text: ctx.t("teacher-lesson:attendance.change"),
          callback_data: attendanceOpenCallback.encode({ lessonId: card.lessonId }),
        },
      ],
      [backToCard(ctx.t, card.lessonId)],
    ],
  };
}

/** The summary of attendance already saved (from the card), for screens that must not overwrite it. */
export function savedSummary(card: LessonCard): AttendanceSummary {
  const absent = card.students.filter((s) => s.attendance?.status === "ABSENT");
  const late = card.students.filter((s) => s.attendance?.status === "LATE");
  return {
    lessonId: card.lessonId,
    present: card.students.length - absent.length,
    absent: absent.map((s) => ({ studentId: s.studentId, name: s.name })),
    late: late.map((s) => ({ studentId: s.studentId, name: s.name })),
    changed: false,
  };
}

/** Refuses what cannot take attendance now; true when the roster may be shown or saved. */
async function writable(ctx: Ctx, view: CardView): Promise<boolean> {
  const { card, today } = view;
  if (!card.canWrite) {
    await refuse(ctx, "teacher-lesson:attendance.readOnly");
    return false;
  }
  if (card.status === "CANCELLED") {
    await refuse(ctx, "teacher-lesson:attendance.cancelled");
    return false;
  }
  if (card.date > today) {
    await refuse(ctx, "teacher-lesson:attendance.future");
    return false;
  }
  if (card.students.length > MAX_ROSTER) {
    await refuse(ctx, "teacher-lesson:attendance.tooLarge");
    return false;
  }
  return true;
}

/** Opens the roster from the saved attendance (from the card or the lesson-start prompt). */
export async function openRoster(ctx: Ctx, lessonId: number): Promise<void> {
  const view = await loadCard(ctx.services.prisma, ctx.actor, lessonId);
  if (!(await writable(ctx, view))) return;
  await show(ctx, rosterScreen(ctx, view.card, savedMarks(view.card), 0));
}

/** The draft of a pressed button, or null (after telling the person) when it no longer fits the roster. */
async function draftOf(ctx: Ctx, view: CardView, state: string, fp: string): Promise<Mark[] | null> {
  const ids = view.card.students.map((s) => s.studentId);
  const saved = savedMarks(view.card);
  const marks = fp === rosterFingerprint(ids, saved) ? decodeState(state, ids.length) : null;
  if (!marks) {
    // The class list changed since the message was drawn, or attendance was saved since (from another screen or
    // by a substitute), or the data is not ours: start again from what is saved, never overwrite it blindly.
    await answer(ctx, ctx.t("teacher-lesson:attendance.rosterChanged"), true);
    await show(ctx, rosterScreen(ctx, view.card, saved, 0));
    return null;
  }
  return marks;
}

attendance.callbackQuery(
  attendanceOpenCallback.pattern,
  guarded(async (ctx) => {
    const data = attendanceOpenCallback.parse(ctx.callbackQuery?.data);
    if (!data) return refuse(ctx);
    await openRoster(ctx, data.lessonId);
  }),
);

attendance.callbackQuery(
  attendanceTapCallback.pattern,
  guarded(async (ctx) => {
    const data = attendanceTapCallback.parse(ctx.callbackQuery?.data);
    if (!data) return refuse(ctx);
    const view = await loadCard(ctx.services.prisma, ctx.actor, data.lessonId);
    if (!(await writable(ctx, view))) return;
    const marks = await draftOf(ctx, view, data.state, data.fp);
    if (!marks) return;
    if (data.idx >= marks.length) return refuse(ctx, "teacher-lesson:stale");
    marks[data.idx] = cycle(marks[data.idx]);
    await show(ctx, rosterScreen(ctx, view.card, marks, data.page));
  }),
);

attendance.callbackQuery(
  attendancePageCallback.pattern,
  guarded(async (ctx) => {
    const data = attendancePageCallback.parse(ctx.callbackQuery?.data);
    if (!data) return refuse(ctx);
    const view = await loadCard(ctx.services.prisma, ctx.actor, data.lessonId);
    if (!(await writable(ctx, view))) return;
    const marks = await draftOf(ctx, view, data.state, data.fp);
    if (!marks) return;
    await show(ctx, rosterScreen(ctx, view.card, marks, data.page));
  }),
);

attendance.callbackQuery(
  attendanceSaveCallback.pattern,
  guarded(async (ctx) => {
    const data = attendanceSaveCallback.parse(ctx.callbackQuery?.data);
    if (!data) return refuse(ctx);
    const view = await loadCard(ctx.services.prisma, ctx.actor, data.lessonId);
    if (!(await writable(ctx, view))) return;
    const marks = await draftOf(ctx, view, data.state, data.fp);
    if (!marks) return;
    const ids = view.card.students.map((s) => s.studentId);
    const summary = await saveAttendance(ctx.services.prisma, ctx.actor, {
      lessonId: view.card.lessonId,
      absent: ids.filter((_, i) => marks[i] === ABSENT),
      late: ids.filter((_, i) => marks[i] === LATE),
    });
    ctx.logger.info(
      { lesson_id: view.card.lessonId, absent: summary.absent.length, late: summary.late.length },
      "attendance saved",
    );
    await answer(ctx, ctx.t("teacher-lesson:attendance.savedToast"));
    await show(ctx, summaryScreen(ctx, view.card, summary));
  }),
);
