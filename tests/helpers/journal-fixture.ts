// A filled journal on the test school (tests/helpers/factories.ts), written through the core as teachers do:
// topics, homework, marks (one corrected after the grace period, so a superseded mark exists), attendance and
// term marks; then the period is closed by the director.
import { addDays, zonedInstant } from "../../src/core/dates.ts";
import { saveAttendance } from "../../src/core/journal/attendance.ts";
import { correctMark } from "../../src/core/journal/corrections.ts";
import { setHomework } from "../../src/core/journal/homework.ts";
import { addMarks } from "../../src/core/journal/marks.ts";
import { closePeriod } from "../../src/core/journal/periods.ts";
import { setTermGrade } from "../../src/core/journal/term-grades.ts";
import { setTopic } from "../../src/core/journal/topic.ts";
import type { Db } from "../../src/db/database.ts";
import { lessonOf, type TestSchool } from "./factories.ts";

export async function writeJournal(prisma: Db, s: TestSchool): Promise<void> {
  const math = await s.actor(s.people.mathTeacher);
  const lastMonday = addDays(s.monday, -7);
  const lessonId = await lessonOf(prisma, s.assignments.algebra7b, lastMonday);
  const clock = { now: zonedInstant("Europe/Moscow", lastMonday, "09:00") };
  await setTopic(prisma, math, { lessonId, topic: "Линейные уравнения" }, clock);
  await setHomework(prisma, math, { lessonId, text: "№ 101–105" });
  const [a, b, c] = s.students.c7b;
  const res = await addMarks(
    prisma,
    math,
    {
      lessonId,
      workType: "oral",
      entries: [
        { studentId: a, value: "2" },
        { studentId: b, value: "5", comment: "молодец" },
      ],
    },
    clock,
  );
  await correctMark(
    prisma,
    math,
    { markId: res.marks[0].markId, value: "4", reason: "ошибка при вводе" },
    { now: new Date(clock.now.getTime() + 2 * 3_600_000) },
  );
  await saveAttendance(prisma, math, { lessonId, absent: [c], late: [b] }, clock);
  const key = { assignmentId: s.assignments.algebra7b, periodId: s.periodId };
  await setTermGrade(prisma, math, { ...key, studentId: a, value: "4" });
  await setTermGrade(prisma, math, { ...key, studentId: b, value: "5" });
  await closePeriod(prisma, await s.actor(s.people.director), { periodId: s.periodId });
}
