// What a digest says, as plain data (no Prisma objects, ISO strings for dates): the jobs layer renders it in the
// guardian's language at send time.
import type { IsoDate } from "../dates.ts";
import type { MarkCorrectionStep } from "../family/mark-display.ts";

export interface DigestPair {
  guardianId: number;
  studentId: number;
}

export interface DigestStudent {
  studentId: number;
  lastName: string;
  firstName: string;
  className: string | null;
}

export interface DigestMark {
  markId: number;
  subjectId: number;
  subjectName: string;
  /** The lesson date; differs from the digest's date for an entry made late. */
  date: IsoDate;
  /** Entered (or corrected) on the digest's day for an earlier lesson. */
  late: boolean;
  workType: string;
  value: string;
  comment: string | null;
  /** The corrections that led to this value, oldest first (R-15: shown as corrections). */
  corrections: MarkCorrectionStep[];
}

export interface DigestWithdrawnMark {
  markId: number;
  subjectName: string;
  date: IsoDate;
  workType: string;
  value: string;
  reason: string;
}

export interface DigestAttendance {
  lessonId: number;
  slot: number | null;
  subjectName: string;
  status: "ABSENT" | "LATE";
  reason: "ILLNESS" | "EXCUSED" | "UNEXCUSED" | null;
}

export interface DigestHomework {
  homeworkId: number;
  subjectName: string;
  text: string;
  files: number;
  individual: boolean;
}

export interface DigestNotice {
  announcementId: number;
  scope: "CLASS" | "PARALLEL" | "SCHOOL";
  text: string;
  hasFile: boolean;
  at: string;
}

export interface DailyDigest {
  schoolId: number;
  guardianId: number;
  studentId: number;
  date: IsoDate;
  student: DigestStudent;
  marks: DigestMark[];
  withdrawn: DigestWithdrawnMark[];
  attendance: DigestAttendance[];
  /** The next school day (homework is listed for it); null when no lesson is known in the next days. */
  homeworkDate: IsoDate | null;
  homework: DigestHomework[];
  notices: DigestNotice[];
  /** Nothing to say: no marks, withdrawals, absences, homework or notices. */
  empty: boolean;
}

export interface WeeklySubject {
  subjectId: number;
  subjectName: string;
  /** Marks of the week (current values), in date order. */
  weekMarks: string[];
  /** Weighted averages, 2 decimals; null without numeric marks. */
  weekAverage: number | null;
  periodAverage: number | null;
}

export interface WeeklySummary {
  schoolId: number;
  guardianId: number;
  studentId: number;
  weekStart: IsoDate;
  weekEnd: IsoDate;
  student: DigestStudent;
  period: {
    kind: "QUARTER" | "TRIMESTER" | "HALF" | "YEAR";
    number: number;
    startsOn: IsoDate;
    endsOn: IsoDate;
  } | null;
  subjects: WeeklySubject[];
  absences: { absent: number; late: number; illness: number; excused: number; unexcused: number };
  /** No marks and no absences in the week. */
  empty: boolean;
}
