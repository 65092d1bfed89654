// The school's default quiet hours (school settings) hold for a guardian who never chose their own; a guardian's
// own choice wins.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localMoment } from "../../src/core/dates.ts";
import { guardiansOf } from "../../src/jobs/outbox-handlers/recipients.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { buildSchool, type TestSchool } from "../helpers/factories.ts";

describe("default quiet hours", () => {
  let db: TestDb;
  let s: TestSchool;
  beforeAll(async () => {
    db = await createTestDb();
    s = await buildSchool(db.prisma, { today: localMoment("Europe/Moscow").date });
  });
  afterAll(() => db.drop());

  it("a guardian without preferences keeps the school's quiet hours; their own choice wins", async () => {
    const [first, second] = s.students.c7b;
    const [m1] = s.guardians.get(first)!;
    const [m2] = s.guardians.get(second)!;
    const bot = await db.prisma.bot.create({ data: { schoolId: s.schoolId, username: "quiet_bot" } });
    for (const [i, personId] of [m1, m2].entries()) {
      await db.prisma.messengerAccount.create({
        data: { schoolId: s.schoolId, personId, botId: bot.id, telegramUserId: BigInt(50 + i), chatId: BigInt(50 + i) },
      });
    }
    await db.prisma.school.update({
      where: { id: s.schoolId },
      data: { settings: { quietHoursDefault: { from: "22:00", to: "08:00" } } },
    });
    await db.prisma.preference.create({
      data: { schoolId: s.schoolId, personId: m2, quietFrom: "20:00", quietTo: "06:30" },
    });
    const [g1] = await guardiansOf(db.prisma, s.schoolId, first);
    expect(g1.prefs).toMatchObject({ quietFrom: "22:00", quietTo: "08:00" });
    const [g2] = await guardiansOf(db.prisma, s.schoolId, second);
    expect(g2.prefs).toMatchObject({ quietFrom: "20:00", quietTo: "06:30" });
  });
});
