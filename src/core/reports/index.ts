export {
  type JournalFillingInput,
  type JournalFillingReport,
  journalFillingReport,
  type StudentSubjectGap,
  type TeacherFilling,
} from "./journal-filling-report.ts";
export {
  type PerformanceGrouping,
  type PerformanceReport,
  type PerformanceReportInput,
  type PerformanceRow,
  performanceReport,
} from "./performance-report.ts";
