// What the archive and backup jobs and commands need from the configuration, resolved in one place.
import type { Config } from "../../config.ts";
import { splitSchema } from "../../db/database.ts";
import type { BackupSource } from "../backup/backup.ts";
import { ARCHIVE_PRODUCERS, type ArchiveProducer } from "./producers/index.ts";
import { type ArchiveTarget, archiveTargets } from "./targets.ts";

export interface ArchiveEnv {
  targets: ArchiveTarget[];
  producers: ArchiveProducer[];
  backupEveryHours: number;
  backupKeep: number;
  pgBinDir?: string;
  /** The database to back up; unknown for an embedded server until the process that started it says. */
  backupSource?: BackupSource;
}

export function archiveEnv(config: Config, database?: { url: string; schema?: string }): ArchiveEnv {
  const configured = config.databaseUrl ? splitSchema(config.databaseUrl) : undefined;
  return {
    targets: archiveTargets(config.archiveDirs),
    producers: ARCHIVE_PRODUCERS,
    backupEveryHours: config.backupEveryHours,
    backupKeep: config.backupKeep,
    pgBinDir: config.pgBinDir,
    backupSource: database ?? configured,
  };
}
