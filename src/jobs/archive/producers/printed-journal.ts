// The printed class journal of every class, and its summary sheet of final marks, for a period's archive:
// one PDF per class (kept 5 years) and the summary sheet alone (kept 25 years, R-31). A year's archive holds
// the year's summary sheets (its period is the year period, when the school has one).
import { systemActor } from "../../../core/actor.ts";
import { fileNamePart } from "../../../core/file-name.ts";
import { printedJournal } from "../../../core/reports/printed-journal.ts";
import { translator } from "../../../i18n.ts";
import { journalLabels } from "../../reports/build-file.ts";
import { renderPrintedJournal } from "../../reports/printed-journal-pdf.ts";
import type { ArchiveProduceContext, ArchiveProducer } from "./producer.ts";

async function classesOf(ctx: ArchiveProduceContext) {
  return ctx.db.classGroup.findMany({
    where: { schoolId: ctx.scope.schoolId, yearId: ctx.scope.yearId },
    select: { id: true, name: true },
    orderBy: [{ grade: "asc" }, { name: "asc" }],
  });
}

async function render(ctx: ArchiveProduceContext, summaryOnly: boolean): Promise<{ name: string; bytes: Buffer }[]> {
  const periodId = ctx.scope.periodId;
  if (periodId === null) return [];
  const ru = translator("ru");
  const t = (key: string, params?: Record<string, unknown>) => ru(key, params ?? {});
  const actor = systemActor(ctx.scope.schoolId);
  const out: { name: string; bytes: Buffer }[] = [];
  for (const c of await classesOf(ctx)) {
    const j = await printedJournal(ctx.db, actor, { classId: c.id, periodId });
    const journal = summaryOnly ? { ...j, subjects: [] } : j;
    const bytes = await renderPrintedJournal(journal, journalLabels(t, j));
    out.push({ name: `${summaryOnly ? "summary" : "journal"}-${fileNamePart(c.name)}-${c.id}.pdf`, bytes });
  }
  return out;
}

export const printedJournalProducer: ArchiveProducer = {
  name: "journal-<class>.pdf",
  retention: "journal",
  produce: (ctx) => render(ctx, false),
};

export const summarySheetProducer: ArchiveProducer = {
  name: "summary-<class>.pdf",
  retention: "summary",
  produce: (ctx) => render(ctx, true),
};
