// Shared steps of the marks tests: reach the marks of a lesson the way a teacher does (the day screen, the
// lesson card, «Оценки»), and read what the journal holds.
import { cardCallback } from "../../../src/bot/features/teacher-lesson/callbacks.ts";
import type { Db } from "../../../src/core/tx.ts";
import { translator } from "../../../src/i18n.ts";
import type { FakeUser } from "../../helpers/telegram.ts";

export const t = translator("ru");

/** /today, then the lesson's card (the day shown may not hold it: pressed as its day screen would), «Оценки». */
export async function openMarks(user: FakeUser, lessonId: number, lng: "ru" | "en" = "ru"): Promise<void> {
  await user.send("/today");
  await user.press(cardCallback.encode({ lessonId }));
  await user.tap(translator(lng)("teacher-lesson:card.actions.marks"));
}

/** Opens the roster of a work type (by its Russian name). */
export async function openRoster(user: FakeUser, lessonId: number, workType: string): Promise<void> {
  await openMarks(user, lessonId);
  await user.tap(new RegExp(`^(⭐ )?${workType}$`));
}

/** Active marks of a lesson, by student. */
export async function activeMarks(prisma: Db, lessonId: number) {
  const marks = await prisma.mark.findMany({ where: { lessonId, status: "ACTIVE" }, orderBy: { id: "asc" } });
  return marks.map((m) => ({ ...m, weight: Number(m.weight) }));
}

/** Moves a mark's creation back in time (the grace period, the correction window). */
export async function ageMark(prisma: Db, markId: number, minutes: number): Promise<void> {
  const mark = await prisma.mark.findUniqueOrThrow({ where: { id: markId } });
  await prisma.mark.update({
    where: { id: markId },
    data: { createdAt: new Date(mark.createdAt.getTime() - minutes * 60_000) },
  });
}
