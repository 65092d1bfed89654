// The lesson-start prompt through the real jobs layer (BullMQ on Redis with a unique prefix, notify worker,
// Delivery ledger) to a faked Telegram: one message per lesson however often the scan runs, none for a teacher
// who switched prompts off. The school's time zone is chosen so that it is midday there now, and the first bell
// rings a minute ago, so the real clock is used throughout.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fromIsoDate, localMoment } from "../../src/core/dates.ts";
import { setLessonPrompt } from "../../src/core/preferences/lesson-prompt.ts";
import { createLessonPromptModule, lessonPromptScanJob } from "../../src/jobs/modules/lesson-prompt.ts";
import { createLogger } from "../../src/logger.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { buildSchool, type TestSchool } from "../helpers/factories.ts";
import { createFakeTelegram, type FakeTelegram, TEST_BOT_TOKEN } from "../helpers/telegram.ts";
import { waitFor } from "./helpers/fixtures.ts";
import { makeJobs, type TestJobs } from "./helpers/jobs.ts";

const hhmm = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;

/** An Etc/GMT zone where it is about noon now (Etc/GMT-3 is UTC+3). */
function middayZone(): string {
  const offset = 12 - new Date().getUTCHours();
  return offset === 0 ? "Etc/GMT" : `Etc/GMT${offset > 0 ? "-" : "+"}${Math.abs(offset)}`;
}

describe("lesson-start prompt job", () => {
  let db: TestDb;
  let s: TestSchool;
  let tg: FakeTelegram;
  let t: TestJobs;
  let algebra7b: number;
  let russian8a: number;

  beforeAll(async () => {
    db = await createTestDb();
    const tz = middayZone();
    const local = localMoment(tz);
    s = await buildSchool(db.prisma, { today: local.date, studentsPerClass: 3 });
    await db.prisma.school.update({ where: { id: s.schoolId }, data: { timezone: tz } });
    await db.prisma.bellSlot.updateMany({
      where: { schoolId: s.schoolId, number: 1 },
      data: { startsAt: hhmm(local.minutes - 1), endsAt: hhmm(local.minutes + 44) },
    });
    // today's first lessons (also on a weekend, when the fixture's timetable has none)
    const lesson = (assignmentId: number) =>
      db.prisma.lesson.upsert({
        where: { assignmentId_date_slot: { assignmentId, date: fromIsoDate(local.date), slot: 1 } },
        create: { schoolId: s.schoolId, assignmentId, date: fromIsoDate(local.date), slot: 1, room: "101" },
        update: {},
      });
    algebra7b = (await lesson(s.assignments.algebra7b)).id;
    russian8a = (await lesson(s.assignments.russian8a)).id;

    tg = await createFakeTelegram({ prisma: db.prisma, schoolId: s.schoolId });
    await tg.as(s.people.mathTeacher);
    await tg.as(s.people.russianTeacher);
    await setLessonPrompt(db.prisma, await s.actor(s.people.russianTeacher), { enabled: false });

    const module = createLessonPromptModule({ prisma: db.prisma, logger: createLogger("silent") });
    t = makeJobs(
      db,
      "redis",
      { token: TEST_BOT_TOKEN, botId: tg.botId, transport: tg.transport },
      {
        jobs: { definitions: module.definitions, processors: module.processors, schedules: module.schedules },
        handlers: module.handlers,
      },
    );
    await t.jobs.startWorkers();
  });
  afterAll(async () => {
    await t?.cleanup();
    await db.drop();
  });

  it("is scheduled every minute per school", () => {
    const module = createLessonPromptModule({ prisma: db.prisma, logger: createLogger("silent") });
    expect(module.schedules).toEqual([
      { id: "lesson-prompt", job: lessonPromptScanJob, every: 60_000, perSchool: true },
    ]);
  });

  it("sends one prompt per lesson when the scan runs twice, and none to a teacher who turned prompts off", async () => {
    await t.jobs.enqueue(lessonPromptScanJob.name, { schoolId: s.schoolId });
    await t.jobs.enqueue(lessonPromptScanJob.name, { schoolId: s.schoolId });
    const key = `lesson-prompt-${algebra7b}`;
    await waitFor(
      () => db.prisma.delivery.findUnique({ where: { dedupKey: key } }),
      (d) => d?.status === "SENT",
    );
    // a third scan after the send, and the queues drained
    await t.jobs.enqueue(lessonPromptScanJob.name, { schoolId: s.schoolId });
    await waitFor(
      () => t.jobs.counts(),
      (c) => c.maintenance.waiting + c.maintenance.active + c.notify.waiting + c.notify.active + c.notify.delayed === 0,
    );
    const math = tg.emulator.chats.get(700_000_000 + s.people.mathTeacher)!;
    const prompts = math.messages.filter((m) => m.text?.startsWith("🔔"));
    expect(prompts).toHaveLength(1);
    expect(prompts[0].text).toContain("Алгебра · 7Б, каб. 101");
    expect(prompts[0].reply_markup?.inline_keyboard.flat().map((b) => b.text)).toEqual([
      "✅ Все на месте",
      "👥 Отметить отсутствующих",
      "🔕 Не присылать напоминания",
    ]);
    const russian = tg.emulator.chats.get(700_000_000 + s.people.russianTeacher)!;
    expect(russian.messages).toEqual([]);
    expect(await db.prisma.delivery.count()).toBe(1);
    expect((await db.prisma.lesson.findUniqueOrThrow({ where: { id: algebra7b } })).promptSentAt).not.toBeNull();
    expect((await db.prisma.lesson.findUniqueOrThrow({ where: { id: russian8a } })).promptSentAt).toBeNull();
  });
});
