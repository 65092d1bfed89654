// Notices and messages through the delivery engine (issue 5 items 5–6): the outbox dispatcher, the notify
// queue on Redis and a fake Bot API.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localMoment } from "../../src/core/dates.ts";
import { reportAbsence } from "../../src/core/journal/absence-notices.ts";
import { sendMessage } from "../../src/core/messages/index.ts";
import { acknowledgeAnnouncement, announcementStats, createAnnouncement } from "../../src/core/notices/index.ts";
import { NOTICES_MESSAGES_HANDLERS } from "../../src/jobs/modules/notices-messages.ts";
import { announcementCreatedHandler } from "../../src/jobs/notices-messages/announcement-created.ts";
import { createLogger } from "../../src/logger.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { buildSchool, type TestSchool } from "../helpers/factories.ts";
import { type FakeBotApi, startFakeBotApi } from "./helpers/fake-bot-api.ts";
import { waitFor } from "./helpers/fixtures.ts";
import { makeJobs, type TestJobs } from "./helpers/jobs.ts";

describe("notices and messages via the delivery engine", () => {
  let db: TestDb;
  let api: FakeBotApi;
  let t: TestJobs;
  let s: TestSchool;
  let botId: number;
  const chatOf = (personId: number) => 600_000_000 + personId;

  async function link(personId: number) {
    await db.prisma.messengerAccount.create({
      data: {
        schoolId: s.schoolId,
        personId,
        botId,
        telegramUserId: BigInt(chatOf(personId)),
        chatId: BigInt(chatOf(personId)),
        languageCode: "ru",
      },
    });
  }

  beforeAll(async () => {
    db = await createTestDb();
    api = await startFakeBotApi();
    s = await buildSchool(db.prisma, { today: localMoment("Europe/Moscow").date });
    botId = (await db.prisma.bot.create({ data: { schoolId: s.schoolId, username: `nm_bot_${s.schoolId}` } })).id;
    // every 7Б guardian links the bot except the mother of the last child; fathers have not given consent
    for (const st of s.students.c7b.slice(0, -1)) for (const g of s.guardians.get(st)!) await link(g);
    for (const p of [s.people.mathTeacher, s.people.russianTeacher]) await link(p);
    t = makeJobs(
      db,
      "redis",
      { token: "123:TEST", apiRoot: api.apiRoot, botId },
      { handlers: NOTICES_MESSAGES_HANDLERS },
    );
    await t.jobs.startWorkers();
  });
  afterAll(async () => {
    await t.cleanup();
    await api.close();
    await db.drop();
  });

  it("R-24 R-09: a class notice goes once to each linked, consenting recipient; delivered is counted", async () => {
    const math = await s.actor(s.people.mathTeacher);
    const { announcementId, recipients } = await createAnnouncement(db.prisma, math, {
      scope: "CLASS",
      classId: s.classes.c7b,
      audience: "PARENTS",
      text: "Собрание в четверг в 18:00, каб. 101",
      file: { kind: "document", fileId: "F1", name: "повестка.pdf" },
    });
    expect(recipients).toBe(6);
    // the handler's messages: one per receipt, deterministic keys, the «Ознакомлен» and file buttons
    const planned = await announcementCreatedHandler.handle(
      { schoolId: s.schoolId, kind: "announcement.created", payload: { announcementId } },
      { db: db.prisma, now: new Date(), logger: createLogger("silent") },
    );
    expect(planned.map((m) => m.dedupKey).sort()).toEqual(
      s.students.c7b.map((st) => `announcement-${announcementId}-${s.guardians.get(st)![0]}`).sort(),
    );
    expect(planned[0].buttons).toEqual([
      [{ text: "Ознакомлен(а)", action: `nmack:${announcementId}` }],
      [{ text: "📎 Открыть файл", action: `nmfile:${announcementId}` }],
    ]);

    expect(await t.jobs.dispatchOutbox()).toEqual({ rows: 1, messages: 5 }); // the last mother has no account
    await waitFor(
      () => db.prisma.delivery.count({ where: { kind: "announcement.created", status: "SENT" } }),
      (n) => n === 5,
    );
    for (const st of s.students.c7b.slice(0, -1)) {
      const [mother, father] = s.guardians.get(st)!;
      expect(api.byChat(chatOf(mother))).toEqual([
        expect.stringMatching(
          /^📣 Объявление классного руководителя \(7Б класс\)\nМатематиков Пётр Тестович\n\nСобрание в четверг/,
        ),
      ]);
      expect(api.byChat(chatOf(mother))[0]).toContain("📎 Вложение: повестка.pdf");
      expect(api.byChat(chatOf(father))).toEqual([]); // no consent, nothing
    }
    await waitFor(
      () => db.prisma.announcementReceipt.count({ where: { announcementId, deliveredAt: { not: null } } }),
      (n) => n === 5,
    );
    const firstMother = s.guardians.get(s.students.c7b[0])![0];
    await acknowledgeAnnouncement(db.prisma, await s.actor(firstMother), { announcementId });
    expect(await announcementStats(db.prisma, math, { announcementId })).toMatchObject({
      recipients: 6,
      delivered: 5,
      read: 1,
      acknowledged: 1,
    });
    // a second dispatch pass sends nothing again
    expect(await t.jobs.dispatchOutbox()).toEqual({ rows: 0, messages: 0 });
    expect(api.sent.filter((m) => m.text.startsWith("📣"))).toHaveLength(5);
  });

  it("R-22: a parent's message is relayed to the teacher with the child and class, and the reply back to the parent", async () => {
    const child = s.students.c7b[0];
    const mother = s.guardians.get(child)![0];
    const sent = await sendMessage(db.prisma, await s.actor(mother), {
      toPersonId: s.people.russianTeacher,
      studentId: child,
      text: "Добрый день! Можно пересдать диктант?",
    });
    await t.jobs.dispatchOutbox();
    const teacherChat = chatOf(s.people.russianTeacher);
    await waitFor(
      () => api.byChat(teacherChat),
      (m) => m.length === 1,
    );
    expect(api.byChat(teacherChat)[0]).toBe(
      "✉️ Сообщение от родителя: Родитель0 Мария Тестович (Алексеев Артём, 7Б)\n\nДобрый день! Можно пересдать диктант?",
    );
    await sendMessage(db.prisma, await s.actor(s.people.russianTeacher), {
      toPersonId: mother,
      studentId: child,
      text: "Да, в пятницу после уроков.",
      replyToId: sent.correspondenceId,
    });
    await t.jobs.dispatchOutbox();
    await waitFor(
      () => api.byChat(chatOf(mother)),
      (m) => m.length === 2,
    );
    expect(api.byChat(chatOf(mother))[1]).toBe(
      "✉️ Сообщение от учителя: Русакова Елена Тестович (Алексеев Артём)\n\nДа, в пятницу после уроков.",
    );
  });

  it("a parent's absence notice reaches the class teacher", async () => {
    const child = s.students.c7b[1];
    const mother = s.guardians.get(child)![0];
    const today = localMoment("Europe/Moscow").date;
    await reportAbsence(db.prisma, await s.actor(mother), {
      studentId: child,
      from: today,
      to: today,
      reason: "ILLNESS",
      comment: "Температура",
    });
    await t.jobs.dispatchOutbox();
    const chat = chatOf(s.people.mathTeacher);
    await waitFor(
      () => api.byChat(chat),
      (m) => m.some((x) => x.startsWith("🗓")),
    );
    const [y, m, d] = today.split("-");
    expect(api.byChat(chat).find((x) => x.startsWith("🗓"))).toBe(
      `🗓 Родитель сообщает об отсутствии\nРодитель1 Мария Тестович: Белова Анна (7Б) не придёт в школу ${d}.${m}.${y}.\nПричина: болезнь\nКомментарий: Температура`,
    );
  });
});
