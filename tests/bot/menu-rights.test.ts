// The menu follows the school's rights per role, not the role's name: a teacher the school lets see the
// school's reports gets «📊 Отчёты»; a deputy the school takes the journal and the reports from loses «🏫 Школа
// сегодня» and «📊 Отчёты», and /help no longer offers them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Permission } from "../../src/core/access/permissions.ts";
import { localMoment } from "../../src/core/dates.ts";
import { updateSchoolSettings } from "../../src/core/school-settings/update-school-settings.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { buildSchool, type TestSchool } from "../helpers/factories.ts";
import { createFakeTelegram, type FakeTelegram } from "../helpers/telegram.ts";

let db: TestDb;
let s: TestSchool;
let tg: FakeTelegram;

beforeAll(async () => {
  db = await createTestDb();
  s = await buildSchool(db.prisma, { today: localMoment("Europe/Moscow").date });
  tg = await createFakeTelegram({ prisma: db.prisma, schoolId: s.schoolId });
});
afterAll(async () => {
  await db.drop();
});

describe("the menu and the school's rights per role", () => {
  it("by default: the director has the school's day, the reports and the students; a teacher her day", async () => {
    const director = await tg.as(s.people.director);
    await director.send("/start");
    expect(director.replyKeyboard()).toEqual([["🏫 Школа сегодня", "📊 Отчёты", "👤 Ученики"], ["⚙️ Настройки"]]);
    const teacher = await tg.as(s.people.otherTeacher);
    await teacher.send("/start");
    expect(teacher.replyKeyboard()).toEqual([["📋 Мой день"], ["⚙️ Настройки"]]);
  });

  it("given report.school, a teacher gets the reports; without the journal and the reports, a deputy loses both", async () => {
    const rights: Permission[] = ["student.read.all", "substitution.grant"];
    await updateSchoolSettings(
      db.prisma,
      { personId: s.people.director, schoolId: s.schoolId, roles: ["DIRECTOR"] },
      { rolePermissions: { TEACHER: ["report.school"], DEPUTY: rights, ADMIN: rights } },
    );
    const teacher = await tg.as(s.people.otherTeacher);
    await teacher.send("/start");
    expect(teacher.replyKeyboard()).toEqual([["📋 Мой день", "📊 Отчёты"], ["⚙️ Настройки"]]);
    await teacher.tap("📊 Отчёты");
    expect(teacher.lastText()).not.toContain("Нет доступа");

    const deputy = await tg.as(s.people.deputy);
    await deputy.send("/start");
    expect(deputy.replyKeyboard()).toEqual([["👤 Ученики"], ["⚙️ Настройки"]]);
    await deputy.send("/help");
    expect(deputy.lastText()).not.toContain("Школа сегодня");
    await deputy.send("/lessons");
    expect(deputy.lastText()).toContain("Нет доступа");
    expect(tg.failedCalls()).toEqual([]);
  });
});
