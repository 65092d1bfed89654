// The files of every archive, in this order. The printed journal and the summary sheet (PDF, issue 10) are
// added here as producers of their own: { name: "journal.pdf", retention: "journal" } and
// { name: "summary-sheet.pdf", retention: "summary" }.
import { journalJsonProducer, termMarksJsonProducer } from "./journal-json.ts";
import { journalXlsxProducer } from "./journal-xlsx.ts";
import type { ArchiveProducer } from "./producer.ts";

export const ARCHIVE_PRODUCERS: ArchiveProducer[] = [journalJsonProducer, journalXlsxProducer, termMarksJsonProducer];

export type { ArchiveProduceContext, ArchiveProducer, Retention } from "./producer.ts";
export { RETENTION_YEARS } from "./producer.ts";
