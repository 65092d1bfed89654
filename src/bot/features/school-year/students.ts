// /students: the administration finds a student in a few taps — a class, a student — and picks a movement
// (transfer, change of group, leaving) or admits a new student to the class; the card lists past movements and
// gives the marks extract as a PDF for the family (000 §7.7).
import { Composer, InlineKeyboard, InputFile } from "grammy";
import { marksExtract } from "../../../core/school-year/marks-extract.ts";
import { classStudentsToday, movementClasses, studentCard } from "../../../core/school-year/students-read.ts";
import { renderMarksExtract } from "../../../jobs/reports/marks-extract.ts";
import type { BotContext, LinkedContext } from "../../context.ts";
import { answer, answerStale, classPicker, requireLinked, show } from "../../ui/index.ts";
import { syClass, syClasses, syExtract, syMove, syStudent } from "./callbacks.ts";
import { dotted, movementLine } from "./format.ts";

export const studentsFeature = new Composer<BotContext>();

async function renderClasses(ctx: LinkedContext) {
  const res = await movementClasses(ctx.services.prisma, ctx.actor);
  if (res.classes.length === 0) return { text: ctx.t("school-year:students.noClasses"), keyboard: undefined };
  return {
    text: ctx.t("school-year:students.title"),
    keyboard: classPicker(ctx, res.classes, (classId) => syClass.encode({ classId })),
  };
}

async function renderClass(ctx: LinkedContext, classId: number) {
  const res = await classStudentsToday(ctx.services.prisma, ctx.actor, { classId });
  const kb = new InlineKeyboard();
  res.students.forEach((s, i) => {
    kb.text(s.name, syStudent.encode({ studentId: s.studentId }));
    if (i % 2 === 1) kb.row();
  });
  kb.row().text(
    ctx.t("school-year:students.admit", { name: res.name }),
    syMove.encode({ action: "admit", id: classId }),
  );
  kb.row().text(ctx.t("school-year:students.backToClasses"), syClasses.encode({}));
  return {
    text: ctx.t("school-year:students.classTitle", { name: res.name, count: res.students.length }),
    keyboard: kb,
  };
}

export async function renderStudentCard(ctx: LinkedContext, studentId: number) {
  const card = await studentCard(ctx.services.prisma, ctx.actor, { studentId });
  const lines = [ctx.t("school-year:students.card", { name: card.name })];
  if (card.leftAt) lines.push(ctx.t("school-year:students.cardLeft", { date: dotted(card.leftAt) }));
  else if (card.className) lines.push(ctx.t("school-year:students.cardClass", { name: card.className }));
  else lines.push(ctx.t("school-year:students.cardNoClass"));
  for (const g of card.subgroups) {
    lines.push(ctx.t("school-year:students.cardSubgroup", { subject: g.subjectName, number: g.number }));
  }
  if (card.movements.length) {
    lines.push("", ctx.t("school-year:students.cardMovements"));
    for (const m of card.movements) lines.push(`• ${movementLine(ctx, m)}`);
  }
  const kb = new InlineKeyboard();
  if (!card.leftAt && card.classId) {
    if (card.classes.length)
      kb.text(ctx.t("school-year:students.transfer"), syMove.encode({ action: "transfer", id: studentId })).row();
    if (card.otherSubgroups.length)
      kb.text(ctx.t("school-year:students.subgroup"), syMove.encode({ action: "subgroup", id: studentId })).row();
    kb.text(ctx.t("school-year:students.leave"), syMove.encode({ action: "leave", id: studentId })).row();
  }
  kb.text(ctx.t("school-year:students.extract"), syExtract.encode({ studentId })).row();
  if (card.classId && card.className) {
    kb.text(
      ctx.t("school-year:students.backToClass", { name: card.className }),
      syClass.encode({ classId: card.classId }),
    );
  } else kb.text(ctx.t("school-year:students.backToClasses"), syClasses.encode({}));
  return { text: lines.join("\n"), keyboard: kb };
}

/** Renders the extract with the reader's labels and sends it as a document. */
export async function sendMarksExtract(ctx: LinkedContext, studentId: number) {
  const x = await marksExtract(ctx.services.prisma, ctx.actor, { studentId });
  const t = ctx.t;
  const span = (c: { name: string; from: string; to: string | null }) =>
    c.to
      ? t("school-year:extract.classSpanTo", { name: c.name, from: dotted(c.from), to: dotted(c.to) })
      : t("school-year:extract.classSpan", { name: c.name, from: dotted(c.from) });
  const header = [
    t("school-year:extract.school", { name: x.school }),
    t("school-year:extract.student", { name: x.studentName }),
  ];
  if (x.yearName) header.push(t("school-year:extract.year", { name: x.yearName }));
  if (x.classes.length) header.push(t("school-year:extract.classes", { list: x.classes.map(span).join("; ") }));
  if (x.leaving) {
    header.push(
      t("school-year:extract.leaving", {
        date: dotted(x.leaving.date),
        orderNo: x.leaving.orderNo,
        orderDate: dotted(x.leaving.orderDate),
      }),
    );
  }
  const pdf = await renderMarksExtract({
    title: t("school-year:extract.title"),
    header,
    columns: {
      subject: t("school-year:extract.subject"),
      marks: t("school-year:extract.marks"),
      average: t("school-year:extract.average"),
      terms: x.periods.map((p) => t(`school-year:extract.period.${p.kind}`, { number: p.number })),
    },
    rows: x.subjects.map((s) => ({
      subject: s.subject,
      marks: s.marks.map((m) => `${m.date.slice(8, 10)}.${m.date.slice(5, 7)}: ${m.value}`).join(", "),
      average: s.average === null ? "—" : s.average.toFixed(2),
      terms: x.periods.map((p) => s.termGrades[p.periodId] ?? ""),
    })),
    empty: t("school-year:extract.empty"),
    footer: t("school-year:extract.footer", { date: dotted(x.madeOn) }),
  });
  await ctx.replyWithDocument(new InputFile(pdf, t("school-year:extract.fileName", { id: studentId })), {
    caption: t("school-year:extract.caption", { name: x.studentName }),
  });
}

const privateChat = studentsFeature.chatType("private");

privateChat.command("students", async (ctx) => {
  const linked = await requireLinked(ctx);
  if (!linked) return;
  const screen = await renderClasses(linked);
  await show(ctx, { text: screen.text, keyboard: screen.keyboard });
});

studentsFeature.callbackQuery(syClasses.pattern, async (ctx) => {
  const linked = await requireLinked(ctx);
  if (!linked) return;
  const screen = await renderClasses(linked);
  await show(ctx, { text: screen.text, keyboard: screen.keyboard });
  await answer(ctx);
});

studentsFeature.callbackQuery(syClass.pattern, async (ctx) => {
  const linked = await requireLinked(ctx);
  if (!linked) return;
  const data = syClass.parse(ctx.callbackQuery.data);
  if (!data) return answerStale(ctx);
  const screen = await renderClass(linked, data.classId);
  await show(ctx, { text: screen.text, keyboard: screen.keyboard });
  await answer(ctx);
});

studentsFeature.callbackQuery(syStudent.pattern, async (ctx) => {
  const linked = await requireLinked(ctx);
  if (!linked) return;
  const data = syStudent.parse(ctx.callbackQuery.data);
  if (!data) return answerStale(ctx);
  const screen = await renderStudentCard(linked, data.studentId);
  await show(ctx, { text: screen.text, keyboard: screen.keyboard });
  await answer(ctx);
});

studentsFeature.callbackQuery(syExtract.pattern, async (ctx) => {
  const linked = await requireLinked(ctx);
  if (!linked) return;
  const data = syExtract.parse(ctx.callbackQuery.data);
  if (!data) return answerStale(ctx);
  await sendMarksExtract(linked, data.studentId);
  await answer(ctx);
});
