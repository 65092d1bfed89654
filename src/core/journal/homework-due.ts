// Due dates a teacher may pick for a lesson's homework: the default (the next lesson of the same
// assignment, else a week later) and a few alternatives — the following lessons of the subject and a week on.
import { z } from "zod";
import { requireLessonWrite } from "../access/lessons.ts";
import type { AnyActor } from "../actor.ts";
import { addDays, fromIsoDate, type IsoDate, toIsoDate } from "../dates.ts";
import type { DbOrTx } from "../tx.ts";
import { idSchema, parseInput } from "./common.ts";
import { defaultDueDate } from "./homework.ts";

export interface HomeworkDueOptions {
  lessonId: number;
  /** What setHomework uses when no date is given. */
  defaultDue: IsoDate;
  /** Distinct dates after the lesson, ascending: the next lessons of the subject (up to 4) and a week later. */
  options: { date: IsoDate; nextLesson: boolean }[];
}

export async function homeworkDueOptions(
  db: DbOrTx,
  actor: AnyActor,
  input: { lessonId: number },
): Promise<HomeworkDueOptions> {
  const { lessonId } = parseInput(z.object({ lessonId: idSchema }).strict(), input);
  const ctx = await requireLessonWrite(db, actor, lessonId);
  const [defaultDue, next] = await Promise.all([
    defaultDueDate(db, ctx.assignmentId, ctx.date),
    db.lesson.findMany({
      where: { assignmentId: ctx.assignmentId, date: { gt: fromIsoDate(ctx.date) }, status: { not: "CANCELLED" } },
      orderBy: [{ date: "asc" }, { slot: "asc" }],
      distinct: ["date"],
      take: 4,
      select: { date: true },
    }),
  ]);
  const dates = new Map<IsoDate, boolean>();
  for (const l of next) dates.set(toIsoDate(l.date), true);
  const week = addDays(ctx.date, 7);
  if (!dates.has(week)) dates.set(week, false);
  if (!dates.has(defaultDue)) dates.set(defaultDue, false);
  const options = [...dates]
    .map(([date, nextLesson]) => ({ date, nextLesson }))
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return { lessonId: ctx.lessonId, defaultDue, options };
}
