// Shared setup of the class-admin bot tests: the buildSchool fixture with lessons on the school's today even
// on a weekend, and small helpers to read what the bot sent.
import { addDays, fromIsoDate, type IsoDate, isoWeekday, localMoment } from "../../../src/core/dates.ts";
import { materializeLessons } from "../../../src/core/lessons/materialize.ts";
import type { Db } from "../../../src/core/tx.ts";
import { buildSchool, lessonOf, type TestSchool } from "../../helpers/factories.ts";
import type { FakeTelegram, FakeUser } from "../../helpers/telegram.ts";

export const TZ = "Europe/Moscow";

export function schoolToday(): IsoDate {
  return localMoment(TZ).date;
}

/** The fixture, plus the same timetable on Saturday and Sunday when today is one (lessons exist today). */
export async function schoolWithLessonsToday(
  prisma: Db,
  studentsPerClass = 6,
): Promise<TestSchool & { today: IsoDate }> {
  const today = schoolToday();
  const s = await buildSchool(prisma, { today, studentsPerClass });
  const weekday = isoWeekday(today);
  if (weekday > 5) {
    const entries = await prisma.timetableEntry.findMany({ where: { schoolId: s.schoolId, weekday: 1 } });
    for (const e of entries) {
      await prisma.timetableEntry.create({
        data: {
          schoolId: s.schoolId,
          assignmentId: e.assignmentId,
          weekday,
          slot: e.slot,
          validFrom: e.validFrom,
          room: e.room,
        },
      });
    }
    await materializeLessons(prisma, s.schoolId, today, today);
  }
  return { ...s, today };
}

export { addDays, fromIsoDate, lessonOf };

/** yyyymmdd, as the class-admin callback data carries dates. */
export const dateInt = (d: IsoDate) => Number(d.replaceAll("-", ""));

/** The deep-link codes in a text, in order. */
export function inviteCodes(text: string, username: string): string[] {
  const re = new RegExp(`https://t\\.me/${username}\\?start=([A-Za-z0-9_-]+)`, "g");
  return [...text.matchAll(re)].map((m) => m[1]);
}

/** Someone opens their invite link on their own phone and, for a guardian, agrees to the personal-data notice. */
export async function openInvite(tg: FakeTelegram, code: string): Promise<FakeUser> {
  const person = tg.stranger();
  await person.send(`/start ${code}`);
  if (
    person
      .buttons()
      .flat()
      .some((b) => /Согласен/.test(b))
  )
    await person.tap(/Согласен/);
  return person;
}
