// /lessons and «🏫 Школа сегодня»: the school's lessons of a day that have started and still lack
// attendance or a topic, by the teacher who keeps them (the substitute where one is granted): one line and one
// button per teacher; a teacher's button lists their lessons, each opening its card («📘»), and every «‹ Назад»
// returns to the screen it came from.
import { Composer, InlineKeyboard } from "grammy";
import { addDays, type IsoDate } from "../../../core/dates.ts";
import { type UnfilledLesson, unfilledLessons } from "../../../core/journal/lessons.ts";
import type { BotContext, LinkedContext } from "../../context.ts";
import { menuLabels } from "../../keyboards/main-menu.ts";
import { answer, answerStale, markup, requireLinked, show } from "../../ui/index.ts";
import { periodListCallback } from "../period-close/callbacks.ts";
import { renderLessonCard } from "../teacher-lesson/card-actions.ts";
import { openUnfilledLesson, subDay, unfilledDay, unfilledTeacher } from "./callbacks.ts";
import { chunkLines, dateToInt, intToDate, longDay, schoolToday, shortName } from "./ui.ts";

export const unfilledLessonsFeature = new Composer<BotContext>();

/** More unfilled lessons of one teacher than this → buttons for the first ones only (Telegram's keyboard limit). */
const MAX_OPEN_BUTTONS = 30;

function missingText(ctx: BotContext, l: UnfilledLesson): string {
  const parts: string[] = [];
  if (l.missing.attendance) parts.push(ctx.t("class-admin:unfilled.noAttendance"));
  if (l.missing.topic) parts.push(ctx.t("class-admin:unfilled.noTopic"));
  return parts.join(", ");
}

/** Teachers in name order, each with their unfilled lessons by bell. */
export function groupByKeeper(lessons: UnfilledLesson[]) {
  const groups = new Map<string, UnfilledLesson[]>();
  for (const l of lessons) {
    const keeper = l.substituteName ?? l.teacherName;
    groups.set(keeper, [...(groups.get(keeper) ?? []), l]);
  }
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b, "ru"));
}

/** One lesson's line on a teacher's list: «2-й урок · 8А Алг — нет посещаемости, нет темы». */
function lessonLine(ctx: BotContext, l: UnfilledLesson): string {
  const group = l.subgroupNo ? ` ${ctx.t("class-admin:home.subgroup", { no: l.subgroupNo })}` : "";
  const sub = l.substituteName ? ` ${ctx.t("class-admin:unfilled.insteadOf", { name: l.teacherName })}` : "";
  return `  ${ctx.t("class-admin:substitute.slot", { slot: l.slot })} · ${l.className} ${l.subjectShort}${group}${sub} — ${missingText(ctx, l)}`;
}

const keeperId = (l: UnfilledLesson) => l.substituteId ?? l.teacherId;

function dayButtons(ctx: BotContext, kb: InlineKeyboard, date: IsoDate, today: IsoDate) {
  kb.row()
    .text("‹", unfilledDay.encode({ date: dateToInt(addDays(date, -1)) }))
    .text(ctx.t("class-admin:substitute.today"), unfilledDay.encode({ date: 0 }));
  if (date < today) kb.text("›", unfilledDay.encode({ date: dateToInt(addDays(date, 1)) }));
}

/**
 * The school's day: one line and one button per teacher (a school of 60 lessons a day stays one screen); the
 * teacher's button opens their lessons.
 */
export async function renderUnfilled(ctx: LinkedContext, date: IsoDate | null) {
  const today = await schoolToday(ctx);
  const res = await unfilledLessons(ctx.services.prisma, ctx.actor, date ? { date } : {});
  const lines = [ctx.t("class-admin:unfilled.title", { day: longDay(ctx.lng, res.date), count: res.lessons.length })];
  if (res.lessons.length === 0) {
    lines.push("", ctx.t(res.date === today ? "class-admin:unfilled.noneToday" : "class-admin:unfilled.none"));
  } else {
    lines.push("", ctx.t("class-admin:unfilled.pickTeacher"));
  }
  const kb = new InlineKeyboard();
  groupByKeeper(res.lessons).forEach(([keeper, lessons], i) => {
    const attendance = lessons.filter((l) => l.missing.attendance).length;
    const topic = lessons.filter((l) => l.missing.topic).length;
    lines.push(ctx.t("class-admin:unfilled.teacherLine", { name: keeper, count: lessons.length, attendance, topic }));
    kb.text(
      ctx.t("class-admin:unfilled.teacherButton", { name: shortName(keeper), count: lessons.length }),
      unfilledTeacher.encode({ date: dateToInt(res.date), personId: keeperId(lessons[0]) }),
    );
    if (i % 2 === 1) kb.row();
  });
  dayButtons(ctx, kb, res.date, today);
  kb.row().text(ctx.t("class-admin:unfilled.substitutions"), subDay.encode({ date: 0, slot: 0 }));
  // the period check and close (period-close/).
  kb.text(ctx.t("period-close:menu"), periodListCallback.encode({}));
  return { chunks: chunkLines(lines), keyboard: kb };
}

/** One teacher's unfilled lessons of the day, each opening its card; «‹ Назад» to the school's day. */
export async function renderTeacherUnfilled(ctx: LinkedContext, date: IsoDate, personId: number) {
  const res = await unfilledLessons(ctx.services.prisma, ctx.actor, { date });
  const lessons = res.lessons.filter((l) => keeperId(l) === personId);
  const keeper = lessons[0] ? (lessons[0].substituteName ?? lessons[0].teacherName) : "";
  const lines = lessons.length
    ? [
        ctx.t("class-admin:unfilled.teacherTitle", { name: keeper, day: longDay(ctx.lng, res.date) }),
        "",
        ...lessons.map((l) => lessonLine(ctx, l)),
      ]
    : [ctx.t("class-admin:unfilled.teacherDone", { day: longDay(ctx.lng, res.date) })];
  const kb = new InlineKeyboard();
  lessons.slice(0, MAX_OPEN_BUTTONS).forEach((l, i) => {
    const group = l.subgroupNo ? ` ${ctx.t("class-admin:home.subgroup", { no: l.subgroupNo })}` : "";
    kb.text(
      ctx.t("class-admin:unfilled.openLesson", { slot: l.slot, lesson: `${l.className} ${l.subjectShort}${group}` }),
      openUnfilledLesson.encode({ lessonId: l.lessonId, date: dateToInt(res.date), personId }),
    );
    if (i % 2 === 1) kb.row();
  });
  kb.row().text(ctx.t("class-admin:unfilled.back"), unfilledDay.encode({ date: dateToInt(res.date) }));
  return { chunks: chunkLines(lines), keyboard: kb };
}

async function showChunks(ctx: BotContext, { chunks, keyboard }: { chunks: string[]; keyboard: InlineKeyboard }) {
  if (chunks.length === 1) {
    await show(ctx, { text: chunks[0], keyboard: keyboard });
    return true;
  }
  // Too long for one message: the list in several, the buttons under the last.
  for (const [i, chunk] of chunks.entries()) {
    await ctx.reply(chunk, i === chunks.length - 1 ? { reply_markup: markup(keyboard) } : {});
  }
  return true;
}

async function showUnfilled(ctx: BotContext, date: IsoDate | null): Promise<boolean> {
  const linked = await requireLinked(ctx);
  if (!linked) return false;
  return showChunks(ctx, await renderUnfilled(linked, date));
}

const privateChat = unfilledLessonsFeature.chatType("private");
privateChat.command("lessons", async (ctx) => {
  await showUnfilled(ctx, null);
});
privateChat.hears(menuLabels("school"), async (ctx) => {
  await showUnfilled(ctx, null);
});

unfilledLessonsFeature.callbackQuery(unfilledDay.pattern, async (ctx) => {
  const data = unfilledDay.parse(ctx.callbackQuery.data);
  const date = data ? intToDate(data.date) : null;
  if (!data || (data.date !== 0 && !date)) return answerStale(ctx);
  await showUnfilled(ctx, date);
  await answer(ctx);
});

unfilledLessonsFeature.callbackQuery(unfilledTeacher.pattern, async (ctx) => {
  const linked = await requireLinked(ctx);
  if (!linked) return;
  const data = unfilledTeacher.parse(ctx.callbackQuery.data);
  const date = data ? intToDate(data.date) : null;
  if (!data || !date) return answerStale(ctx);
  await showChunks(ctx, await renderTeacherUnfilled(linked, date, data.personId));
});

unfilledLessonsFeature.callbackQuery(openUnfilledLesson.pattern, async (ctx) => {
  const linked = await requireLinked(ctx);
  if (!linked) return;
  const data = openUnfilledLesson.parse(ctx.callbackQuery.data);
  if (!data || !intToDate(data.date)) return answerStale(ctx);
  const back = {
    text: ctx.t("class-admin:unfilled.back"),
    callback_data: unfilledTeacher.encode({ date: data.date, personId: data.personId }),
  };
  await renderLessonCard(linked, data.lessonId, { back });
});
