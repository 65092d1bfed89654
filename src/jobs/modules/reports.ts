// Report files (issue 10, R-26..R-29): the bot records a ReportRequest (src/core/reports/request-report.ts);
// a per-school pickup every few seconds turns new requests into one `reports.build` job each (job id from the
// request id, so a repeated pickup adds nothing), and the build re-reads the request, re-checks access as the
// requester, renders the file and sends it as a document. A request is built once: DONE and FAILED are final.
import { z } from "zod";
import { isAppError } from "../../core/errors.ts";
import { loadReportRequest } from "../../core/reports/request-report.ts";
import type { Db } from "../../core/tx.ts";
import { pickLanguage, translator } from "../../i18n.ts";
import type { Logger } from "../../logger.ts";
import type { DocumentSender } from "../documents.ts";
import { jobId } from "../queues.ts";
import { defineJob, processorFor } from "../registry.ts";
import { buildReportFile } from "../reports/build-file.ts";
import type { JobsModuleFactory } from "./index.ts";

export const REPORTS_PICKUP_EVERY_MS = 3_000;

export const reportsPickupJob = defineJob({
  name: "reports.pickup",
  queue: "reports",
  schema: z.object({ schoolId: z.number().int().positive() }),
  options: { attempts: 1, removeOnComplete: 100, removeOnFail: 100 },
});

export const reportsBuildJob = defineJob({
  name: "reports.build",
  queue: "reports",
  schema: z.object({ requestId: z.number().int().positive() }),
  options: { attempts: 3, backoff: { type: "exponential", delay: 5_000 }, removeOnComplete: 500, removeOnFail: 500 },
});

export interface ReportRunDeps {
  prisma: Db;
  logger: Logger;
  documents: DocumentSender;
}

/** Builds and sends one request (idempotent: a request already DONE or FAILED is skipped). */
export async function runReportRequest(deps: ReportRunDeps, requestId: number): Promise<string> {
  const loaded = await loadReportRequest(deps.prisma, requestId);
  if (!loaded) return "missing";
  const { request, actor } = loaded;
  if (request.status === "DONE" || request.status === "FAILED") return "already-done";
  const log = deps.logger.child({ requestId, kind: request.input.kind });
  const account = await deps.prisma.messengerAccount.findFirst({
    where: { personId: request.personId, schoolId: request.schoolId },
    orderBy: { linkedAt: "desc" },
    select: { languageCode: true },
  });
  const preference = await deps.prisma.preference.findUnique({
    where: { personId: request.personId },
    select: { locale: true },
  });
  const t = translator(pickLanguage(preference?.locale ?? account?.languageCode));
  try {
    const started = Date.now();
    const file = await buildReportFile(deps.prisma, actor, request.input, t as never);
    const outcome = await deps.documents.send({
      schoolId: request.schoolId,
      personId: request.personId,
      fileName: file.fileName,
      bytes: file.bytes,
      caption: file.caption,
    });
    await deps.prisma.reportRequest.update({
      where: { id: requestId },
      data: {
        status: outcome === "sent" ? "DONE" : "FAILED",
        doneAt: new Date(),
        error: outcome === "sent" ? null : outcome,
      },
    });
    log.info({ outcome, bytes: file.bytes.length, ms: Date.now() - started }, "report built");
    return outcome;
  } catch (err) {
    if (isAppError(err)) {
      // refused now (access lost, period gone): final, not retried
      await deps.prisma.reportRequest.update({
        where: { id: requestId },
        data: { status: "FAILED", doneAt: new Date(), error: err.code },
      });
      log.warn({ code: err.code }, "report refused");
      return err.code;
    }
    throw err;
  }
}

/** New requests of a school → build jobs (oldest first). */
export async function pickUpReportRequests(
  prisma: Db,
  schoolId: number,
  enqueue: (requestId: number) => Promise<void>,
): Promise<number> {
  const pending = await prisma.reportRequest.findMany({
    where: { schoolId, status: "PENDING" },
    orderBy: { id: "asc" },
    take: 50,
    select: { id: true },
  });
  for (const { id } of pending) {
    await enqueue(id);
    await prisma.reportRequest.updateMany({
      where: { id, status: "PENDING" },
      data: { status: "QUEUED", queuedAt: new Date() },
    });
  }
  return pending.length;
}

export const reportsModule: JobsModuleFactory = ({ prisma, logger, documents }) => {
  if (!documents) return {};
  return {
    definitions: [reportsPickupJob, reportsBuildJob],
    processors: [
      processorFor(reportsPickupJob, async ({ schoolId }, ctx) => ({
        picked: await pickUpReportRequests(prisma, schoolId, (requestId) =>
          ctx.enqueue(reportsBuildJob.name, { requestId }, { jobId: jobId("report", requestId) }),
        ),
      })),
      processorFor(reportsBuildJob, async ({ requestId }, ctx) => ({
        outcome: await runReportRequest({ prisma, logger: ctx.logger ?? logger, documents }, requestId),
      })),
    ],
    schedules: [{ id: "reports-pickup", job: reportsPickupJob, every: REPORTS_PICKUP_EVERY_MS, perSchool: true }],
  };
};
