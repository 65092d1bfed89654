// ReportData (src/core/reports/build-report.ts) → a neutral ReportDocument with translated labels, and the
// file name of the report. Pure: the translator is passed in.
import { fileNamePart } from "../../core/file-name.ts";
import type { ReportData, ReportHeader } from "../../core/reports/build-report.ts";
import type { PerformanceRow } from "../../core/reports/performance-report.ts";
import type { DocTable, ReportDocument } from "./report-document.ts";

export type Translate = (key: string, params?: Record<string, unknown>) => string;

const ru = (iso: string) => `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}`;

export function spanLabel(t: Translate, h: ReportHeader): string {
  const range = t("reports:file.range", { from: ru(h.from), to: ru(h.to) });
  if (h.span.span === "period" && h.span.periodKind) {
    return `${t(`reports:periodName.${h.span.periodKind}`, { n: h.span.periodNumber })}, ${range}`;
  }
  if (h.span.span === "year") return `${t("reports:file.year", { year: h.span.yearName })}, ${range}`;
  return range;
}

export function scopeLabel(t: Translate, h: ReportHeader): string {
  return t(`reports:scopeTitle.${h.scope.kind}`, { label: h.scopeLabel });
}

function header(t: Translate, data: ReportData) {
  return {
    title: `${t(`reports:kindTitle.${data.kind}`)} — ${scopeLabel(t, data.header)}`,
    subtitle: `${data.header.schoolName}. ${spanLabel(t, data.header)}`,
    pageLabel: t("reports:file.page"),
    summarySheet: t("reports:file.summarySheet"),
  };
}

const c = (header: string, width: number, numeric = false) => ({ header, width, numeric });

function performanceTable(t: Translate, title: string, sheet: string, first: string, rows: PerformanceRow[]): DocTable {
  return {
    title,
    sheet,
    columns: [
      c(first, 22),
      c("N", 5, true),
      c("«5»", 5, true),
      c("«4»", 5, true),
      c("«3»", 5, true),
      c("«2»", 5, true),
      c(t("reports:col.na"), 5, true),
      c(t("reports:col.exempt"), 5, true),
      c(t("reports:col.missing"), 7, true),
      c(t("reports:col.success"), 9, true),
      c(t("reports:col.quality"), 9, true),
      c(t("reports:col.sou"), 7, true),
      c(t("reports:col.average"), 8, true),
    ],
    rows: rows.map((r) => [
      r.label || t("reports:col.unknownTeacher"),
      r.attested,
      r.n5,
      r.n4,
      r.n3,
      r.n2,
      r.nNa,
      r.nExempt,
      r.nMissing,
      r.successPct,
      r.qualityPct,
      r.souPct,
      r.averageMark,
    ]),
  };
}

export function reportDocument(t: Translate, data: ReportData): ReportDocument {
  const base = header(t, data);
  if (data.kind === "filling") {
    const f = data.filling;
    const d = data.diary;
    const gaps = (rows: typeof f.studentsWithoutMarks) =>
      rows.map((r) => [r.className, r.label, r.subjectName, r.marks] as (string | number)[]);
    return {
      ...base,
      summary: [
        [t("reports:sum.lessons"), f.lessons.total],
        [t("reports:sum.withoutTopic"), f.lessons.withoutTopic],
        [t("reports:sum.withoutHomework"), f.lessons.withoutHomework],
        [t("reports:sum.withoutAttendance"), f.lessons.withoutAttendance],
        [t("reports:sum.teachersWorking"), `${f.teachers.withEntries} / ${f.teachers.total}`],
        [t("reports:sum.teachersWorkingPct"), f.teachers.withEntriesPct],
        [t("reports:sum.marks"), f.marks.total],
        [t("reports:sum.lateMarks"), f.marks.late],
        [t("reports:sum.withoutMarks"), f.studentsWithoutMarks.length],
        [t("reports:sum.oneMark"), f.studentsWithOneMark.length],
        [t("reports:sum.parentsUsing"), `${d.parentsUsing} / ${d.parents}`],
        [t("reports:sum.parentsUsingPct"), d.parentsUsingPct],
        [t("reports:sum.studentsUsing"), `${d.studentsUsing} / ${d.students}`],
        [t("reports:sum.studentsUsingPct"), d.studentsUsingPct],
      ],
      tables: [
        {
          title: t("reports:table.byTeacher"),
          sheet: t("reports:sheet.teachers"),
          columns: [
            c(t("reports:col.teacher"), 24),
            c(t("reports:col.lessons"), 8, true),
            c(t("reports:col.withoutTopic"), 9, true),
            c(t("reports:col.withoutHomework"), 9, true),
            c(t("reports:col.withoutAttendance"), 10, true),
            c(t("reports:col.lateMarks"), 9, true),
            c(t("reports:col.working"), 9),
          ],
          rows: f.byTeacher.map((x) => [
            x.label,
            x.lessons,
            x.withoutTopic,
            x.withoutHomework,
            x.withoutAttendance,
            x.lateMarks,
            t(x.hasEntries ? "reports:yes" : "reports:no"),
          ]),
          empty: t("reports:table.empty"),
        },
        {
          title: t("reports:table.withoutMarks"),
          sheet: t("reports:sheet.withoutMarks"),
          columns: [
            c(t("reports:col.class"), 7),
            c(t("reports:col.student"), 26),
            c(t("reports:col.subject"), 24),
            c(t("reports:col.marks"), 7, true),
          ],
          rows: gaps(f.studentsWithoutMarks),
          empty: t("reports:table.empty"),
        },
        {
          title: t("reports:table.oneMark"),
          sheet: t("reports:sheet.oneMark"),
          columns: [
            c(t("reports:col.class"), 7),
            c(t("reports:col.student"), 26),
            c(t("reports:col.subject"), 24),
            c(t("reports:col.marks"), 7, true),
          ],
          rows: gaps(f.studentsWithOneMark),
          empty: t("reports:table.empty"),
        },
        {
          title: t("reports:table.diary"),
          sheet: t("reports:sheet.diary"),
          columns: [
            c(t("reports:col.class"), 7),
            c(t("reports:col.student"), 22),
            c(t("reports:col.studentViews"), 9, true),
            c(t("reports:col.guardian"), 24),
            c(t("reports:col.views"), 8, true),
            c(t("reports:col.days"), 8, true),
            c(t("reports:col.lastView"), 11),
          ],
          rows: d.families.flatMap((fam) =>
            (fam.guardians.length ? fam.guardians : [null]).map((g, i) => [
              i === 0 ? fam.className : "",
              i === 0 ? fam.label : "",
              i === 0 ? fam.studentViews : "",
              g ? `${g.label}${g.relation ? ` (${g.relation})` : ""}` : t("reports:noGuardian"),
              g ? g.views : "",
              g ? g.days : "",
              g?.lastView ? ru(g.lastView) : "",
            ]),
          ),
          empty: t("reports:table.empty"),
        },
      ],
    };
  }
  if (data.kind === "performance") {
    const p = data.performance;
    return {
      ...base,
      summary: [
        [t("reports:sum.source"), t(`reports:source.${p.source}`)],
        [t("reports:sum.asOf"), ru(p.asOf)],
        [t("reports:sum.attested"), p.total.attested],
        [t("reports:col.success"), p.total.successPct],
        [t("reports:col.quality"), p.total.qualityPct],
        [t("reports:col.sou"), p.total.souPct],
        [t("reports:col.average"), p.total.averageMark],
        [t("reports:sum.systematicAbsence"), p.systematicAbsence.length],
        [t("reports:sum.systematicFailing"), p.systematicFailing.length],
      ],
      tables: [
        performanceTable(t, t("reports:table.byClass"), t("reports:sheet.classes"), t("reports:col.class"), p.byClass),
        performanceTable(
          t,
          t("reports:table.bySubject"),
          t("reports:sheet.subjects"),
          t("reports:col.subject"),
          p.bySubject,
        ),
        performanceTable(
          t,
          t("reports:table.byTeacherPerf"),
          t("reports:sheet.teachers"),
          t("reports:col.teacher"),
          p.byTeacher,
        ),
        {
          title: t("reports:table.systematicAbsence"),
          sheet: t("reports:sheet.absence"),
          columns: [
            c(t("reports:col.class"), 7),
            c(t("reports:col.student"), 26),
            c(t("reports:col.absentDays"), 10, true),
            c(t("reports:col.window"), 22),
          ],
          rows: p.systematicAbsence.map((r) => [r.className, r.label, r.days, `${ru(r.from)} – ${ru(r.to)}`]),
          empty: t("reports:table.empty"),
        },
        {
          title: t("reports:table.systematicFailing"),
          sheet: t("reports:sheet.failing"),
          columns: [
            c(t("reports:col.class"), 7),
            c(t("reports:col.student"), 24),
            c(t("reports:col.subject"), 22),
            c(t("reports:col.average"), 8, true),
            c(t("reports:col.fails"), 10, true),
          ],
          rows: p.systematicFailing.map((r) => [r.className, r.label, r.subjectName, r.average, r.consecutiveFails]),
          empty: t("reports:table.empty"),
        },
      ],
    };
  }
  const a = data.accumulation;
  return {
    ...base,
    summary: [
      [t("reports:sum.pairs"), a.pairs],
      [t("reports:sum.below"), a.below],
      [t("reports:sum.belowPct"), a.belowPct],
      [t("reports:sum.rule"), t("reports:accumulationRule")],
    ],
    tables: [
      {
        title: t("reports:table.accumulation"),
        sheet: t("reports:sheet.accumulation"),
        columns: [
          c(t("reports:col.class"), 7),
          c(t("reports:col.student"), 24),
          c(t("reports:col.subject"), 22),
          c(t("reports:col.hours"), 8, true),
          c(t("reports:col.lessonsHeld"), 8, true),
          c(t("reports:col.marks"), 7, true),
          c(t("reports:col.expected"), 8, true),
          c(t("reports:col.shortBy"), 8, true),
        ],
        rows: a.rows.map((r) => [
          r.className,
          r.label,
          r.subjectName,
          r.hoursPerWeek,
          r.lessonsHeld,
          r.marks,
          r.expectedMin,
          r.shortBy,
        ]),
        empty: t("reports:table.empty"),
      },
    ],
  };
}

export function reportFileName(data: ReportData, format: "pdf" | "xlsx"): string {
  const h = data.header;
  const scope = h.scope.kind === "school" ? "school" : `${h.scope.kind}-${fileNamePart(h.scopeLabel)}`;
  return `${data.kind}-${scope}-${h.from}-${h.to}.${format}`;
}
