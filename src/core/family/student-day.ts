// A student's day for the family (issue 5 «Сегодня»): lessons with topics, marks (corrections as corrections),
// absences and lateness, homework given at each lesson, and homework due that day.
import { z } from "zod";
import type { AnyActor } from "../actor.ts";
import { fromIsoDate, type IsoDate } from "../dates.ts";
import { type ClockOptions, idSchema, isoDateSchema, parseInput, schoolNow } from "../journal/common.ts";
import { type StudentHomeworkItem, visibleHomework } from "../journal/homework.ts";
import type { Db } from "../tx.ts";
import { familyAccess, logFamilyView } from "./family-read.ts";
import { displayMarks, type FamilyMark, loadStudentMarks, type WithdrawnMark } from "./mark-display.ts";
import { type StudentLesson, studentLessons } from "./student-lessons.ts";
import { loadStudentScope } from "./student-scope.ts";

export interface StudentDayLesson extends StudentLesson {
  marks: FamilyMark[];
  withdrawn: WithdrawnMark[];
  attendance: { status: "ABSENT" | "LATE"; reason: "ILLNESS" | "EXCUSED" | "UNEXCUSED" | null } | null;
  homework: StudentHomeworkItem[];
}

export interface StudentDayResult {
  studentId: number;
  date: IsoDate;
  lessons: StudentDayLesson[];
  /** Homework due on this date (given at earlier lessons). */
  homeworkDue: StudentHomeworkItem[];
}

export async function studentDay(
  db: Db,
  actor: AnyActor,
  input: { studentId: number; date: IsoDate },
  opts: ClockOptions = {},
): Promise<StudentDayResult> {
  const reader = await familyAccess(db, actor, Number(input?.studentId), "day");
  const { studentId, date } = parseInput(z.object({ studentId: idSchema, date: isoDateSchema }), input);
  await logFamilyView(db, actor, reader);
  const { school, now } = await schoolNow(db, actor.schoolId, opts);
  const day = fromIsoDate(date);
  const scope = await loadStudentScope(db, actor.schoolId, studentId, date, date);
  const [lessons, markRows, attendance, given, due] = await Promise.all([
    studentLessons(db, actor.schoolId, scope, date, date),
    loadStudentMarks(db, actor.schoolId, studentId, day, day),
    db.attendance.findMany({
      where: { schoolId: actor.schoolId, studentId, date: day },
      select: { lessonId: true, status: true, reason: true },
    }),
    visibleHomework(db, actor.schoolId, studentId, { by: "given", from: date, to: date }),
    visibleHomework(db, actor.schoolId, studentId, { by: "due", from: date, to: date }),
  ]);
  const hide = reader.family ? new Date(now.getTime() - school.settings.graceMinutes * 60_000) : null;
  const { marks, withdrawn } = displayMarks(markRows, { hideGraceBefore: hide });
  const attOf = new Map(attendance.map((a) => [a.lessonId, a]));
  return {
    studentId,
    date,
    lessons: lessons.map((l) => {
      const a = attOf.get(l.lessonId);
      return {
        ...l,
        marks: marks.filter((m) => m.lessonId === l.lessonId),
        withdrawn: withdrawn.filter((m) => m.lessonId === l.lessonId),
        attendance: a ? { status: a.status, reason: a.reason } : null,
        homework: given.filter((h) => h.lessonId === l.lessonId),
      };
    }),
    homeworkDue: due,
  };
}
