// «⚙️ Настройки»: every change goes through the core and persists (Preference row, audit); a guardian sees the
// digest, weekly summary, quiet hours and alerts; a teacher the lesson reminder; a student only the language.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { promptOffCallback } from "../../../src/bot/features/teacher-lesson/callbacks.ts";
import { localMoment } from "../../../src/core/dates.ts";
import { translator } from "../../../src/i18n.ts";
import { createTestDb, type TestDb } from "../../helpers/db.ts";
import { buildSchool, type TestSchool } from "../../helpers/factories.ts";
import { createFakeTelegram, type FakeTelegram } from "../../helpers/telegram.ts";

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

const prefOf = (personId: number) => db.prisma.preference.findUnique({ where: { personId } });

describe("settings", () => {
  it("a guardian changes the digest time, the weekly day, quiet hours and alerts; each change persists", async () => {
    const mother = s.guardians.get(s.students.c7b[0])![0];
    const parent = await tg.as(mother);
    await parent.send("/start");
    await parent.tap("⚙️ Настройки");
    const screen = parent.lastText();
    expect(screen).toContain("Вечерняя сводка: 19:00");
    expect(screen).toContain("Тихие часы 21:00–07:00: вкл.");
    expect(screen).toContain("• о пропуске урока: вкл.");
    expect(screen).toContain("• об оценке ниже 3: выкл.");
    expect(screen).toContain("• о каждой оценке: выкл.");
    expect(screen).not.toContain("Напоминание в начале урока");
    expect(await prefOf(mother)).toBeNull();

    await parent.tap("Сводка: 19:00");
    expect(parent.lastText()).toContain("Во сколько присылать");
    expect(parent.buttons()[0]).toEqual(["07:00", "18:00", "✓ 19:00"]);
    expect(parent.buttons()[1]).toEqual(["20:00", "21:00", "22:00"]);
    expect(parent.buttons()[2]).toEqual(["🕒 Другое время"]);
    await parent.tap("20:00");
    expect(parent.lastText()).toContain("Вечерняя сводка: 20:00");
    expect((await prefOf(mother))?.digestTime).toBe("20:00");

    await parent.tap("Пустая сводка: выкл.");
    await parent.tap("Итоги недели: не присылать");
    await parent.tap("Вс");
    await parent.tap("Тихие часы: вкл.");
    await parent.tap("Оценки ниже 3: выкл.");
    await parent.tap("Пропуски: вкл.");
    const p = await prefOf(mother);
    expect(p).toMatchObject({
      schoolId: s.schoolId,
      digestTime: "20:00",
      digestWhenEmpty: true,
      weeklyDay: 7,
      alertLowMark: true,
      alertAbsence: false,
      alertEveryMark: false,
    });
    expect(p?.quietFrom).toBe(p?.quietTo); // quiet hours off: an empty window
    expect(parent.lastText()).toContain("Итоги недели: по воскресеньям");
    expect(parent.lastText()).toContain("Тихие часы 21:00–07:00: выкл.");

    await parent.tap("Сводка: 20:00");
    await parent.tap("не присылать");
    expect((await prefOf(mother))?.digestTime).toBe("off");
    expect(parent.lastText()).toContain("Вечерняя сводка: не присылать");

    const audit = await db.prisma.auditEvent.findMany({
      where: { actorId: mother, action: "preference.update" },
      orderBy: { id: "asc" },
    });
    expect(audit.length).toBe(7);
    expect(audit[0].data).toEqual({ digestTime: { old: "19:00", new: "20:00" } });
    expect(tg.failedCalls()).toEqual([]);
  });

  it("the language switches the bot to English, with the menu in English", async () => {
    const mother = s.guardians.get(s.students.c7b[1])![0];
    const parent = await tg.as(mother);
    await parent.send("/start");
    await parent.tap("⚙️ Настройки");
    await parent.tap("English");
    expect((await prefOf(mother))?.locale).toBe("en");
    expect(parent.lastText()).toBe(translator("en")("family:settings.languageChanged"));
    expect(parent.replyKeyboard()?.flat()).toContain("📊 Marks");
    const settings = parent.messages.findLast((m) => m.text?.includes("Settings"));
    expect(settings?.text).toContain("Evening digest: 19:00");
    await parent.tap("📊 Marks");
    expect(parent.lastText()).toContain("📊 Marks — quarter 2");
    await parent.tap("⚙️ Settings");
    await parent.tap("Русский");
    expect((await prefOf(mother))?.locale).toBe("ru");
    expect(parent.replyKeyboard()?.flat()).toContain("📊 Оценки");
  });

  it("a parent whose Telegram is in English keeps English after changing a setting for the first time", async () => {
    const father = s.guardians.get(s.students.c7b[2])![0];
    const parent = await tg.as(father, { languageCode: "en" });
    await parent.send("/start");
    await parent.tap("⚙️ Settings");
    expect(parent.lastText()).toContain("Language: English");
    expect(await prefOf(father)).toBeNull();
    await parent.tap("Quiet hours: on");
    expect(parent.lastText()).toContain("Quiet hours 21:00–07:00: off");
    expect((await prefOf(father))?.locale).toBe("en");
    await parent.tap("📊 Marks");
    expect(parent.lastText()).toContain("📊 Marks — quarter 2");
    const audit = await db.prisma.auditEvent.findMany({ where: { actorId: father, action: "preference.update" } });
    expect(audit.map((a) => Object.keys(a.data as object).sort())).toEqual([["quietFrom", "quietHours", "quietTo"]]);
  });

  it("a teacher whose Telegram is in English keeps English after switching lesson reminders off", async () => {
    const teacher = await tg.as(s.people.englishTeacher1, { languageCode: "en" });
    await teacher.send("/start");
    await teacher.tap("📋 My day"); // a message with buttons to press the prompt's «no reminders» on
    const lesson = await db.prisma.lesson.findFirstOrThrow({
      where: { assignment: { teacherId: s.people.englishTeacher1 } },
    });
    await teacher.press(promptOffCallback.encode({ lessonId: lesson.id }));
    expect((await prefOf(s.people.englishTeacher1))?.lessonPrompt).toBe(false);
    expect((await prefOf(s.people.englishTeacher1))?.locale).toBe("en");
    await teacher.tap("⚙️ Settings");
    expect(teacher.lastText()).toContain("Language: English");
  });

  it("a teacher turns the lesson-start reminder off; a student sees only the language", async () => {
    const teacher = await tg.as(s.people.mathTeacher);
    await teacher.send("/start");
    await teacher.tap("⚙️ Настройки");
    expect(teacher.lastText()).toContain("Напоминание в начале урока: вкл.");
    expect(teacher.lastText()).not.toContain("Вечерняя сводка");
    await teacher.tap("Напоминание в начале урока: вкл.");
    expect((await prefOf(s.people.mathTeacher))?.lessonPrompt).toBe(false);
    expect(teacher.lastText()).toContain("Напоминание в начале урока: выкл.");

    const student = await tg.as(s.studentPerson.get(s.students.c7b[0])!);
    await student.send("/start");
    await student.tap("⚙️ Настройки");
    expect(student.buttons()).toEqual([["Русский", "English"]]);
    expect(student.lastText()).not.toContain("согласие");
  });

  it("«🕒 Другое время»: any quarter-hour typed as HH:MM, in school time; other times are refused", async () => {
    const mother = s.guardians.get(s.students.c7b[1])![0];
    const parent = await tg.as(mother);
    await parent.send("/start");
    await parent.tap("⚙️ Настройки");
    await parent.tap("Сводка: 19:00");
    await parent.tap("🕒 Другое время");
    expect(parent.lastText()).toContain("в формате ЧЧ:ММ");
    expect(parent.lastText()).toContain(`сейчас в школе ${localMoment("Europe/Moscow").time.slice(0, 2)}`);
    await parent.send("в пол одиннадцатого");
    expect(parent.lastText()).toContain("Не понял время");
    await parent.send("22:20");
    expect(parent.lastText()).toContain("через каждые 15 минут");
    expect((await prefOf(mother))?.digestTime ?? "19:00").toBe("19:00");
    await parent.send("22:30");
    expect(parent.lastText()).toBe("Сохранено: сводка будет приходить в 22:30 по времени школы.");
    expect((await prefOf(mother))?.digestTime).toBe("22:30");
    await parent.tap("‹ К настройкам");
    expect(parent.lastText()).toContain("Вечерняя сводка: 22:30");
    // the next message is no longer taken for a time
    await parent.send("7:00");
    expect((await prefOf(mother))?.digestTime).toBe("22:30");
    await parent.send("/settings");
    await parent.tap("Сводка: 22:30");
    expect(parent.buttons()[2]).toEqual(["✓ 22:30", "🕒 Другое время"]);
    await parent.tap("07:00");
    expect((await prefOf(mother))?.digestTime).toBe("07:00");
    // a command leaves the typed-time question and is handled as usual
    await parent.tap("Сводка: 07:00");
    await parent.tap("🕒 Другое время");
    await parent.send("/settings");
    expect(parent.lastText()).toContain("Вечерняя сводка: 07:00");
    await parent.send("21:45");
    expect((await prefOf(mother))?.digestTime).toBe("07:00");
    expect(tg.failedCalls()).toEqual([]);
  });

  it("a tampered setting value is refused by the core and nothing changes", async () => {
    const mother = s.guardians.get(s.students.c8a[0])![0];
    const parent = await tg.as(mother);
    await parent.send("/start");
    await parent.tap("⚙️ Настройки");
    await parent.press("fyset:digest:2561");
    expect(parent.lastText()).toBe(translator("ru")("errors:VALIDATION"));
    await parent.press("fyset:digest:2210");
    expect(parent.lastText()).toBe(translator("ru")("errors:VALIDATION"));
    await parent.press("fyset:lang:de");
    expect(parent.lastText()).toBe(translator("ru")("errors:VALIDATION"));
    expect(await prefOf(mother)).toBeNull();
  });
});
