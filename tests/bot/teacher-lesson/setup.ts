// A school for the teacher-lesson bot tests: 30 students per class, the clock pinned to a Wednesday at 08:35
// in Moscow (7Б algebra, 1st lesson, is in progress), the real bot with Telegram faked.
import { vi } from "vitest";
import { addDays, type IsoDate, weekStart, zonedInstant } from "../../../src/core/dates.ts";
import { createLogger } from "../../../src/logger.ts";
import { createTestDb, type TestDb } from "../../helpers/db.ts";
import { buildSchool, lessonOf, type TestSchool } from "../../helpers/factories.ts";
import { createFakeTelegram, type FakeTelegram, type FakeUser } from "../../helpers/telegram.ts";

export interface TeacherWorld {
  db: TestDb;
  s: TestSchool;
  tg: FakeTelegram;
  wednesday: IsoDate;
  /** Today's 7Б algebra (1st lesson, in progress) and 8А algebra (2nd), both the math teacher's. */
  algebra7b: number;
  algebra8a: number;
  /** 7Б russian (2nd lesson): another teacher's, readable by the math teacher as 7Б's class teacher. */
  russian7b: number;
  /** 8А russian (1st lesson): another teacher's in a class the math teacher does not lead. */
  russian8a: number;
  /** Moves the pinned clock to a school-local time on a date. */
  at(date: IsoDate, hhmm: string): void;
}

export async function teacherWorld(): Promise<TeacherWorld> {
  vi.useFakeTimers({ toFake: ["Date"] });
  const wednesday = addDays(weekStart(new Date().toISOString().slice(0, 10)), 2);
  const at = (date: IsoDate, hhmm: string) => vi.setSystemTime(zonedInstant("Europe/Moscow", date, hhmm));
  at(wednesday, "08:35");
  const db = await createTestDb();
  const s = await buildSchool(db.prisma, { today: wednesday, studentsPerClass: 30 });
  const tg = await createFakeTelegram({
    prisma: db.prisma,
    schoolId: s.schoolId,
    logger: createLogger(process.env.TEST_LOG_LEVEL ?? "silent"),
  });
  return {
    db,
    s,
    tg,
    wednesday,
    algebra7b: await lessonOf(db.prisma, s.assignments.algebra7b, wednesday),
    algebra8a: await lessonOf(db.prisma, s.assignments.algebra8a, wednesday),
    russian7b: await lessonOf(db.prisma, s.assignments.russian7b, wednesday),
    russian8a: await lessonOf(db.prisma, s.assignments.russian8a, wednesday),
    at,
  };
}

/** Counts the taps a person makes (inline buttons pressed). */
export class TapCounter {
  count = 0;
  constructor(readonly user: FakeUser) {}
  async tap(what: string | RegExp): Promise<void> {
    this.count++;
    await this.user.tap(what);
  }
}

/** Inline buttons of the last message, flattened. */
export function flatButtons(user: FakeUser): string[] {
  return user.buttons().flat();
}
