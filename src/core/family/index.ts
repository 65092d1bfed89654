// Reads for families (guardians and students, issue 5 item 2). Every call checks access first and logs the view.
export { type FamilyView, familyAccess, logFamilyView } from "./family-read.ts";
export type { FamilyMark, MarkCorrectionStep, WithdrawnMark } from "./mark-display.ts";
export { type MyChild, myChildren } from "./my-children.ts";
export { type StudentDayLesson, type StudentDayResult, studentDay } from "./student-day.ts";
export {
  directoryClass,
  directoryClasses,
  readsAllStudents,
  type StudentHeading,
  studentHeading,
} from "./student-directory.ts";
export { type StudentHomeworkResult, studentHomework } from "./student-homework.ts";
export type { StudentLesson } from "./student-lessons.ts";
export {
  type StudentMarksResult,
  type StudentSubjectMarksResult,
  type SubjectMarks,
  studentMarks,
  studentSubjectMarks,
} from "./student-marks.ts";
export { type StudentTimetableResult, studentTimetable, type TimetableDay } from "./student-timetable.ts";
