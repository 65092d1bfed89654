// «📊 Отчёты» (issue 10, R-23, R-26..R-29): the administration picks a report, a span and a scope in a few taps;
// a class teacher gets the same for their class (from «👥 Мой класс»). The screen shows a short summary; «PDF» and
// «XLSX» ask the reports job for the file, which arrives in this chat. The printed journal is one more
// report. Every step calls the core, which decides access; a tampered button gets FORBIDDEN.
import { Composer, InlineKeyboard } from "grammy";
import { can } from "../../../core/access/permissions.ts";
import { myClasses } from "../../../core/journal/class-overview.ts";
import { buildReport, REPORT_KINDS, type ReportData, type ReportKind } from "../../../core/reports/build-report.ts";
import { journalPeriods, reportChoices } from "../../../core/reports/report-choices.ts";
import { REPORT_SPANS, type ReportScope, type ReportSpan, SCOPE_KINDS } from "../../../core/reports/report-scope.ts";
import { REPORT_FORMATS, type ReportFormat, requestReport } from "../../../core/reports/request-report.ts";
import { scopeLabel, spanLabel, type Translate } from "../../../jobs/reports/report-content.ts";
import type { BotContext, LinkedContext } from "../../context.ts";
import { menuLabels } from "../../keyboards/main-menu.ts";
import { answer, answerStale, requireLinked, show } from "../../ui/index.ts";
import { fitLines } from "../class-admin/ui.ts";
import {
  journalClass,
  journalClasses,
  journalFile,
  reportFile,
  reportKind,
  reportScopeList,
  reportSpan,
  reportSummary,
  reportsMenu,
} from "./callbacks.ts";

export const reportsFeature = new Composer<BotContext>();

const isKind = (w: string): w is ReportKind => (REPORT_KINDS as readonly string[]).includes(w);
const isSpan = (w: string): w is ReportSpan => (REPORT_SPANS as readonly string[]).includes(w);
const isScopeKind = (w: string): w is ReportScope["kind"] => (SCOPE_KINDS as readonly string[]).includes(w);
const isFormat = (w: string): w is ReportFormat => (REPORT_FORMATS as readonly string[]).includes(w);

function scopeOf(kind: ReportScope["kind"], id: number): ReportScope {
  switch (kind) {
    case "school":
      return { kind };
    case "parallel":
      return { kind, grade: id };
    case "class":
      return { kind, classId: id };
    case "subject":
      return { kind, subjectId: id };
    case "teacher":
      return { kind, teacherId: id };
  }
}

const pct = (ctx: BotContext, v: number | null) =>
  v === null
    ? ctx.t("reports:dash")
    : ctx.t("reports:percent", { value: String(v).replace(".", ctx.lng === "ru" ? "," : ".") });
const num = (ctx: BotContext, v: number | null) =>
  v === null ? ctx.t("reports:dash") : String(v).replace(".", ctx.lng === "ru" ? "," : ".");

/** The short summary of a report for the screen. */
export function summaryText(ctx: BotContext, data: ReportData, withFamilies: boolean): string {
  const t: Translate = (key, params) => ctx.t(key, params ?? {});
  const lines = [
    ctx.t("reports:summary.head", {
      title: ctx.t(`reports:kindTitle.${data.kind}`),
      scope: scopeLabel(t, data.header),
      span: spanLabel(t, data.header),
    }),
    "",
  ];
  if (data.kind === "filling") {
    const f = data.filling;
    const d = data.diary;
    lines.push(
      ctx.t("reports:summary.lessons", f.lessons),
      ctx.t("reports:summary.teachers", { ...f.teachers, pct: pct(ctx, f.teachers.withEntriesPct) }),
      ctx.t("reports:summary.marks", f.marks),
      ctx.t("reports:summary.gaps", { none: f.studentsWithoutMarks.length, one: f.studentsWithOneMark.length }),
      ctx.t("reports:summary.diary", {
        parents: d.parentsUsing,
        parentsTotal: d.parents,
        parentsPct: pct(ctx, d.parentsUsingPct),
        students: d.studentsUsing,
        studentsTotal: d.students,
        studentsPct: pct(ctx, d.studentsUsingPct),
      }),
    );
    if (withFamilies && d.families.length > 0) {
      lines.push("", ctx.t("reports:summary.familiesHead"));
      for (const fam of d.families) {
        const guardians = fam.guardians.length
          ? fam.guardians
              .map((g) =>
                ctx.t("reports:summary.familyGuardian", {
                  name: g.label,
                  views: ctx.t("reports:views", { count: g.views }),
                }),
              )
              .join(", ")
          : ctx.t("reports:summary.familyNone");
        lines.push(ctx.t("reports:summary.family", { student: fam.label, guardians }));
      }
    }
  } else if (data.kind === "performance") {
    const p = data.performance;
    lines.push(
      ctx.t(`reports:summary.source_${p.source}`),
      ctx.t("reports:summary.performance", {
        success: pct(ctx, p.total.successPct),
        quality: pct(ctx, p.total.qualityPct),
        sou: pct(ctx, p.total.souPct),
        average: num(ctx, p.total.averageMark),
      }),
      ctx.t("reports:summary.attested", {
        attested: p.total.attested,
        exempt: p.total.nExempt,
        missing: p.total.nMissing,
      }),
      ctx.t("reports:summary.systematic", { absence: p.systematicAbsence.length, failing: p.systematicFailing.length }),
    );
  } else {
    const a = data.accumulation;
    lines.push(
      ctx.t("reports:summary.accumulation", { pairs: a.pairs, below: a.below, pct: pct(ctx, a.belowPct) }),
      ctx.t("reports:summary.rule"),
    );
  }
  lines.push("", ctx.t("reports:summary.files"));
  return fitLines(lines, (n) => ctx.t("reports:summary.more", { count: n }));
}

async function showMenu(ctx: LinkedContext, cls: number) {
  const kb = new InlineKeyboard();
  for (const kind of REPORT_KINDS) kb.text(ctx.t(`reports:kindButton.${kind}`), reportKind.encode({ kind, cls })).row();
  kb.text(
    ctx.t("reports:kindButton.journal"),
    cls === 0 ? journalClasses.encode({}) : journalClass.encode({ classId: cls, cls }),
  );
  if (cls === 0) return show(ctx, { text: ctx.t("reports:menuTitle"), keyboard: kb });
  const periods = await journalPeriods(ctx.services.prisma, ctx.actor, { classId: cls });
  return show(ctx, { text: ctx.t("reports:classMenuTitle", { className: periods.className }), keyboard: kb });
}

/** «📊 Отчёты» and /reports: the administration's menu; a class teacher's class menu (or their classes). */
async function openReports(ctx: BotContext) {
  const linked = await requireLinked(ctx);
  if (!linked) return;
  if (can(linked.actor, "report.school")) return showMenu(linked, 0);
  const classes = await myClasses(linked.services.prisma, linked.actor);
  if (classes.length === 1) return showMenu(linked, classes[0].classId);
  if (classes.length === 0) return show(ctx, { text: ctx.t("errors:FORBIDDEN") });
  const kb = new InlineKeyboard();
  for (const c of classes) kb.text(c.name, reportsMenu.encode({ cls: c.classId })).row();
  return show(ctx, { text: ctx.t("reports:pickClass"), keyboard: kb });
}

const privateChat = reportsFeature.chatType("private");
privateChat.command("reports", openReports);
privateChat.hears(menuLabels("reports"), openReports);

reportsFeature.callbackQuery(reportsMenu.pattern, async (ctx) => {
  const data = reportsMenu.parse(ctx.callbackQuery.data);
  const linked = await requireLinked(ctx);
  if (!linked) return;
  if (!data) return answerStale(ctx);
  if (data.cls === 0) {
    if (!can(linked.actor, "report.school")) return answerStale(ctx);
    await showMenu(linked, 0);
  } else {
    await showMenu(linked, data.cls);
  }
  await answer(ctx);
});

reportsFeature.callbackQuery(reportKind.pattern, async (ctx) => {
  const data = reportKind.parse(ctx.callbackQuery.data);
  const linked = await requireLinked(ctx);
  if (!linked) return;
  if (!data || !isKind(data.kind)) return answerStale(ctx);
  const kb = new InlineKeyboard();
  for (const span of REPORT_SPANS) {
    kb.text(
      ctx.t(`reports:spanButton.${span}`),
      data.cls === 0
        ? reportSpan.encode({ kind: data.kind, span })
        : reportSummary.encode({ kind: data.kind, span, scope: "class", id: data.cls, cls: data.cls }),
    );
    if (span === "month") kb.row();
  }
  kb.row().text(ctx.t("reports:back"), reportsMenu.encode({ cls: data.cls }));
  await show(ctx, { text: ctx.t("reports:pickSpan", { kind: ctx.t(`reports:kindTitle.${data.kind}`) }), keyboard: kb });
  await answer(ctx);
});

reportsFeature.callbackQuery(reportSpan.pattern, async (ctx) => {
  const data = reportSpan.parse(ctx.callbackQuery.data);
  const linked = await requireLinked(ctx);
  if (!linked) return;
  if (!data || !isKind(data.kind) || !isSpan(data.span)) return answerStale(ctx);
  await reportChoices(linked.services.prisma, linked.actor); // access: the administration
  const { kind, span } = data;
  const kb = new InlineKeyboard()
    .text(ctx.t("reports:scopeButton.school"), reportSummary.encode({ kind, span, scope: "school", id: 0, cls: 0 }))
    .row();
  for (const scope of ["parallel", "class", "subject", "teacher"] as const) {
    kb.text(ctx.t(`reports:scopeButton.${scope}`), reportScopeList.encode({ kind, span, scope }));
    if (scope === "class") kb.row();
  }
  kb.row().text(ctx.t("reports:back"), reportKind.encode({ kind, cls: 0 }));
  await show(ctx, {
    text: ctx.t("reports:pickScope", {
      kind: ctx.t(`reports:kindTitle.${kind}`),
      span: ctx.t(`reports:spanButton.${span}`).toLowerCase(),
    }),
    keyboard: kb,
  });
  await answer(ctx);
});

/** Buttons in rows of `perRow`, at most 96 (Telegram allows 100 a keyboard). */
function grid(kb: InlineKeyboard, items: { text: string; data: string }[], perRow: number) {
  items.slice(0, 96).forEach((item, i) => {
    kb.text(item.text, item.data);
    if ((i + 1) % perRow === 0) kb.row();
  });
  return kb.row();
}

reportsFeature.callbackQuery(reportScopeList.pattern, async (ctx) => {
  const data = reportScopeList.parse(ctx.callbackQuery.data);
  const linked = await requireLinked(ctx);
  if (!linked) return;
  if (!data || !isKind(data.kind) || !isSpan(data.span) || !isScopeKind(data.scope) || data.scope === "school") {
    return answerStale(ctx);
  }
  const choices = await reportChoices(linked.services.prisma, linked.actor);
  const { kind, span, scope } = data;
  const to = (id: number) => reportSummary.encode({ kind, span, scope, id, cls: 0 });
  const kb = new InlineKeyboard();
  if (scope === "parallel")
    grid(
      kb,
      choices.grades.map((g) => ({ text: ctx.t("reports:gradeButton", { grade: g }), data: to(g) })),
      3,
    );
  if (scope === "class")
    grid(
      kb,
      choices.classes.map((c) => ({ text: c.name, data: to(c.id) })),
      4,
    );
  if (scope === "subject")
    grid(
      kb,
      choices.subjects.map((s) => ({ text: s.name, data: to(s.id) })),
      2,
    );
  if (scope === "teacher")
    grid(
      kb,
      choices.teachers.map((s) => ({ text: s.label, data: to(s.id) })),
      2,
    );
  kb.text(ctx.t("reports:back"), reportSpan.encode({ kind, span }));
  const title = { parallel: "pickGrade", class: "pickClass", subject: "pickSubject", teacher: "pickTeacher" }[scope];
  await show(ctx, { text: ctx.t(`reports:${title}`), keyboard: kb });
  await answer(ctx);
});

reportsFeature.callbackQuery(reportSummary.pattern, async (ctx) => {
  const data = reportSummary.parse(ctx.callbackQuery.data);
  const linked = await requireLinked(ctx);
  if (!linked) return;
  if (!data || !isKind(data.kind) || !isSpan(data.span) || !isScopeKind(data.scope)) return answerStale(ctx);
  const { kind, span, scope, id, cls } = data;
  const report = await buildReport(linked.services.prisma, linked.actor, {
    kind,
    span: { span },
    scope: scopeOf(scope, id),
  });
  const file = (fmt: ReportFormat) => reportFile.encode({ kind, span, scope, id, fmt });
  const kb = new InlineKeyboard()
    .text(ctx.t("reports:pdfButton"), file("pdf"))
    .text(ctx.t("reports:xlsxButton"), file("xlsx"))
    .row()
    .text(ctx.t("reports:back"), cls === 0 ? reportSpan.encode({ kind, span }) : reportKind.encode({ kind, cls }));
  await show(ctx, { text: summaryText(ctx, report, scope === "class"), keyboard: kb });
  await answer(ctx);
});

reportsFeature.callbackQuery(reportFile.pattern, async (ctx) => {
  const data = reportFile.parse(ctx.callbackQuery.data);
  const linked = await requireLinked(ctx);
  if (!linked) return;
  if (!data || !isKind(data.kind) || !isSpan(data.span) || !isScopeKind(data.scope) || !isFormat(data.fmt)) {
    return answerStale(ctx);
  }
  await requestReport(linked.services.prisma, linked.actor, {
    kind: data.kind,
    span: { span: data.span },
    scope: scopeOf(data.scope, data.id),
    format: data.fmt,
  });
  await answer(ctx);
  await ctx.reply(ctx.t("reports:preparing", { format: data.fmt.toUpperCase() }));
});

reportsFeature.callbackQuery(journalClasses.pattern, async (ctx) => {
  const linked = await requireLinked(ctx);
  if (!linked) return;
  const choices = await reportChoices(linked.services.prisma, linked.actor);
  const kb = grid(
    new InlineKeyboard(),
    choices.classes.map((c) => ({ text: c.name, data: journalClass.encode({ classId: c.id, cls: 0 }) })),
    4,
  ).text(ctx.t("reports:back"), reportsMenu.encode({ cls: 0 }));
  await show(ctx, { text: ctx.t("reports:pickJournalClass"), keyboard: kb });
  await answer(ctx);
});

reportsFeature.callbackQuery(journalClass.pattern, async (ctx) => {
  const data = journalClass.parse(ctx.callbackQuery.data);
  const linked = await requireLinked(ctx);
  if (!linked) return;
  if (!data) return answerStale(ctx);
  const { className, periods } = await journalPeriods(linked.services.prisma, linked.actor, { classId: data.classId });
  const kb = new InlineKeyboard();
  for (const p of periods) {
    kb.text(
      ctx.t(`reports:periodName.${p.kind}`, { n: p.number }),
      journalFile.encode({ classId: data.classId, periodId: p.id }),
    ).row();
  }
  kb.text(ctx.t("reports:back"), data.cls === 0 ? journalClasses.encode({}) : reportsMenu.encode({ cls: data.cls }));
  await show(ctx, { text: ctx.t("reports:pickPeriod", { className }), keyboard: kb });
  await answer(ctx);
});

reportsFeature.callbackQuery(journalFile.pattern, async (ctx) => {
  const data = journalFile.parse(ctx.callbackQuery.data);
  const linked = await requireLinked(ctx);
  if (!linked) return;
  if (!data) return answerStale(ctx);
  await requestReport(linked.services.prisma, linked.actor, {
    kind: "journal",
    classId: data.classId,
    periodId: data.periodId,
    format: "pdf",
  });
  await answer(ctx);
  await ctx.reply(ctx.t("reports:preparing", { format: "PDF" }));
});
