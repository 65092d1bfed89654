// R-24 in the bot: a notice sent before any family joined says who was reached (nobody yet) instead of "sent to
// 6"; a family joining later finds it in /news, acknowledges it, and the author's counts include them; the
// first digest brings it too. The administration keeps a school calendar that families and staff see.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemActor } from "../../../src/core/actor.ts";
import { addDays, localMoment } from "../../../src/core/dates.ts";
import { composeDailyDigest } from "../../../src/core/digest/compose-daily.ts";
import { announcementStats } from "../../../src/core/notices/index.ts";
import { translator } from "../../../src/i18n.ts";
import { createTestDb, type TestDb } from "../../helpers/db.ts";
import { buildSchool, type TestSchool } from "../../helpers/factories.ts";
import { createFakeTelegram, type FakeTelegram } from "../../helpers/telegram.ts";

const ru = translator("ru");
let db: TestDb;
let s: TestSchool;
let tg: FakeTelegram;
let today: string;

beforeAll(async () => {
  db = await createTestDb();
  today = localMoment("Europe/Moscow").date;
  s = await buildSchool(db.prisma, { today });
  tg = await createFakeTelegram({ prisma: db.prisma, schoolId: s.schoolId });
});
afterAll(async () => {
  await db.drop();
});

describe("R-24 news and the school calendar", () => {
  let announcementId: number;
  const mother = () => s.guardians.get(s.students.c7b[0])![0];

  it("R-24: a notice before any family joined says nobody is reached yet and who is not connected", async () => {
    const teacher = await tg.as(s.people.mathTeacher);
    await teacher.send("/notice");
    await teacher.tap("📝 Новое объявление");
    await teacher.tap("Родителям");
    await teacher.send("Собрание в четверг в 18:00.");
    await teacher.tap("Без файла");
    expect(teacher.lastText()).toContain("Получателей: 6\nИз них в боте: 0; ещё не подключены: 6");
    await teacher.tap("✅ Отправить");
    const sent = teacher.lastText();
    expect(sent).not.toContain("отправлено: 6");
    expect(sent).toContain("Получателей: 6.\nСообщение отправлено сейчас: 0.\nЕщё не подключены к боту: 6");
    announcementId = (await db.prisma.announcement.findFirstOrThrow()).id;
  });

  it("R-24: a family joining later finds the notice in /news and acknowledges it; the counts include them", async () => {
    const parent = await tg.as(mother());
    await parent.send("/news");
    const texts = parent.texts();
    expect(texts.some((t) => t.startsWith("📰 Новости и календарь школы"))).toBe(true);
    expect(texts.some((t) => t.includes("Актуальные объявления (за две недели): 1"))).toBe(true);
    expect(parent.lastText()).toContain("📣 Объявление классного руководителя (7Б класс)");
    expect(parent.lastText()).toContain("Собрание в четверг в 18:00.");
    await parent.tap(ru("notices:ann.ack"));
    expect(parent.callbackAnswers().at(-1)).toBe(ru("notices:ann.ackDone"));
    const stats = await announcementStats(db.prisma, await s.actor(s.people.mathTeacher), { announcementId });
    expect(stats).toMatchObject({ recipients: 6, acknowledged: 1, notConnected: 5 });
    // a family of another class does not see it
    const other = await tg.as(s.guardians.get(s.students.c8a[0])![0]);
    await other.send("/news");
    expect(other.lastText()).toBe(ru("school-year:news.noNotices"));
    expect(tg.failedCalls()).toEqual([]);
  });

  it("R-24: the first digest of a late-joining family brings the notice still current", async () => {
    const lateMother = s.guardians.get(s.students.c7b[1])![0];
    await tg.as(lateMother);
    const tomorrow = addDays(today, 1);
    const digest = await composeDailyDigest(db.prisma, systemActor(s.schoolId), {
      schoolId: s.schoolId,
      guardianId: lateMother,
      studentId: s.students.c7b[1],
      date: tomorrow,
    });
    expect(digest?.notices.map((n) => n.announcementId)).toEqual([announcementId]);
    // a family that already had its digests gets only the day's notices
    await db.prisma.delivery.create({
      data: {
        schoolId: s.schoolId,
        dedupKey: "digest-test-old",
        chatId: 1,
        personId: lateMother,
        kind: "digest.daily",
        status: "SENT",
        sentAt: new Date(Date.now() - 3 * 86_400_000),
      },
    });
    const again = await composeDailyDigest(db.prisma, systemActor(s.schoolId), {
      schoolId: s.schoolId,
      guardianId: lateMother,
      studentId: s.students.c7b[1],
      date: tomorrow,
    });
    expect(again?.notices).toEqual([]);
  });

  it("R-24: the administration adds a parents' meeting of 7Б; its families and staff see it, 8А's do not", async () => {
    const deputy = await tg.as(s.people.deputy);
    await deputy.send("/news");
    expect(deputy.lastText()).toContain("В календаре пока нет событий.");
    await deputy.tap("➕ Добавить событие");
    await deputy.tap("👥 Собрание");
    await deputy.tap("7Б");
    const day = addDays(today, 3);
    const dotted = `${day.slice(8, 10)}.${day.slice(5, 7)}.${day.slice(0, 4)}`;
    await deputy.send(`${dotted} 18:00`);
    await deputy.send("Родительское собрание по итогам четверти");
    expect(deputy.lastText()).toContain(`Событие добавлено в календарь: ${dotted} 18:00 — Родительское собрание`);

    const parent = await tg.as(mother());
    await parent.send("/news");
    const calendar = parent.texts().findLast((t) => t.startsWith("📰"))!;
    expect(calendar).toMatch(/• .+ 18:00 — 👥 Родительское собрание по итогам четверти \(7Б\)/);
    const other = await tg.as(s.guardians.get(s.students.c8a[0])![0]);
    await other.send("/news");
    expect(other.texts().findLast((t) => t.startsWith("📰"))).toContain("В календаре пока нет событий.");
    const teacher = await tg.as(s.people.otherTeacher);
    await teacher.send("/news");
    expect(teacher.lastText()).toContain("Родительское собрание по итогам четверти (7Б)");
  });

  it("refuses a teacher adding an event by a forged button, and adds nothing", async () => {
    const teacher = await tg.as(s.people.otherTeacher);
    await teacher.press("syevn", teacher.lastMessage());
    expect(teacher.lastText()).toBe(ru("errors:FORBIDDEN"));
    expect(await db.prisma.schoolEvent.count()).toBe(1);
  });
});
