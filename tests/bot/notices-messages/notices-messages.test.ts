// Notices and messages as people use them in the bot (issue 5 items 5–6): the real bot and core, a fake
// Telegram (the sandbox emulator), and the real delivery engine (Redis queue) sending into the same emulator.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, localMoment } from "../../../src/core/dates.ts";
import { translator } from "../../../src/i18n.ts";
import { NOTICES_MESSAGES_HANDLERS } from "../../../src/jobs/modules/notices-messages.ts";
import { createTestDb, type TestDb } from "../../helpers/db.ts";
import { buildSchool, type TestSchool } from "../../helpers/factories.ts";
import { createFakeTelegram, type FakeTelegram, TEST_BOT_TOKEN, telegramIdOf } from "../../helpers/telegram.ts";
import { waitFor } from "../../jobs/helpers/fixtures.ts";
import { makeJobs, type TestJobs } from "../../jobs/helpers/jobs.ts";

const WRITE = "✉️ Написать";
const FORBIDDEN = "Нет доступа. Если это ошибка, обратитесь к администратору журнала.";

describe("notices and messages in the bot", () => {
  let db: TestDb;
  let s: TestSchool;
  let tg: FakeTelegram;
  let jobs: TestJobs;
  let today: string;
  const mothers = () => s.students.c7b.map((st) => s.guardians.get(st)![0]);

  /** Runs the delivery engine until every message it dispatched has been sent into the fake Telegram. */
  async function deliver() {
    await jobs.jobs.dispatchOutbox();
    await waitFor(
      () => db.prisma.delivery.count({ where: { status: "PENDING" } }),
      (n) => n === 0,
    );
  }

  beforeAll(async () => {
    db = await createTestDb();
    today = localMoment("Europe/Moscow").date;
    s = await buildSchool(db.prisma, { today });
    tg = await createFakeTelegram({ prisma: db.prisma, schoolId: s.schoolId });
    jobs = makeJobs(
      db,
      "redis",
      { token: TEST_BOT_TOKEN, botId: tg.botId, transport: tg.transport },
      { handlers: NOTICES_MESSAGES_HANDLERS },
    );
    await jobs.jobs.startWorkers();
  });
  afterAll(async () => {
    await jobs.cleanup();
    await db.drop();
  });

  it("R-24: a class teacher writes a notice (preview, send); a parent acknowledges; the stats show 1 acknowledged and the rest by name", async () => {
    const teacher = await tg.as(s.people.mathTeacher);
    const [m0, m1, m2] = await Promise.all(
      mothers()
        .slice(0, 3)
        .map((p) => tg.as(p)),
    );
    await teacher.send("/notice");
    await teacher.tap("📝 Новое объявление");
    // the class teacher of one class goes straight to the audience
    expect(teacher.lastText()).toBe("Кто получит объявление?");
    await teacher.tap("Родителям");
    expect(teacher.lastText()).toContain("Напишите текст объявления");
    await teacher.send("Уважаемые родители! Собрание в четверг в 18:00, кабинет 101.");
    expect(teacher.lastText()).toContain("Прикрепите файл");
    await teacher.tap("Без файла");
    expect(teacher.lastText()).toContain("Кому: 7Б класс, родителям\nПолучателей: 6");
    expect(teacher.lastText()).toContain("Собрание в четверг в 18:00");
    expect(await db.prisma.announcement.count()).toBe(0); // nothing sent before «Отправить»
    await teacher.tap("✅ Отправить");
    // three of the six mothers use the bot; the others are counted as not connected yet
    expect(teacher.lastText()).toContain(
      "Получателей: 6.\nСообщение отправлено сейчас: 3.\nЕщё не подключены к боту: 3",
    );

    await deliver();
    for (const m of [m0, m1, m2]) {
      expect(m.lastText()).toMatch(
        /^📣 Объявление классного руководителя \(7Б класс\)\nМатематиков Пётр Тестович\n\nУважаемые/,
      );
      expect(m.buttons()).toEqual([["Ознакомлен(а)"]]);
    }
    await m1.tap("Ознакомлен(а)");
    expect(m1.buttons()).toEqual([["✓ Ознакомлен(а)"]]);
    expect(m1.callbackAnswers()).toContain("Спасибо, отметили: вы ознакомились.");
    await m1.tap("✓ Ознакомлен(а)"); // a second tap changes nothing
    expect(m1.callbackAnswers()).toContain("Вы уже отметили, что ознакомились.");

    await teacher.tap("📊 Мои объявления");
    expect(teacher.lastText()).toContain("Ваши последние объявления");
    await teacher.tap(/1\/6/);
    const stats = teacher.lastText();
    expect(stats).toContain("Получателей: 6\nДоставлено: 3\nПрочитано: 1\nОзнакомились: 1");
    expect(stats).toContain("Не ознакомились:");
    expect(stats).toContain("• Родитель0 Мария (родитель: Алексеев Артём)");
    expect(stats).not.toContain("Родитель1 Мария");
    for (const k of [2, 3, 4, 5]) expect(stats).toContain(`Родитель${k} Мария`);
    expect(stats).toContain("Telegram не сообщает боту о прочтении");
    await teacher.tap("🔄 Обновить"); // nothing changed: no «message is not modified»
    expect(tg.failedCalls()).toEqual([]);
  });

  it("R-24: the administration posts to a parallel, with a document; opening the file counts as read", async () => {
    const deputy = await tg.as(s.people.deputy);
    const m3 = await tg.as(mothers()[3]);
    await deputy.send("/notice");
    await deputy.tap("📝 Новое объявление");
    expect(deputy.buttons().flat()).toEqual(["🏫 Вся школа", "Параллель…", "Отменить"]);
    await deputy.tap("Параллель…");
    await deputy.tap("7-е классы");
    await deputy.tap("Родителям и ученикам");
    await deputy.sendDocument({ bytes: "%PDF-1.4 plan", filename: "план.pdf", caption: "План экскурсии" });
    expect(deputy.lastText()).toContain("Получателей: 12");
    expect(deputy.lastText()).toContain("Вложение: план.pdf");
    await deputy.tap("✅ Отправить");
    await deliver();
    expect(m3.lastText()).toMatch(/^📣 Объявление школы \(7-е классы\)\nЗавучева Нина Тестович\n\nПлан экскурсии/);
    await m3.tap("📎 Открыть файл");
    expect(m3.lastMessage()?.document?.file_name).toBe("план.pdf");
    const a = await db.prisma.announcement.findFirstOrThrow({ where: { authorId: s.people.deputy } });
    const receipt = await db.prisma.announcementReceipt.findFirstOrThrow({
      where: { announcementId: a.id, personId: mothers()[3] },
    });
    expect(receipt.readAt).not.toBeNull();
    expect(receipt.acknowledgedAt).toBeNull();
  });

  it("R-22: a parent writes to the math teacher, the teacher replies, the parent receives the reply; no Telegram accounts shown", async () => {
    const mother = await tg.as(mothers()[0], { firstName: "OlgaTG" });
    const teacher = await tg.as(s.people.mathTeacher, { firstName: "PetrTG" });
    await mother.send(WRITE);
    await mother.tap("✉️ Написать учителю");
    expect(mother.lastText()).toBe("Кому написать? (Алексеев Артём, 7Б)");
    expect(mother.buttons().flat()).not.toContain(expect.stringContaining("Посторонний"));
    await mother.tap(/^Математиков Пётр Тестович — классный руководитель, Алгебра$/);
    expect(mother.lastText()).toContain("Кому: Математиков Пётр Тестович.\nНапишите текст одним сообщением");
    await mother.send("Здравствуйте! Артём болел, можно переписать контрольную?");
    expect(mother.lastText()).toBe("Сообщение отправлено. Получатель: Математиков Пётр Тестович.");

    await deliver();
    expect(teacher.lastText()).toBe(
      "✉️ Сообщение от родителя: Родитель0 Мария Тестович (Алексеев Артём, 7Б)\n\nЗдравствуйте! Артём болел, можно переписать контрольную?",
    );
    await teacher.tap("↩️ Ответить");
    expect(teacher.lastText()).toContain("Ответ: Родитель0 Мария Тестович (Алексеев Артём).");
    await teacher.send("Да, в пятницу после шестого урока.");
    expect(teacher.lastText()).toBe("Сообщение отправлено. Получатель: Родитель0 Мария Тестович.");

    await deliver();
    expect(mother.lastText()).toBe(
      "✉️ Сообщение от учителя: Математиков Пётр Тестович (Алексеев Артём)\n\nДа, в пятницу после шестого урока.",
    );
    const everything = [...mother.texts(), ...teacher.texts()].join("\n");
    for (const secret of [
      "OlgaTG",
      "PetrTG",
      String(telegramIdOf(mothers()[0])),
      String(telegramIdOf(s.people.mathTeacher)),
    ]) {
      expect(everything).not.toContain(secret);
    }
    const stored = await db.prisma.correspondence.findMany({ orderBy: { id: "asc" } });
    expect(stored.map((c) => [c.fromPersonId, c.toPersonId, c.studentId])).toEqual([
      [mothers()[0], s.people.mathTeacher, s.students.c7b[0]],
      [s.people.mathTeacher, mothers()[0], s.students.c7b[0]],
    ]);
    // the correspondence is there to read later
    await mother.send(WRITE);
    await mother.tap("📨 Переписка");
    await mother.tap(/Математиков Пётр Тестович · Алексеев Артём/);
    expect(mother.lastText()).toContain("Вы: Здравствуйте! Артём болел");
    expect(mother.lastText()).toContain("Математиков Пётр Тестович: Да, в пятницу");
  });

  it("a parent reports an absence for tomorrow; the class teacher is told and confirms", async () => {
    const mother = await tg.as(mothers()[1]);
    const teacher = await tg.as(s.people.mathTeacher);
    await mother.send(WRITE);
    await mother.tap("🤒 Сообщить об отсутствии");
    expect(mother.lastText()).toBe("В какие дни ребёнка не будет в школе? (Белова Анна)");
    await mother.tap("Завтра");
    await mother.tap("Болезнь");
    await mother.tap("Без комментария");
    const tomorrow = addDays(today, 1);
    const shown = tomorrow.split("-").reverse().join(".");
    expect(mother.lastText()).toBe(
      `Готово. Классный руководитель получил сообщение: Белова Анна не придёт в школу ${shown}.\nПричина: Болезнь`,
    );
    const notice = await db.prisma.absenceNotice.findFirstOrThrow({ where: { studentId: s.students.c7b[1] } });
    expect(notice).toMatchObject({ reason: "ILLNESS", reportedById: mothers()[1], comment: null });
    expect(notice.fromDate.toISOString().slice(0, 10)).toBe(tomorrow);

    await deliver();
    expect(teacher.lastText()).toBe(
      `🗓 Родитель сообщает об отсутствии\nРодитель1 Мария Тестович: Белова Анна (7Б) не придёт в школу ${shown}.\nПричина: болезнь`,
    );
    await teacher.tap("✅ Подтвердить");
    expect(teacher.buttons()).toEqual([["✓ Подтверждено"]]);
    expect((await db.prisma.absenceNotice.findUniqueOrThrow({ where: { id: notice.id } })).confirmedById).toBe(
      s.people.mathTeacher,
    );
  });

  it("a parent types other dates and an «other» reason with a comment", async () => {
    const mother = await tg.as(mothers()[2]);
    await mother.send(WRITE);
    await mother.tap("🤒 Сообщить об отсутствии");
    await mother.tap("Другие даты");
    await mother.send("когда-нибудь");
    expect(mother.lastText()).toContain("Не понял даты");
    const [from, to] = [addDays(today, 2), addDays(today, 3)];
    const typed = (iso: string) => iso.slice(5).split("-").reverse().join(".");
    await mother.send(`${typed(from)}–${typed(to)}`);
    await mother.tap("Другое");
    expect(mother.lastText()).toBe("Коротко напишите причину для классного руководителя.");
    await mother.send("Соревнования по плаванию");
    // the parent reads back what they wrote, not the journal's "уважительная причина" it is filed under
    expect(mother.lastText()).toContain("\nПричина: Соревнования по плаванию");
    const notice = await db.prisma.absenceNotice.findFirstOrThrow({ where: { studentId: s.students.c7b[2] } });
    expect(notice).toMatchObject({ reason: "EXCUSED", comment: "Соревнования по плаванию" });
    expect([notice.fromDate.toISOString().slice(0, 10), notice.toDate.toISOString().slice(0, 10)]).toEqual([from, to]);
  });

  it("a command or a menu button leaves a conversation; «Отменить» sends nothing", async () => {
    const teacher = await tg.as(s.people.russianTeacher);
    await teacher.send("/notice");
    await teacher.tap("📝 Новое объявление");
    expect(teacher.lastText()).toBe("Кому объявление?"); // leads 2А and 8А
    await teacher.tap("Класс 8А");
    await teacher.tap("Отменить");
    expect(teacher.lastText()).toBe("Отменено, ничего не отправлено.");
    const mother = await tg.as(mothers()[4]);
    await mother.send(WRITE);
    await mother.tap("✉️ Написать учителю");
    await mother.send(WRITE); // the menu button again: the conversation ends, the menu is shown
    expect(mother.lastText()).toBe("Что хотите сделать?");
    await mother.send("Просто текст"); // no conversation takes it any more
    expect(await db.prisma.correspondence.count({ where: { text: "Просто текст" } })).toBe(0);
    expect(await db.prisma.announcement.count({ where: { authorId: s.people.russianTeacher } })).toBe(0);
  });

  it("only guardians have «✉️ Написать»: a student or a teacher typing it is not offered the parents' menu", async () => {
    const student = await tg.as(s.studentPerson.get(s.students.c7b[0])!);
    await student.send("/start");
    expect(student.replyKeyboard()?.flat()).not.toContain(WRITE);
    await student.send(WRITE);
    expect(student.lastText()).toBe(translator("ru")("bot:unhandled.linked"));
    expect(student.buttons()).toEqual([]);
    await student.send("/class");
    expect(student.lastText()).toBe(FORBIDDEN);
    const teacher = await tg.as(s.people.mathTeacher, { languageCode: "en" });
    await teacher.send("✉️ Write");
    expect(teacher.lastText()).toBe(translator("en")("bot:unhandled.linked"));
    await tg.as(s.people.mathTeacher);
  });

  it("tampered callback ids are refused and show nothing", async () => {
    const announcement = await db.prisma.announcement.findFirstOrThrow({ where: { authorId: s.people.mathTeacher } });
    const correspondence = await db.prisma.correspondence.findFirstOrThrow({ orderBy: { id: "asc" } });
    const notice = await db.prisma.absenceNotice.findFirstOrThrow({ orderBy: { id: "asc" } });
    // a father who has not given consent (no receipt), another class's mother, a teacher who is not 7Б's class teacher
    const father = await tg.as(s.guardians.get(s.students.c7b[0])![1]);
    const otherMother = await tg.as(s.guardians.get(s.students.c8a[0])![0]);
    const russian = await tg.as(s.people.russianTeacher);
    for (const u of [father, otherMother, russian]) await u.send(WRITE);

    const acksBefore = await db.prisma.announcementReceipt.count({ where: { acknowledgedAt: { not: null } } });
    await father.press(`nmack:${announcement.id}`);
    expect(father.lastText()).toBe(FORBIDDEN);
    await otherMother.press(`nmstat:${announcement.id}`);
    expect(otherMother.lastText()).toBe(FORBIDDEN);
    await otherMother.press(`nmfile:${announcement.id}`);
    expect(otherMother.lastText()).toBe(FORBIDDEN);
    await otherMother.press(`nmrep:${correspondence.id}`);
    expect(otherMother.lastText()).toBe(FORBIDDEN);
    await otherMother.send("Пишу в чужую переписку"); // no conversation was started
    expect(await db.prisma.correspondence.count({ where: { text: "Пишу в чужую переписку" } })).toBe(0);
    await otherMother.press(`nmthr:${correspondence.studentId}:${correspondence.toPersonId}`);
    expect(otherMother.lastText()).toBe(FORBIDDEN);
    await russian.press(`nmconf:${notice.id}`);
    expect(russian.lastText()).toBe(FORBIDDEN);
    await russian.press("nmack:99999999");
    expect(russian.lastText()).toBe(FORBIDDEN);
    expect(await db.prisma.announcementReceipt.count({ where: { acknowledgedAt: { not: null } } })).toBe(acksBefore);
    expect(father.texts().join("\n")).not.toContain("Собрание");
  });
});
