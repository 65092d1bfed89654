// "👤 Students": staff who may read any student (a psychologist, a social pedagogue, the administration)
// pick a class, then a student, and open the diary views a family sees: the day, marks, homework, timetable.
// The core checks every press and records each look in the audit trail.
import { Composer } from "grammy";
import type { InlineKeyboardButton } from "grammy/types";
import { can } from "../../../core/access/index.ts";
import { directoryClass, directoryClasses, studentHeading } from "../../../core/family/index.ts";
import type { BotContext, LinkedContext } from "../../context.ts";
import { menuLabels } from "../../keyboards/main-menu.ts";
import { answer, answerStale, button, classPicker, requireLinked, rows, type Screen, show } from "../../ui/index.ts";
import { dayCallback, homeworkCallback, marksCallback, timetableCallback } from "../family/callbacks.ts";
import { schoolToday } from "../family/diary.ts";
import { syStudent } from "../school-year/callbacks.ts";
import { dotted } from "../school-year/format.ts";
import { sdClass, sdClasses, sdStudent } from "./callbacks.ts";

export const studentDirectoryFeature = new Composer<BotContext>();

async function classesScreen(ctx: LinkedContext): Promise<Screen> {
  const { classes } = await directoryClasses(ctx.services.prisma, ctx.actor);
  if (classes.length === 0) return { text: ctx.t("students:noClasses") };
  return {
    text: ctx.t("students:title"),
    keyboard: classPicker(ctx, classes, (classId) => sdClass.encode({ classId })),
  };
}

async function classScreen(ctx: LinkedContext, classId: number): Promise<Screen> {
  const cls = await directoryClass(ctx.services.prisma, ctx.actor, { classId });
  const buttons = cls.students.map((s) => button(s.name, sdStudent.encode({ studentId: s.studentId })));
  return {
    text: ctx.t(cls.students.length ? "students:classTitle" : "students:classEmpty", {
      name: cls.name,
      count: cls.students.length,
    }),
    keyboard: [...rows(buttons, 2), [button(ctx.t("students:backToClasses"), sdClasses.encode({}))]],
  };
}

async function studentScreen(ctx: LinkedContext, studentId: number): Promise<Screen> {
  const s = await studentHeading(ctx.services.prisma, ctx.actor, { studentId }, { record: true });
  const today = await schoolToday(ctx);
  const lines = [ctx.t("students:card", { name: s.name })];
  if (s.leftAt) lines.push(ctx.t("students:left", { date: dotted(s.leftAt) }));
  else if (s.className) lines.push(ctx.t("students:inClass", { name: s.className }));
  lines.push("", ctx.t("students:pickView"));
  const keyboard: InlineKeyboardButton[][] = [
    [
      button(ctx.t("bot:menu.today"), dayCallback.encode({ studentId, date: today })),
      button(ctx.t("bot:menu.marks"), marksCallback.encode({ studentId })),
    ],
    [
      button(ctx.t("bot:menu.homework"), homeworkCallback.encode({ studentId })),
      button(ctx.t("bot:menu.timetable"), timetableCallback.encode({ studentId, weekOf: today })),
    ],
  ];
  if (can(ctx.actor, "student.move"))
    keyboard.push([button(ctx.t("students:movement"), syStudent.encode({ studentId }))]);
  keyboard.push([
    s.classId && s.className
      ? button(ctx.t("students:backToClass", { name: s.className }), sdClass.encode({ classId: s.classId }))
      : button(ctx.t("students:backToClasses"), sdClasses.encode({})),
  ]);
  return { text: lines.join("\n"), keyboard };
}

studentDirectoryFeature.chatType("private").hears(menuLabels("students"), async (ctx) => {
  const linked = await requireLinked(ctx);
  if (!linked) return;
  await show(ctx, await classesScreen(linked));
});

studentDirectoryFeature.callbackQuery(sdClasses.pattern, async (ctx) => {
  const linked = await requireLinked(ctx);
  if (!linked) return;
  await show(ctx, await classesScreen(linked));
  await answer(ctx);
});

studentDirectoryFeature.callbackQuery(sdClass.pattern, async (ctx) => {
  const linked = await requireLinked(ctx);
  if (!linked) return;
  const data = sdClass.parse(ctx.callbackQuery.data);
  if (!data) return answerStale(ctx);
  await show(ctx, await classScreen(linked, data.classId));
  await answer(ctx);
});

studentDirectoryFeature.callbackQuery(sdStudent.pattern, async (ctx) => {
  const linked = await requireLinked(ctx);
  if (!linked) return;
  const data = sdStudent.parse(ctx.callbackQuery.data);
  if (!data) return answerStale(ctx);
  await show(ctx, await studentScreen(linked, data.studentId));
  await answer(ctx);
});
