// One report request → its file: core data (access re-checked for the requester), translated document,
// bytes, a Latin file name and a caption.

import type { AnyActor } from "../../core/actor.ts";
import { fileNamePart } from "../../core/file-name.ts";
import { buildReport } from "../../core/reports/build-report.ts";
import { type PrintedJournal, printedJournal } from "../../core/reports/printed-journal.ts";
import type { ReportRequestInput } from "../../core/reports/request-report.ts";
import type { DbOrTx } from "../../core/tx.ts";
import { type PrintedJournalLabels, renderPrintedJournal } from "./printed-journal-pdf.ts";
import { reportDocument, reportFileName, scopeLabel, spanLabel, type Translate } from "./report-content.ts";
import { renderReportPdf, renderReportXlsx } from "./report-document.ts";

export interface ReportFile {
  fileName: string;
  bytes: Buffer;
  caption: string;
}

const ddmmyyyy = (iso: string) => `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}`;

export function journalLabels(t: Translate, j: PrintedJournal): PrintedJournalLabels {
  const k = (key: string, params?: Record<string, unknown>) => t(`reports:journal.${key}`, params);
  const period = t(`reports:periodName.${j.period.kind}`, { n: j.period.number });
  return {
    journal: k("journal"),
    classLine: k("classLine", { className: j.className }),
    yearLine: k("yearLine", { year: j.yearName }),
    periodLine: k("periodLine", { period, from: ddmmyyyy(j.period.from), to: ddmmyyyy(j.period.to) }),
    classTeacher: k("classTeacher"),
    contents: k("contents"),
    section: k("section"),
    teacher: k("teacher"),
    sheets: k("sheets"),
    marksPart: k("marksPart"),
    topicsPart: k("topicsPart"),
    summary: k("summary"),
    totalSheets: k("totalSheets"),
    no: k("no"),
    student: k("student"),
    termMark: k("termMark"),
    date: k("date"),
    topic: k("topic"),
    homework: k("homework"),
    subgroup: k("subgroup"),
    director: k("director"),
    signature: k("signature"),
    stamp: k("stamp"),
    page: k("page"),
    noLessons: k("noLessons"),
  };
}

export async function buildReportFile(
  db: DbOrTx,
  actor: AnyActor,
  input: ReportRequestInput,
  t: Translate,
): Promise<ReportFile> {
  if (input.kind === "journal") {
    const j = await printedJournal(db, actor, { classId: input.classId, periodId: input.periodId });
    const labels = journalLabels(t, j);
    const bytes = await renderPrintedJournal(j, labels);
    return {
      fileName: `journal-${fileNamePart(j.className)}-${j.period.from}-${j.period.to}.pdf`,
      bytes,
      caption: `${labels.journal} ${j.className}\n${labels.periodLine}`,
    };
  }
  const data = await buildReport(db, actor, { kind: input.kind, span: input.span, scope: input.scope });
  const doc = reportDocument(t, data);
  const bytes = input.format === "xlsx" ? await renderReportXlsx(doc) : await renderReportPdf(doc);
  return {
    fileName: reportFileName(data, input.format),
    bytes,
    caption: t("reports:file.caption", {
      title: `${t(`reports:kindTitle.${data.kind}`)} — ${scopeLabel(t, data.header)}`,
      span: spanLabel(t, data.header),
    }),
  };
}
