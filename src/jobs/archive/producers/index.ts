// The files of every archive, in this order: the journal's data (JSON, XLSX), the term marks, and the printed
// journal and the summary sheet of every class (PDF, R-29).
import { journalJsonProducer, termMarksJsonProducer } from "./journal-json.ts";
import { journalXlsxProducer } from "./journal-xlsx.ts";
import { printedJournalProducer, summarySheetProducer } from "./printed-journal.ts";
import type { ArchiveProducer } from "./producer.ts";

export const ARCHIVE_PRODUCERS: ArchiveProducer[] = [
  journalJsonProducer,
  journalXlsxProducer,
  termMarksJsonProducer,
  printedJournalProducer,
  summarySheetProducer,
];

export type { ArchiveProduceContext, ArchiveProducer, Retention } from "./producer.ts";
export { RETENTION_YEARS } from "./producer.ts";
