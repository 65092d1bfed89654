// What an archive is made of: a list of producers, each naming one file and making its bytes. Retention
// is per file: the printed journal and the journal's data 5 years, the summary sheet of final marks 25.
import type { ArchiveScope, JournalExport } from "../../../core/archive/journal-export.ts";
import type { Db } from "../../../core/tx.ts";

export type Retention = "journal" | "summary";

export const RETENTION_YEARS: Record<Retention, number> = { journal: 5, summary: 25 };

export interface ArchiveProduceContext {
  db: Db;
  scope: ArchiveScope;
  /** The period's journal as data, loaded once for all producers. */
  journal(): Promise<JournalExport>;
}

export interface ArchiveProducer {
  /** File name inside the archive, e.g. "journal.json" (or the kind of files, when it makes several). */
  name: string;
  retention: Retention;
  /** One file under `name`, or several files named by the producer (e.g. one per class). */
  produce(ctx: ArchiveProduceContext): Promise<Buffer | { name: string; bytes: Buffer }[]>;
}
