// Archives, anchors and backups (issue 11, R-30, R-31): per school, an hourly scan that archives every closed
// period and year without an archive, an hourly anchor of the audit chain's head, a weekly check of the
// archives; a daily pruning past retention and the scheduled database backup. The administration hears of new
// archives and failed checks through the outbox handlers registered here.
import { z } from "zod";
import { systemActor } from "../../core/actor.ts";
import { scopesWithoutArchive } from "../../core/archive/journal-export.ts";
import { anchorAuditHead } from "../archive/anchors.ts";
import { type ArchiveEnv, archiveEnv } from "../archive/archive-env.ts";
import { buildArchive } from "../archive/build-archive.ts";
import { archiveCheckFailedHandler, archiveCreatedHandler } from "../archive/notify-handlers.ts";
import { pruneArchives } from "../archive/prune-archives.ts";
import { replicateArchives } from "../archive/replicate-archives.ts";
import { verifySchoolArchives } from "../archive/verify-archives.ts";
import { backupDatabase } from "../backup/backup.ts";
import { defineJob, type JobContext, processorFor } from "../registry.ts";
import type { JobsModuleFactory } from "./index.ts";

const HOUR = 3_600_000;

class UnconfiguredError extends Error {
  override message = "archive jobs not configured: featureJobs needs { config }";
}

/** Runs a processor body, or logs once per run and skips when the module has no configuration. */
function configured<P>(
  fn: (payload: P, ctx: JobContext) => Promise<unknown>,
): (payload: P, ctx: JobContext) => Promise<unknown> {
  return async (payload, ctx) => {
    try {
      return await fn(payload, ctx);
    } catch (err) {
      if (!(err instanceof UnconfiguredError)) throw err;
      ctx.logger.warn(err.message);
      return { skipped: true };
    }
  };
}
const perSchool = z.object({ schoolId: z.number().int().positive() });
const retry = { attempts: 3, backoff: { type: "exponential" as const, delay: 60_000 } };

export const archiveScanJob = defineJob({
  name: "reports.archive-scan",
  queue: "reports",
  schema: perSchool,
  options: retry,
});
export const archiveVerifyJob = defineJob({
  name: "reports.archive-verify",
  queue: "reports",
  schema: perSchool,
  options: retry,
});
export const auditAnchorJob = defineJob({
  name: "maintenance.audit-anchor",
  queue: "maintenance",
  schema: perSchool,
  options: retry,
});
export const archivePruneJob = defineJob({
  name: "maintenance.archive-prune",
  queue: "maintenance",
  schema: z.object({}),
  options: retry,
});
export const backupJob = defineJob({
  name: "maintenance.backup",
  queue: "maintenance",
  schema: z.object({}),
  options: retry,
});

export const archiveModule: JobsModuleFactory = (deps) => {
  const { prisma } = deps;
  // Without a configuration the jobs do nothing rather than guess where to write (a test starting the product
  // must not back up a shared database into the working directory).
  const env: ArchiveEnv | undefined =
    deps.archive ?? (deps.config ? archiveEnv(deps.config, deps.database) : undefined);
  const getEnv = (): ArchiveEnv => {
    if (!env) throw new UnconfiguredError();
    return env;
  };
  const backupEvery = (env?.backupEveryHours ?? 24) * HOUR;
  return {
    definitions: [archiveScanJob, archiveVerifyJob, auditAnchorJob, archivePruneJob, backupJob],
    processors: [
      processorFor(
        archiveScanJob,
        configured(async ({ schoolId }, ctx) => {
          const e = getEnv();
          const due = await scopesWithoutArchive(prisma, systemActor(schoolId));
          const built = [];
          for (const ref of due) {
            const r = await buildArchive({ prisma, targets: e.targets, producers: e.producers }, { schoolId, ...ref });
            built.push({ archiveId: r.archiveId, files: r.files, bytes: r.bytes });
          }
          if (built.length) ctx.logger.info({ schoolId, built }, "archives built");
          const copied = await replicateArchives(prisma, e.targets, schoolId);
          if (copied) ctx.logger.info({ schoolId, copied }, "archives copied to targets that lacked them");
          return copied ? { built: built.length, copied } : { built: built.length };
        }),
      ),
      processorFor(
        archiveVerifyJob,
        configured(async ({ schoolId }, ctx) => {
          const r = await verifySchoolArchives(prisma, getEnv().targets, schoolId);
          // names of archives and files only: no children's data
          if (!r.ok) ctx.logger.warn({ schoolId, problems: r.problems }, "archive check failed");
          return { ok: r.ok, archives: r.archives, problems: r.problems.length };
        }),
      ),
      processorFor(
        auditAnchorJob,
        configured(async ({ schoolId }) => {
          const a = await anchorAuditHead(prisma, getEnv().targets, schoolId);
          return { lastId: a?.lastId ?? null };
        }),
      ),
      processorFor(
        archivePruneJob,
        configured(async (_p, ctx) => {
          const r = await pruneArchives(prisma, getEnv().targets);
          if (r.files || r.archives) ctx.logger.info(r, "archives pruned past retention");
          return r;
        }),
      ),
      processorFor(
        backupJob,
        configured(async (_p, ctx) => {
          const e = getEnv();
          if (!e.backupSource) {
            ctx.logger.warn("backup skipped: the database URL of the embedded server was not passed to the jobs");
            return { skipped: true };
          }
          const r = await backupDatabase(e.backupSource, e.targets, { keep: e.backupKeep, pgBinDir: e.pgBinDir });
          ctx.logger.info({ file: r.file, bytes: r.bytes, tool: r.tool, removed: r.removed }, "database backed up");
          return { file: r.file, bytes: r.bytes };
        }),
      ),
    ],
    schedules: [
      { id: "archive-scan", job: archiveScanJob, every: HOUR, perSchool: true },
      { id: "archive-verify", job: archiveVerifyJob, every: 7 * 24 * HOUR, perSchool: true },
      { id: "audit-anchor", job: auditAnchorJob, every: HOUR, perSchool: true },
      { id: "archive-prune", job: archivePruneJob, every: 24 * HOUR },
      { id: "database-backup", job: backupJob, every: backupEvery },
    ],
    handlers: [archiveCreatedHandler, archiveCheckFailedHandler],
  };
};
