// Asking for a report file (R-26..R-29): access and input are checked now, as the job will check them again when
// it builds the file for the same person; the request is one row the reports job picks up.
import { requireClassManage } from "../access/classes.ts";
import type { Actor, AnyActor, StaffRole } from "../actor.ts";
import { forbidden, invalid, notFound } from "../errors.ts";
import type { DbOrTx } from "../tx.ts";
import { REPORT_KINDS, type ReportInput } from "./build-report.ts";
import { resolveReportTarget } from "./report-scope.ts";

export const REPORT_FORMATS = ["pdf", "xlsx"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export type ReportRequestInput =
  | (ReportInput & { format: ReportFormat })
  | { kind: "journal"; classId: number; periodId: number; format: "pdf" };

export interface RequestedReport {
  requestId: number;
}

export async function requestReport(db: DbOrTx, actor: AnyActor, input: ReportRequestInput): Promise<RequestedReport> {
  if (actor.system) throw forbidden({ report: "system" });
  if (input.kind === "journal") {
    await requireClassManage(db, actor, input.classId);
    if ((input.format as string) !== "pdf") throw invalid({ format: input.format });
    const period = await db.period.findFirst({ where: { id: input.periodId, schoolId: actor.schoolId } });
    if (!period) throw notFound({ periodId: input.periodId });
  } else {
    await resolveReportTarget(db, actor, { span: input.span, scope: input.scope });
    if (!(REPORT_KINDS as readonly string[]).includes(input.kind)) throw invalid({ kind: input.kind });
    if (!(REPORT_FORMATS as readonly string[]).includes(input.format)) throw invalid({ format: input.format });
  }
  const params = JSON.parse(
    JSON.stringify(
      input.kind === "journal"
        ? { classId: input.classId, periodId: input.periodId }
        : { span: input.span, scope: input.scope },
    ),
  );
  const row = await db.reportRequest.create({
    data: { schoolId: actor.schoolId, personId: actor.personId, kind: input.kind, format: input.format, params },
    select: { id: true },
  });
  return { requestId: row.id };
}

export interface StoredReportRequest {
  id: number;
  schoolId: number;
  personId: number;
  status: string;
  input: ReportRequestInput;
}

/** A request as stored, with the actor it is built for (roles as they are now, not as they were). */
export async function loadReportRequest(
  db: DbOrTx,
  requestId: number,
): Promise<{ request: StoredReportRequest; actor: Actor } | null> {
  const r = await db.reportRequest.findUnique({ where: { id: requestId } });
  if (!r) return null;
  const roles = await db.staffRole.findMany({
    where: { personId: r.personId, schoolId: r.schoolId },
    select: { role: true },
  });
  const params = r.params as Record<string, unknown>;
  const input = { ...params, kind: r.kind, format: r.format } as ReportRequestInput;
  return {
    request: { id: r.id, schoolId: r.schoolId, personId: r.personId, status: r.status, input },
    actor: { personId: r.personId, schoolId: r.schoolId, roles: roles.map((x) => x.role as StaffRole) },
  };
}
