// School settings from the bot: the director changes the correction window, a threshold,
// the grades without marks and the rights of a role; each change is audited and takes effect (the deputy without
// «Закрытие периодов» can no longer reach /periods). A teacher and forged buttons change nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { schoolSettingCallback } from "../../../src/bot/features/school-settings/index.ts";
import { can } from "../../../src/core/access/permissions.ts";
import { actorForPerson } from "../../../src/core/accounts/actor-for-person.ts";
import { getSchool } from "../../../src/core/settings.ts";
import { createTestDb, type TestDb } from "../../helpers/db.ts";
import { buildSchool, type TestSchool } from "../../helpers/factories.ts";
import { createFakeTelegram, type FakeTelegram, type FakeUser } from "../../helpers/telegram.ts";

let db: TestDb;
let s: TestSchool;
let tg: FakeTelegram;
let director: FakeUser;
let deputy: FakeUser;

const settings = async () => (await getSchool(db.prisma, s.schoolId)).settings;
const audits = () =>
  db.prisma.auditEvent.findMany({
    where: { schoolId: s.schoolId, action: "school.settings.update" },
    orderBy: { id: "asc" },
  });
const press = (user: FakeUser, action: string, value: string) =>
  user.press(schoolSettingCallback.encode({ action, value }));

beforeAll(async () => {
  db = await createTestDb();
  s = await buildSchool(db.prisma);
  tg = await createFakeTelegram({ prisma: db.prisma, schoolId: s.schoolId });
  director = await tg.as(s.people.director);
  deputy = await tg.as(s.people.deputy);
}, 120_000);
afterAll(async () => {
  await db?.drop();
});

describe("R-07 R-14 R-15 R-16: the school's settings from the bot", () => {
  it("a teacher is refused; a forged button from them changes nothing", async () => {
    const teacher = await tg.as(s.people.mathTeacher);
    await teacher.send("/school_settings");
    expect(teacher.lastText()).toContain("меняют директор и администратор");
    await teacher.send("/terms");
    await press(teacher, "window", "up");
    expect(teacher.callbackAnswers().at(-1)).toContain("меняют директор и администратор");
    expect((await settings()).correctionWindowDays).toBe(7);
    expect(await audits()).toHaveLength(0);
  });

  it("the director sees the settings and changes the window, a threshold and the grades without marks (audited)", async () => {
    await director.send("/school_settings");
    const text = director.lastText();
    expect(text).toContain("⚙️ Настройки школы");
    expect(text).toContain("Тихое исправление опечатки: 10 минут");
    expect(text).toContain("Окно исправления отметки учителем: 7 дней");
    expect(text).toContain("Итоговые — в течение 2 дней после конца периода");
    expect(text).toContain("Пороги итоговой: «5» от 4,6; «4» от 3,6; «3» от 2,6; «2» от 0");
    expect(text).toContain("Классы без отметок: 1, 2");
    await director.tap("Окно исправления −1 дн.");
    expect(director.lastText()).toContain("Окно исправления отметки учителем: 6 дней");
    await director.tap("Порог «5» −0,1");
    expect(director.lastText()).toContain("«5» от 4,5");
    await director.tap("✓ 2 кл.");
    expect(director.lastText()).toContain("Классы без отметок: 1");
    const now = await settings();
    expect(now.correctionWindowDays).toBe(6);
    expect(now.thresholds.find((t) => t.mark === "5")?.min).toBe(4.5);
    expect(now.gradesWithoutMarks).toEqual([1]);
    const log = await audits();
    expect(log.map((a) => a.data)).toEqual([
      { correctionWindowDays: { old: 7, new: 6 }, source: "bot" },
      expect.objectContaining({ thresholds: expect.any(Object), source: "bot" }),
      { gradesWithoutMarks: { old: [1, 2], new: [1] }, source: "bot" },
    ]);
    expect(log.every((a) => a.actorId === s.people.director)).toBe(true);
  });

  it("a value out of range is refused and nothing is written", async () => {
    await director.send("/school_settings");
    await director.tap("Опечатка −5 мин");
    await director.tap("Опечатка −5 мин");
    expect((await settings()).graceMinutes).toBe(0);
    const before = (await audits()).length;
    await director.tap("Опечатка −5 мин");
    expect(director.callbackAnswers().at(-1)).toContain("недопустимо");
    expect((await settings()).graceMinutes).toBe(0);
    await press(director, "wt", "nosuch.up");
    await press(director, "p_STUDENT", "0");
    expect((await audits()).length).toBe(before);
  });

  it("R-07: the director takes «Закрытие периодов» from the deputy: /periods is refused to them from then on", async () => {
    await deputy.send("/periods");
    expect(deputy.lastText()).toContain("🗓 Периоды учебного года");
    await director.send("/school_settings");
    await director.tap("🔐 Права ролей");
    expect(director.lastText()).toContain("Завуч: 15 прав");
    await director.tap("Завуч");
    expect(director.lastText()).toContain("Права роли «Завуч»");
    await director.tap("✓ Закрытие периодов");
    expect(director.buttons().flat()).toContain("✗ Закрытие периодов");
    expect((await settings()).rolePermissions.DEPUTY).not.toContain("period.close");
    // the deputy also holds ADMIN in the fixture: take it from the administrator role too
    await director.tap("‹ Назад");
    await director.tap("Администратор");
    await director.tap("✓ Закрытие периодов");
    const actor = await actorForPerson(db.prisma, s.people.deputy);
    expect(can(actor, "period.close")).toBe(false);
    expect(can(actor, "journal.read.all")).toBe(true);
    await deputy.send("/periods");
    expect(deputy.lastText()).toContain("Закрывать периоды может только администрация школы");
    // never locked out: the director keeps the right to change settings
    expect(can(await actorForPerson(db.prisma, s.people.director), "school.settings")).toBe(true);
    expect(tg.failedCalls()).toEqual([]);
  });
});
