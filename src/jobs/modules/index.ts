// Feature modules of the jobs layer (lesson-start prompts, digests, notices, messages...). Each module adds
// job definitions with their processors, recurring schedules and outbox handlers; createJobs refuses to start
// if any of them is incomplete or registered twice.
import type { Config } from "../../config.ts";
import type { Db } from "../../core/tx.ts";
import type { Logger } from "../../logger.ts";
import type { ArchiveEnv } from "../archive/archive-env.ts";
import type { DocumentSender } from "../documents.ts";
import type { OutboxHandler } from "../outbox/handler.ts";
import type { JobDefinition, JobProcessor, JobSchedule } from "../registry.ts";
import { archiveModule } from "./archive.ts";
import { digestModule } from "./digest.ts";
import { housekeepingModule } from "./housekeeping.ts";
import { lessonPromptModule } from "./lesson-prompt.ts";
import { notesModule } from "./notices-messages.ts";
import { reportsModule } from "./reports.ts";
import { schoolYearModule } from "./school-year.ts";
import { termCloseModule } from "./term-close.ts";

export interface JobsModuleDeps {
  prisma: Db;
  logger: Logger;
  /** Sends files from jobs (report files); without it the reports module registers nothing. */
  documents?: DocumentSender;
  /** The configuration (archive targets, backups); without it the archive jobs skip. */
  config?: Config;
  /** The database in use (the embedded server's URL is known only to the process that started it). */
  database?: { url: string; schema?: string };
  /** Archive targets and producers, when not from config (tests, benches). */
  archive?: ArchiveEnv;
  /** OUTBOX_RETENTION_DAYS: Outbox and Delivery rows older than this are pruned (housekeeping). */
  outboxRetentionDays?: number;
}

export interface JobsModule {
  definitions?: JobDefinition[];
  processors?: JobProcessor[];
  schedules?: JobSchedule[];
  handlers?: OutboxHandler[];
}

export type JobsModuleFactory = (deps: JobsModuleDeps) => JobsModule;

const MODULES: JobsModuleFactory[] = [
  lessonPromptModule,
  digestModule,
  notesModule,
  housekeepingModule,
  termCloseModule,
  schoolYearModule,
  reportsModule,
  archiveModule,
];

export function featureJobs(deps: JobsModuleDeps): {
  jobs: { definitions: JobDefinition[]; processors: JobProcessor[]; schedules: JobSchedule[] };
  handlers: OutboxHandler[];
} {
  const built = MODULES.map((m) => m(deps));
  return {
    jobs: {
      definitions: built.flatMap((m) => m.definitions ?? []),
      processors: built.flatMap((m) => m.processors ?? []),
      schedules: built.flatMap((m) => m.schedules ?? []),
    },
    handlers: built.flatMap((m) => m.handlers ?? []),
  };
}
