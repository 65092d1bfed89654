// The lesson card: class or subgroup, subject, date and time, room, topic, homework, attendance and marks
// summary, and the actions «Посещаемость» · «Оценки» · «Тема и ДЗ». Read through the core (access checked there).

import type { InlineKeyboardButton } from "grammy/types";
import type { TFunction } from "i18next";
import type { Actor } from "../../../core/actor.ts";
import type { IsoDate } from "../../../core/dates.ts";
import { schoolNow } from "../../../core/journal/common.ts";
import { type LessonCard, lessonCard } from "../../../core/journal/lesson-card.ts";
import type { Db } from "../../../core/tx.ts";
import type { Language } from "../../../i18n.ts";
import type { InnerContext } from "../../context.ts";
import { type Screen, show } from "../../ui/index.ts";
import { attendanceOpenCallback, cardCallback, dayCallback, topicScreenCallback } from "./callbacks.ts";
import { openMarksCallback, schoolDayCallback, termSheetButton } from "./card-actions.ts";
import { groupLabel, longDate, shortDate, truncate } from "./format.ts";
import { guarded, refuse } from "./respond.ts";

export interface CardView {
  card: LessonCard;
  /** Today in the school's time zone. */
  today: IsoDate;
}

/** The card as the core gives it to the actor (FORBIDDEN / NOT_FOUND for a lesson they may not see). */
export async function loadCard(db: Db, actor: Actor, lessonId: number): Promise<CardView> {
  const [card, now] = await Promise.all([lessonCard(db, actor, { lessonId }), schoolNow(db, actor.schoolId)]);
  return { card, today: now.local.date };
}

interface Tr {
  t: TFunction;
  lng: Language;
}

/** "Алгебра · 7Б, среда, 14 мая, 1-й урок 08:30–09:15" — the heading shared by the lesson screens. */
export function lessonHeading({ t, lng }: Tr, card: LessonCard): string {
  return t("teacher-lesson:card.heading", {
    subject: card.subjectName,
    group: groupLabel(t, card.className, card.subgroupNo),
    date: longDate(card.date, lng),
    slot: card.slot,
    time: card.startsAt && card.endsAt ? `${card.startsAt}–${card.endsAt}` : "",
  });
}

export function attendanceLine(t: TFunction, card: LessonCard): string {
  if (!card.attendanceTaken) return t("teacher-lesson:card.attendanceNotTaken");
  const absent = card.students.filter((s) => s.attendance?.status === "ABSENT").length;
  const late = card.students.filter((s) => s.attendance?.status === "LATE").length;
  return t("teacher-lesson:card.attendanceTaken", {
    present: card.students.length - absent,
    total: card.students.length,
    absent,
    late,
  });
}

export function homeworkLines(t: TFunction, card: LessonCard): string[] {
  return card.homework.map((h) =>
    t("teacher-lesson:card.homeworkItem", {
      text: truncate(h.text, 120),
      due: shortDate(h.dueDate),
      files: h.files.length ? t("teacher-lesson:card.files", { count: h.files.length }) : "",
      whom: h.studentIds.length ? t("teacher-lesson:card.individual", { count: h.studentIds.length }) : "",
    }),
  );
}

export function cardText(tr: Tr, view: CardView): string {
  const { t } = tr;
  const { card, today } = view;
  const marks = card.students.reduce((n, s) => n + s.marks.length, 0);
  const lines = [lessonHeading(tr, card)];
  if (card.room)
    lines.push(
      t("teacher-lesson:card.room", { room: card.room, context: /^\d/.test(card.room) ? undefined : "named" }),
    );
  if (card.substituteId && card.role === "substitute") lines.push(t("teacher-lesson:card.substituting"));
  else if (card.substituteName) lines.push(t("teacher-lesson:card.substitutedBy", { name: card.substituteName }));
  if (card.status === "CANCELLED") lines.push(t("teacher-lesson:card.cancelled"));
  lines.push("");
  lines.push(t("teacher-lesson:card.topic", { topic: card.topic ?? t("teacher-lesson:card.none") }));
  const hw = homeworkLines(t, card);
  lines.push(hw.length ? [t("teacher-lesson:card.homework"), ...hw].join("\n") : t("teacher-lesson:card.noHomework"));
  lines.push(attendanceLine(t, card));
  lines.push(marks ? t("teacher-lesson:card.marks", { count: marks }) : t("teacher-lesson:card.noMarks"));
  // late entry is flagged, never blocked.
  if (card.status !== "CANCELLED" && card.date < today && (!card.attendanceTaken || !card.topic)) {
    lines.push("", t("teacher-lesson:card.late"));
  }
  if (!card.canWrite) {
    lines.push("", t(card.canCorrect ? "teacher-lesson:card.correctOnly" : "teacher-lesson:card.readOnly"));
  }
  return lines.join("\n");
}

/**
 * The card's buttons: «Посещаемость» · «Оценки» (handled by teacher-marks) · «Тема и ДЗ» · «‹ Мой день». A reader
 * the core lets correct marks late (canCorrect, the administration) gets «Оценки» alone, in correction mode, and
 * goes back to the school's lessons of the day instead of their own day.
 */
export function lessonCardKeyboard(
  t: TFunction,
  card: Pick<LessonCard, "lessonId" | "assignmentId" | "date" | "canWrite" | "canCorrect" | "role" | "status">,
): InlineKeyboardButton[][] {
  const rows: InlineKeyboardButton[][] = [];
  if (card.canWrite && card.status !== "CANCELLED") {
    rows.push([
      { text: t("teacher-lesson:card.actions.attendance"), callback_data: attendanceOpenCallback.encode(card) },
      { text: t("teacher-lesson:card.actions.marks"), callback_data: openMarksCallback.encode(card) },
    ]);
    const topic = { text: t("teacher-lesson:card.actions.topic"), callback_data: topicScreenCallback.encode(card) };
    // the assignment's own teacher (not a substitute) reaches the term marks of the class from its lesson.
    rows.push(card.role === "teacher" ? [topic, termSheetButton(t, card.assignmentId)] : [topic]);
  } else if (!card.canWrite && card.canCorrect) {
    rows.push([{ text: t("teacher-lesson:card.actions.marks"), callback_data: openMarksCallback.encode(card) }]);
  }
  rows.push([
    card.role === "administration"
      ? { text: t("teacher-lesson:card.actions.schoolDay"), callback_data: schoolDayCallback(card.date) }
      : { text: t("teacher-lesson:card.actions.day"), callback_data: dayCallback.encode({ date: card.date }) },
  ]);
  return rows;
}

export function cardScreen(tr: Tr, view: CardView): Screen {
  return { text: cardText(tr, view), keyboard: lessonCardKeyboard(tr.t, view.card) };
}

/** Button back to the card, for the lesson's other screens. */
export function backToCard(t: TFunction, lessonId: number): InlineKeyboardButton {
  return { text: t("teacher-lesson:card.actions.back"), callback_data: cardCallback.encode({ lessonId }) };
}

/**
 * Shows the lesson card: edits the message of the pressed button, else sends a new message. Access is checked by
 * the core; a lesson the person may not see gets a polite refusal.
 */
export async function renderLessonCard(
  ctx: InnerContext,
  lessonId: number,
  opts: { back?: InlineKeyboardButton } = {},
): Promise<void> {
  await guarded<InnerContext>(async (c) => {
    const view = await loadCard(c.services.prisma, c.actor, lessonId);
    const screen = cardScreen(c, view);
    // The administration's «‹ Назад» goes where the card was opened from (e.g. one teacher's unfilled lessons).
    if (opts.back && view.card.role === "administration" && screen.keyboard?.length) {
      screen.keyboard = [...screen.keyboard.slice(0, -1), [opts.back]];
    }
    await show(c, screen);
  })(ctx);
}

/** tlcard:<lessonId> */
export async function onCardPressed(ctx: InnerContext): Promise<void> {
  const data = cardCallback.parse(ctx.callbackQuery?.data);
  if (!data) return refuse(ctx);
  await renderLessonCard(ctx, data.lessonId);
}
