// maintenance.materialize-lessons { schoolId }: the concrete Lesson rows from today (school time) to the
// school's horizon. Idempotent (existing lessons are left alone); scheduled hourly per school and run at start.
import { addDays, localMoment } from "../../core/dates.ts";
import { materializeLessons } from "../../core/lessons/materialize.ts";
import { getSchool } from "../../core/settings.ts";
import type { Db } from "../../core/tx.ts";

export async function materializeSchoolLessons(prisma: Db, schoolId: number, now = new Date()) {
  const school = await getSchool(prisma, schoolId);
  const today = localMoment(school.timezone, now).date;
  const to = addDays(today, school.settings.lessonHorizonDays);
  const result = await materializeLessons(prisma, schoolId, today, to);
  return { schoolId, from: today, to, created: result.created };
}
