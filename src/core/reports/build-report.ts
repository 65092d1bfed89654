// One entry for the reports the bot offers and the reports job builds: the kind, the
// span and the scope in; access decided first (report-scope.ts); a JSON-safe DTO out for the screen summary
// and the file renderers.
import type { AnyActor } from "../actor.ts";
import { invalid } from "../errors.ts";
import type { DbOrTx } from "../tx.ts";
import { type AccumulationReport, computeAccumulation } from "./accumulation-report.ts";
import { computeDiaryUsage, type DiaryUsage } from "./diary-usage.ts";
import { computeJournalFilling, type JournalFillingReport } from "./journal-filling-report.ts";
import { computePerformance, type PerformanceFull } from "./performance-report.ts";
import { elapsedTo, type ReportScope, type ResolvedSpan, resolveReportTarget, type SpanInput } from "./report-scope.ts";

export const REPORT_KINDS = ["filling", "performance", "accumulation"] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export interface ReportInput {
  kind: ReportKind;
  span: SpanInput;
  scope: ReportScope;
}

export interface ReportHeader {
  schoolName: string;
  span: ResolvedSpan;
  scope: ReportScope;
  /** Class, subject or teacher name; the grade for a parallel; "" for the school. */
  scopeLabel: string;
  /** The span as counted: up to today for a span still running. */
  from: string;
  to: string;
}

export type ReportData =
  | { kind: "filling"; header: ReportHeader; filling: JournalFillingReport; diary: DiaryUsage }
  | { kind: "performance"; header: ReportHeader; performance: PerformanceFull }
  | { kind: "accumulation"; header: ReportHeader; accumulation: AccumulationReport };

export async function buildReport(db: DbOrTx, actor: AnyActor, input: ReportInput): Promise<ReportData> {
  const target = await resolveReportTarget(db, actor, { span: input.span, scope: input.scope });
  if (!(REPORT_KINDS as readonly string[]).includes(input.kind)) throw invalid({ kind: input.kind });
  const { span, scope } = target;
  // a span that has not begun yet is counted as its first day
  const to = [elapsedTo(span), span.from].sort().at(-1) ?? span.from;
  const header: ReportHeader = {
    schoolName: target.schoolName,
    span,
    scope: scope.scope,
    scopeLabel: scope.label,
    from: span.from,
    to,
  };
  const schoolId = actor.schoolId;
  if (input.kind === "filling") {
    const [filling, diary] = await Promise.all([
      computeJournalFilling(db, schoolId, span.from, to, scope),
      computeDiaryUsage(db, schoolId, span.from, to, scope.classIds),
    ]);
    return { kind: "filling", header, filling, diary };
  }
  if (input.kind === "performance") {
    const performance = await computePerformance(db, schoolId, {
      yearId: span.yearId,
      periodId: span.periodId,
      from: span.from,
      to,
      // term marks are the period's: enrollment at its end; current marks: at the last elapsed day
      asOf: span.periodId !== null ? span.to : to,
      scope,
      lists: true,
    });
    return { kind: "performance", header, performance };
  }
  const accumulation = await computeAccumulation(db, schoolId, span.from, to, span.yearId, scope);
  return { kind: "accumulation", header, accumulation };
}
