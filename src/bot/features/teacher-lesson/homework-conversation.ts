// Homework for a lesson: text plus photos and documents (kept as Telegram file ids), for the whole class or for
// selected students (a roster picker), due by the next lesson of the subject unless another date is chosen.
// The draft lives in the conversation (stored in PostgreSQL or Redis), saved by one setHomework call.
import type { InlineKeyboardButton } from "grammy/types";
import type { IsoDate } from "../../../core/dates.ts";
import { HOMEWORK_TEXT_MAX, type HomeworkFile, setHomework } from "../../../core/journal/homework.ts";
import type { InnerContext } from "../../context.ts";
import { answer, type Screen, show } from "../../ui/index.ts";
import { homeworkDraftCallback, topicScreenCallback } from "./callbacks.ts";
import { isLeaving, step, type TeacherConversation } from "./conversation-kit.ts";
import { shortDate, shortNames, truncate, weekdayDate } from "./format.ts";
import { backToCard } from "./lesson-card.ts";

export interface HomeworkStart {
  lessonId: number;
  heading: string;
  /** The lesson's roster in journal order. */
  students: { id: number; name: string }[];
  defaultDue: IsoDate;
  options: { date: IsoDate; nextLesson: boolean }[];
}

interface Draft {
  text: string;
  files: HomeworkFile[];
  due: IsoDate;
  selected: number[];
}

const MAX_FILES = 10;
const btn = (text: string, action: string, arg = 0): InlineKeyboardButton => ({
  text,
  callback_data: homeworkDraftCallback.encode({ action, arg }),
});

function draftScreen(ctx: InnerContext, start: HomeworkStart, d: Draft): Screen {
  const t = ctx.t;
  const names = shortNames(start.students.map((s) => s.name));
  const whom = d.selected.length
    ? t("teacher-lesson:homework.forStudents", {
        names: start.students
          .map((s, i) => (d.selected.includes(s.id) ? names[i] : null))
          .filter(Boolean)
          .join(", "),
      })
    : t("teacher-lesson:homework.forAll");
  const nextLesson = start.options.find((o) => o.date === d.due)?.nextLesson && d.due === start.defaultDue;
  const lines = [
    t("teacher-lesson:homework.title", { heading: start.heading }),
    "",
    t("teacher-lesson:homework.text", { text: d.text ? truncate(d.text, 1500) : t("teacher-lesson:homework.noText") }),
  ];
  if (d.files.length) lines.push(t("teacher-lesson:homework.files", { count: d.files.length }));
  lines.push(whom);
  lines.push(
    t(nextLesson ? "teacher-lesson:homework.dueNextLesson" : "teacher-lesson:homework.due", {
      date: weekdayDate(d.due, ctx.lng),
    }),
  );
  lines.push("", t("teacher-lesson:homework.more"));
  return {
    text: lines.join("\n"),
    keyboard: [
      [btn(t("teacher-lesson:homework.save"), "save")],
      [btn(t("teacher-lesson:homework.pick"), "pick"), btn(t("teacher-lesson:homework.otherDate"), "date")],
      [btn(t("teacher-lesson:common.cancel"), "cancel")],
    ],
  };
}

function pickerScreen(ctx: InnerContext, start: HomeworkStart, d: Draft): Screen {
  const names = shortNames(start.students.map((s) => s.name));
  const rows: InlineKeyboardButton[][] = [];
  for (let i = 0; i < start.students.length; i += 2) {
    rows.push(
      start.students
        .slice(i, i + 2)
        .map((s, j) =>
          btn(
            d.selected.includes(s.id) ? ctx.t("teacher-lesson:homework.picked", { name: names[i + j] }) : names[i + j],
            "stu",
            i + j,
          ),
        ),
    );
  }
  rows.push([
    btn(ctx.t("teacher-lesson:homework.everyone"), "all"),
    btn(ctx.t("teacher-lesson:homework.done"), "done"),
  ]);
  return {
    text: ctx.t("teacher-lesson:homework.pickTitle", { heading: start.heading, count: d.selected.length }),
    keyboard: rows,
  };
}

function dateScreen(ctx: InnerContext, start: HomeworkStart, d: Draft): Screen {
  const rows = start.options.map((o, i) => [
    btn(
      ctx.t(o.nextLesson ? "teacher-lesson:homework.dateLesson" : "teacher-lesson:homework.dateOption", {
        date: weekdayDate(o.date, ctx.lng),
        mark: o.date === d.due ? "✓ " : "",
      }),
      "due",
      i,
    ),
  ]);
  rows.push([btn(ctx.t("teacher-lesson:common.back"), "back")]);
  return { text: ctx.t("teacher-lesson:homework.dateTitle", { heading: start.heading }), keyboard: rows };
}

/** Adds what a message brings to the draft; false when it brings nothing usable. */
function absorb(ctx: InnerContext, d: Draft): boolean {
  const m = ctx.message;
  if (!m) return false;
  const add = (text: string | undefined) => {
    const s = text?.trim();
    if (s) d.text = d.text ? `${d.text}\n${s}` : s;
  };
  if (m.text) {
    add(m.text);
    return true;
  }
  if (m.photo?.length) {
    d.files.push({ kind: "photo", fileId: m.photo[m.photo.length - 1].file_id });
    add(m.caption);
    return true;
  }
  if (m.document) {
    d.files.push({
      kind: "document",
      fileId: m.document.file_id,
      ...(m.document.file_name ? { name: m.document.file_name.slice(0, 200) } : {}),
    });
    add(m.caption);
    return true;
  }
  return false;
}

export async function homeworkConversation(
  conversation: TeacherConversation,
  ctx: InnerContext,
  start: HomeworkStart,
): Promise<void> {
  const { t } = ctx;
  const db = ctx.services.prisma;
  const actor = ctx.actor;
  if (!actor) return;
  const d: Draft = { text: "", files: [], due: start.defaultDue, selected: [] };
  const after = [
    [backToCard(t, start.lessonId)],
    [{ text: t("teacher-lesson:topic.backToTopic"), callback_data: topicScreenCallback.encode(start) }],
  ];
  await ctx.reply(t("teacher-lesson:homework.ask", { heading: start.heading, date: shortDate(start.defaultDue) }), {
    reply_markup: { inline_keyboard: [[btn(t("teacher-lesson:common.cancel"), "cancel")]] },
  });
  for (;;) {
    const next = await conversation.wait();
    if (isLeaving(next)) await conversation.halt({ next: true });
    const press = next.callbackQuery ? homeworkDraftCallback.parse(next.callbackQuery.data) : null;
    if (next.callbackQuery && !press) await conversation.halt({ next: true });
    if (!press) {
      const filesBefore = d.files.length;
      const textBefore = d.text;
      if (!absorb(next, d)) {
        await next.reply(t("teacher-lesson:homework.textOrFile"));
        continue;
      }
      if (d.files.length > MAX_FILES) {
        d.files.length = filesBefore;
        d.text = textBefore;
        await next.reply(t("teacher-lesson:homework.tooManyFiles", { max: MAX_FILES }));
        continue;
      }
      if (d.text.length > HOMEWORK_TEXT_MAX) {
        d.files.length = filesBefore;
        d.text = textBefore;
        await next.reply(t("teacher-lesson:homework.tooLong", { max: HOMEWORK_TEXT_MAX }));
        continue;
      }
      await next.reply(draftScreen(next, start, d).text, {
        reply_markup: { inline_keyboard: draftScreen(next, start, d).keyboard ?? [] },
      });
      continue;
    }
    switch (press.action) {
      case "cancel":
        await show(next, { text: t("teacher-lesson:homework.cancelled"), keyboard: after });
        return;
      case "pick":
        await show(next, pickerScreen(next, start, d));
        continue;
      case "stu": {
        const s = start.students[press.arg];
        if (s) d.selected = d.selected.includes(s.id) ? d.selected.filter((id) => id !== s.id) : [...d.selected, s.id];
        await show(next, pickerScreen(next, start, d));
        continue;
      }
      case "all":
        d.selected = [];
        await show(next, draftScreen(next, start, d));
        continue;
      case "date":
        await show(next, dateScreen(next, start, d));
        continue;
      case "due": {
        const o = start.options[press.arg];
        if (o) d.due = o.date;
        await show(next, draftScreen(next, start, d));
        continue;
      }
      case "done":
      case "back":
        await show(next, draftScreen(next, start, d));
        continue;
      case "save": {
        if (!d.text) {
          await answer(next, t("teacher-lesson:homework.needText"), true);
          continue;
        }
        const saved = await step(conversation, () =>
          setHomework(db, actor, {
            lessonId: start.lessonId,
            text: d.text,
            files: d.files,
            dueDate: d.due,
            studentIds: d.selected,
          }),
        );
        if (!saved.ok) {
          const key =
            saved.code === "FORBIDDEN" || saved.code === "NOT_FOUND"
              ? "teacher-lesson:refused"
              : saved.code === "VALIDATION"
                ? "teacher-lesson:homework.invalid"
                : `errors:${saved.code}`;
          await answer(next, t(key), true);
          if (saved.code === "VALIDATION") continue;
          return;
        }
        const h = saved.value;
        await show(next, {
          text: t(h.individual ? "teacher-lesson:homework.savedFor" : "teacher-lesson:homework.saved", {
            date: weekdayDate(h.dueDate, next.lng),
            count: h.studentIds.length,
            files: h.files.length,
          }),
          keyboard: after,
        });
        return;
      }
      default:
        await answer(next, t("teacher-lesson:stale"));
    }
  }
}
