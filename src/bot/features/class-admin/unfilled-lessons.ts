// /lessons and «🏫 Школа сегодня»: the school's lessons of a day that have started and still lack
// attendance or a topic, grouped by the teacher who keeps them (the substitute where one is granted); each
// opens its lesson card («📘»).
import { Composer, InlineKeyboard } from "grammy";
import { addDays, type IsoDate } from "../../../core/dates.ts";
import { type UnfilledLesson, unfilledLessons } from "../../../core/journal/lessons.ts";
import type { BotContext, LinkedContext } from "../../context.ts";
import { menuLabels } from "../../keyboards/main-menu.ts";
import { answer, answerStale, markup, requireLinked, show } from "../../ui/index.ts";
import { openLesson, subDay, unfilledDay } from "./callbacks.ts";
import { chunkLines, dateToInt, intToDate, longDay, schoolToday, shortName } from "./ui.ts";

export const unfilledLessonsFeature = new Composer<BotContext>();

/** More unfilled lessons than this → no per-lesson buttons (the list stays text; /substitute reaches each). */
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

export async function renderUnfilled(ctx: LinkedContext, date: IsoDate | null) {
  const today = await schoolToday(ctx);
  const res = await unfilledLessons(ctx.services.prisma, ctx.actor, date ? { date } : {});
  const lines = [ctx.t("class-admin:unfilled.title", { day: longDay(ctx.lng, res.date), count: res.lessons.length })];
  if (res.lessons.length === 0) {
    lines.push("", ctx.t(res.date === today ? "class-admin:unfilled.noneToday" : "class-admin:unfilled.none"));
  }
  for (const [keeper, lessons] of groupByKeeper(res.lessons)) {
    lines.push("", ctx.t("class-admin:unfilled.teacher", { name: keeper, count: lessons.length }));
    for (const l of lessons) {
      const group = l.subgroupNo ? ` ${ctx.t("class-admin:home.subgroup", { no: l.subgroupNo })}` : "";
      const sub = l.substituteName ? ` ${ctx.t("class-admin:unfilled.insteadOf", { name: l.teacherName })}` : "";
      lines.push(
        `  ${ctx.t("class-admin:substitute.slot", { slot: l.slot })} · ${l.className} ${l.subjectShort}${group}${sub} — ${missingText(ctx, l)}`,
      );
    }
  }
  const kb = new InlineKeyboard();
  // Each lesson opens its card (read-only, marks correction for the administration); a long list keeps its text.
  const openable = res.lessons.length <= MAX_OPEN_BUTTONS ? groupByKeeper(res.lessons).flatMap(([, ls]) => ls) : [];
  openable.forEach((l, i) => {
    const group = l.subgroupNo ? ` ${ctx.t("class-admin:home.subgroup", { no: l.subgroupNo })}` : "";
    const lesson = `${l.className} ${l.subjectShort}${group} · ${shortName(l.substituteName ?? l.teacherName)}`;
    kb.text(
      ctx.t("class-admin:unfilled.openLesson", { slot: l.slot, lesson }),
      openLesson.encode({ lessonId: l.lessonId }),
    );
    if (i % 2 === 1) kb.row();
  });
  kb.row()
    .text("‹", unfilledDay.encode({ date: dateToInt(addDays(res.date, -1)) }))
    .text(ctx.t("class-admin:substitute.today"), unfilledDay.encode({ date: 0 }));
  if (res.date < today) kb.text("›", unfilledDay.encode({ date: dateToInt(addDays(res.date, 1)) }));
  kb.row().text(ctx.t("class-admin:unfilled.substitutions"), subDay.encode({ date: 0, slot: 0 }));
  return { chunks: chunkLines(lines), keyboard: kb };
}

async function showUnfilled(ctx: BotContext, date: IsoDate | null): Promise<boolean> {
  const linked = await requireLinked(ctx);
  if (!linked) return false;
  const { chunks, keyboard } = await renderUnfilled(linked, date);
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
