// /substitute: the deputy picks a day, a lesson of the school (grouped by bell), and a teacher to take
// it — free teachers first; the lesson's current substitute can be revoked. The core decides who may do it.
import { Composer, InlineKeyboard } from "grammy";
import { addDays, type IsoDate } from "../../../core/dates.ts";
import {
  grantSubstitution,
  revokeSubstitution,
  type SchoolLesson,
  schoolLessonsOn,
  substituteCandidates,
} from "../../../core/journal/substitutions.ts";
import type { BotContext, LinkedContext } from "../../context.ts";
import { answer, answerStale, requireLinked, show } from "../../ui/index.ts";
import { noop, openLesson, subDay, subGrant, subLesson, subRevoke } from "./callbacks.ts";
import { dateToInt, fitLines, intToDate, longDay, schoolToday, shortName } from "./ui.ts";

export const substituteFeature = new Composer<BotContext>();

/** More lessons than this in a day → pick the bell first. */
const MAX_LESSON_BUTTONS = 30;
const CANDIDATES_PER_PAGE = 20;

function lessonTitle(ctx: BotContext, l: SchoolLesson): string {
  const group = l.subgroupNo ? ` ${ctx.t("class-admin:home.subgroup", { no: l.subgroupNo })}` : "";
  return `${l.className} ${l.subjectShort}${group}`;
}

function slotTitle(ctx: BotContext, l: SchoolLesson): string {
  return l.startsAt && l.endsAt
    ? ctx.t("class-admin:substitute.slotTime", { slot: l.slot, from: l.startsAt, to: l.endsAt })
    : ctx.t("class-admin:substitute.slot", { slot: l.slot });
}

function lessonLine(ctx: BotContext, l: SchoolLesson): string {
  let line = `  ${lessonTitle(ctx, l)} — ${l.teacherName}`;
  if (l.substituteName) line += ` → ${ctx.t("class-admin:substitute.substitutedBy", { name: l.substituteName })}`;
  if (l.status === "CANCELLED") line += ` (${ctx.t("class-admin:substitute.cancelled")})`;
  return line;
}

function dayNav(ctx: BotContext, kb: InlineKeyboard, date: IsoDate, today: IsoDate) {
  kb.text("‹", subDay.encode({ date: dateToInt(addDays(date, -1)), slot: 0 }))
    .text(ctx.t("class-admin:substitute.today"), subDay.encode({ date: dateToInt(today), slot: 0 }))
    .text(ctx.t("class-admin:substitute.tomorrow"), subDay.encode({ date: dateToInt(addDays(today, 1)), slot: 0 }))
    .text("›", subDay.encode({ date: dateToInt(addDays(date, 1)), slot: 0 }))
    .row();
}

export async function renderSubstituteDay(ctx: LinkedContext, date: IsoDate | null, slot: number) {
  const today = await schoolToday(ctx);
  const day = date ?? today;
  const { lessons } = await schoolLessonsOn(ctx.services.prisma, ctx.actor, { date: day });
  const slots = [...new Set(lessons.map((l) => l.slot))].sort((a, b) => a - b);
  const pickSlot = slot === 0 && lessons.length > MAX_LESSON_BUTTONS;
  const shown = slot === 0 ? lessons : lessons.filter((l) => l.slot === slot);
  const d = dateToInt(day);
  const kb = new InlineKeyboard();
  const lines = [ctx.t("class-admin:substitute.title", { day: longDay(ctx.lng, day) })];
  if (lessons.length === 0) {
    lines.push("", ctx.t("class-admin:substitute.noLessons"));
  } else if (pickSlot) {
    lines.push(ctx.t("class-admin:substitute.pickSlot"), "");
    for (const s of slots) {
      const of = lessons.filter((l) => l.slot === s);
      const subs = of.filter((l) => l.substitutionId !== null).length;
      lines.push(
        `${slotTitle(ctx, of[0])}: ${ctx.t("class-admin:substitute.slotSummary", { count: of.length, subs })}`,
      );
      kb.text(slotTitle(ctx, of[0]), subDay.encode({ date: d, slot: s })).row();
    }
  } else {
    lines.push(ctx.t("class-admin:substitute.pickLesson"));
    for (const s of slot === 0 ? slots : [slot]) {
      const of = shown.filter((l) => l.slot === s);
      if (of.length === 0) continue;
      lines.push("", slotTitle(ctx, of[0]), ...of.map((l) => lessonLine(ctx, l)));
      for (const l of of) {
        const mark = l.substitutionId ? " 🔁" : "";
        kb.text(
          `${l.slot} · ${lessonTitle(ctx, l)} · ${shortName(l.teacherName)}${mark}`,
          subLesson.encode({ date: d, lessonId: l.lessonId, page: 0 }),
        ).row();
      }
    }
    if (slot !== 0) kb.text(ctx.t("class-admin:substitute.allSlots"), subDay.encode({ date: d, slot: 0 })).row();
  }
  dayNav(ctx, kb, day, today);
  return { text: fitLines(lines, (count) => ctx.t("class-admin:more", { count })), keyboard: kb };
}

export async function renderSubstituteLesson(ctx: LinkedContext, date: IsoDate, lessonId: number, page: number) {
  const db = ctx.services.prisma;
  const [{ lessons }, { candidates }] = await Promise.all([
    schoolLessonsOn(db, ctx.actor, { date }),
    substituteCandidates(db, ctx.actor, { lessonId }),
  ]);
  const lesson = lessons.find((l) => l.lessonId === lessonId);
  if (!lesson) return null;
  const d = dateToInt(date);
  const pages = Math.max(1, Math.ceil(candidates.length / CANDIDATES_PER_PAGE));
  const p = Math.min(Math.max(page, 0), pages - 1);
  const lines = [
    ctx.t("class-admin:substitute.lessonTitle", {
      lesson: `${lesson.className} · ${lesson.subjectName}`,
      slot: slotTitle(ctx, lesson),
      day: longDay(ctx.lng, date),
    }),
    ctx.t("class-admin:substitute.teacher", { name: lesson.teacherName }),
    lesson.substituteName
      ? ctx.t("class-admin:substitute.current", { name: lesson.substituteName })
      : ctx.t("class-admin:substitute.noneYet"),
  ];
  if (lesson.status === "CANCELLED") lines.push(ctx.t("class-admin:substitute.lessonCancelled"));
  lines.push(
    "",
    ctx.t(candidates.length ? "class-admin:substitute.pickTeacher" : "class-admin:substitute.noCandidates"),
  );
  const kb = new InlineKeyboard();
  kb.text(ctx.t("class-admin:substitute.openLesson"), openLesson.encode({ lessonId })).row();
  if (lesson.substitutionId) {
    kb.text(
      ctx.t("class-admin:substitute.revokeButton"),
      subRevoke.encode({ date: d, lessonId, substitutionId: lesson.substitutionId }),
    ).row();
  }
  candidates.slice(p * CANDIDATES_PER_PAGE, (p + 1) * CANDIDATES_PER_PAGE).forEach((c, i) => {
    let label = shortName(c.name);
    if (c.personId === lesson.substituteId) label = `✓ ${label}`;
    else if (c.busy) label = ctx.t("class-admin:substitute.busy", { name: label });
    kb.text(label, subGrant.encode({ date: d, lessonId, personId: c.personId }));
    if (i % 2 === 1) kb.row();
  });
  kb.row();
  if (pages > 1) {
    if (p > 0) kb.text("‹", subLesson.encode({ date: d, lessonId, page: p - 1 }));
    kb.text(`${p + 1}/${pages}`, noop.encode({}));
    if (p < pages - 1) kb.text("›", subLesson.encode({ date: d, lessonId, page: p + 1 }));
    kb.row();
  }
  kb.text(ctx.t("class-admin:substitute.backToDay"), subDay.encode({ date: d, slot: 0 }));
  return { text: lines.join("\n"), keyboard: kb, lesson };
}

async function openSubstitute(ctx: BotContext) {
  const linked = await requireLinked(ctx);
  if (!linked) return;
  const screen = await renderSubstituteDay(linked, null, 0);
  await show(ctx, screen);
}

substituteFeature.chatType("private").command("substitute", openSubstitute);

substituteFeature.callbackQuery(subDay.pattern, async (ctx) => {
  const linked = await requireLinked(ctx);
  if (!linked) return;
  const data = subDay.parse(ctx.callbackQuery.data);
  const date = data ? intToDate(data.date) : null;
  if (!data || (data.date !== 0 && !date)) return answerStale(ctx);
  const screen = await renderSubstituteDay(linked, date, data.slot);
  await show(ctx, screen);
  await answer(ctx);
});

async function showLesson(ctx: LinkedContext, date: IsoDate, lessonId: number, page: number, toast?: string) {
  const screen = await renderSubstituteLesson(ctx, date, lessonId, page);
  if (!screen) return answerStale(ctx);
  await answer(ctx, toast);
  await show(ctx, screen);
}

substituteFeature.callbackQuery(subLesson.pattern, async (ctx) => {
  const linked = await requireLinked(ctx);
  if (!linked) return;
  const data = subLesson.parse(ctx.callbackQuery.data);
  const date = data ? intToDate(data.date) : null;
  if (!data || !date) return answerStale(ctx);
  await showLesson(linked, date, data.lessonId, data.page);
});

substituteFeature.callbackQuery(subGrant.pattern, async (ctx) => {
  const linked = await requireLinked(ctx);
  if (!linked) return;
  const data = subGrant.parse(ctx.callbackQuery.data);
  const date = data ? intToDate(data.date) : null;
  if (!data || !date) return answerStale(ctx);
  const res = await grantSubstitution(linked.services.prisma, linked.actor, {
    lessonId: data.lessonId,
    substituteId: data.personId,
  });
  const screen = await renderSubstituteLesson(linked, date, data.lessonId, 0);
  if (!screen) return answerStale(ctx);
  await answer(
    ctx,
    res.changed
      ? ctx.t("class-admin:substitute.granted", { name: screen.lesson.substituteName ?? "" })
      : ctx.t("class-admin:substitute.alreadyGranted"),
  );
  await show(ctx, screen);
});

substituteFeature.callbackQuery(subRevoke.pattern, async (ctx) => {
  const linked = await requireLinked(ctx);
  if (!linked) return;
  const data = subRevoke.parse(ctx.callbackQuery.data);
  const date = data ? intToDate(data.date) : null;
  if (!data || !date) return answerStale(ctx);
  const res = await revokeSubstitution(linked.services.prisma, linked.actor, { substitutionId: data.substitutionId });
  await showLesson(
    linked,
    date,
    data.lessonId,
    0,
    ctx.t(res.changed ? "class-admin:substitute.revoked" : "class-admin:substitute.alreadyRevoked"),
  );
});
