// Found in the sandbox walk-through: a substitution was granted but the substitute was never told (the outbox
// row "substitution.granted" had no handler). Now the deputy grants the lesson in the bot, the delivery engine
// tells the substitute, and their button opens the lesson card; a revoked substitution is not announced.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { revokeSubstitution } from "../../../src/core/journal/substitutions.ts";
import { createTestDb, type TestDb } from "../../helpers/db.ts";
import type { TestSchool } from "../../helpers/factories.ts";
import { createFakeTelegram, type FakeTelegram, TEST_BOT_TOKEN } from "../../helpers/telegram.ts";
import { waitFor } from "../../jobs/helpers/fixtures.ts";
import { makeJobs, type TestJobs } from "../../jobs/helpers/jobs.ts";
import { lessonOf, schoolWithLessonsToday } from "./school-setup.ts";

let db: TestDb;
let s: TestSchool & { today: string };
let tg: FakeTelegram;
let jobs: TestJobs;

async function deliver() {
  await jobs.jobs.dispatchOutbox();
  await waitFor(
    () => db.prisma.delivery.count({ where: { status: "PENDING" } }),
    (n) => n === 0,
  );
}

beforeAll(async () => {
  db = await createTestDb();
  s = await schoolWithLessonsToday(db.prisma);
  tg = await createFakeTelegram({ prisma: db.prisma, schoolId: s.schoolId });
  jobs = makeJobs(db, "redis", { token: TEST_BOT_TOKEN, botId: tg.botId, transport: tg.transport });
  await jobs.jobs.startWorkers();
});
afterAll(async () => {
  await jobs.cleanup();
  await db.drop();
});

describe("the substitute learns about the substitution", () => {
  it("deputy grants 7Б algebra in the bot → the substitute gets a message whose button opens the lesson", async () => {
    const substitute = await tg.as(s.people.otherTeacher);
    await substitute.send("/start");
    const deputy = await tg.as(s.people.deputy);
    await deputy.send("/substitute");
    await deputy.tap(/^1 · 7Б Алг/);
    await deputy.tap("Посторонний И.");
    expect(deputy.callbackAnswers().at(-1)).toBe("Замена назначена: Посторонний Игорь.");

    await deliver();
    const [d, m, y] = [s.today.slice(8), s.today.slice(5, 7), s.today.slice(0, 4)];
    expect(substitute.lastText()).toBe(
      `🔁 Вам назначена замена: Алгебра, 7Б класс — ${d}.${m}.${y}, 1-й урок.\nПо расписанию урок ведёт Математиков Пётр Тестович.`,
    );
    await substitute.tap("📘 Открыть урок");
    expect(substitute.lastText()).toContain("Алгебра · 7Б");
    expect(substitute.lastText()).toContain("Вы ведёте этот урок на замене.");
    // the scheduled teacher opening the same lesson sees who teaches it now
    const teacher = await tg.as(s.people.mathTeacher);
    await teacher.send("/today");
    await teacher.tap(/1\. 7Б Алг/);
    expect(teacher.lastText()).toContain("🔁 Замена: урок ведёт Посторонний Игорь.");
    expect(tg.failedCalls()).toEqual([]);
  });

  it("a substitution revoked before it was sent is not announced", async () => {
    const substitute = await tg.as(s.people.otherTeacher);
    const before = substitute.messages.length;
    const deputy = await tg.as(s.people.deputy);
    await deputy.send("/substitute");
    await deputy.tap(/^2 · 8А Алг/);
    await deputy.tap("Посторонний И.");
    const lessonId = await lessonOf(db.prisma, s.assignments.algebra8a, s.today);
    const sub = await db.prisma.substitution.findFirstOrThrow({ where: { lessonId, revokedAt: null } });
    await revokeSubstitution(db.prisma, await s.actor(s.people.deputy), { substitutionId: sub.id });
    await deliver();
    expect(substitute.messages.length).toBe(before);
  });
});
