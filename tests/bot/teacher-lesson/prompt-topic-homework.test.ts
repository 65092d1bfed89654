// Issue 4 items 2 and 6 through the real bot: the lesson-start prompt as the delivery engine sends it
// («Все на месте» in one tap, «Отметить отсутствующих», prompts off), the plan's topic in one tap, a typed
// topic (left by a command midway), homework with a document for selected students and with another date.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { addDays, fromIsoDate, type IsoDate } from "../../../src/core/dates.ts";
import { lessonCard } from "../../../src/core/journal/lesson-card.ts";
import { setPlan } from "../../../src/core/journal/topic.ts";
import { translator } from "../../../src/i18n.ts";
import { lessonPromptHandler, scanLessonPrompts } from "../../../src/jobs/modules/lesson-prompt.ts";
import type { SenderDeps } from "../../../src/jobs/notify/send-notification.ts";
import type { OutgoingMessage } from "../../../src/jobs/outbox/handler.ts";
import { createLogger } from "../../../src/logger.ts";
import { deliverNow, testSender } from "../../helpers/deliver.ts";
import { type FakeUser, TEST_BOT_TOKEN } from "../../helpers/telegram.ts";
import { flatButtons, TapCounter, type TeacherWorld, teacherWorld } from "./setup.ts";

let w: TeacherWorld;
let sender: SenderDeps;

beforeAll(async () => {
  w = await teacherWorld();
  sender = testSender({
    prisma: w.db.prisma,
    logger: createLogger("silent"),
    handlers: [lessonPromptHandler],
    token: TEST_BOT_TOKEN,
    transport: w.tg.transport,
  });
});
afterAll(async () => {
  vi.useRealTimers();
  await w.db.drop();
});

/** One run of the prompt job at a school-local time; what it built is delivered by the real sender. */
async function runPromptJob(date: IsoDate, hhmm: string): Promise<OutgoingMessage[]> {
  w.at(date, hhmm);
  const queued: OutgoingMessage[] = [];
  await scanLessonPrompts(
    w.db.prisma,
    w.s.schoolId,
    new Date(),
    async (messages) => {
      queued.push(...messages);
      return (await deliverNow(sender, messages)).deliveryIds.length;
    },
    createLogger("silent"),
  );
  return queued;
}

const short = (name: string) => `${name.split(" ")[0]} ${name.split(" ")[1][0]}.`;

async function roster(lessonId: number) {
  const card = await lessonCard(w.db.prisma, await w.s.actor(w.s.people.mathTeacher), { lessonId });
  return card.students.map((s) => ({ id: s.studentId, name: s.name, short: short(s.name) }));
}

async function openCard(teacher: FakeUser, button: RegExp | string) {
  await teacher.send("/today");
  await teacher.tap(button);
}

describe("lesson-start prompt", () => {
  it("at the bell the teacher gets one prompt per lesson; «Все на месте» saves in 1 tap", async () => {
    const math = await w.tg.as(w.s.people.mathTeacher);
    const russian = await w.tg.as(w.s.people.russianTeacher);
    const queued = await runPromptJob(w.wednesday, "08:31");
    expect(queued.map((q) => q.dedupKey).sort()).toEqual(
      [`lesson-prompt-${w.algebra7b}`, `lesson-prompt-${w.russian8a}`].sort(),
    );
    expect(math.lastText()).toBe("🔔 Начинается 1-й урок (08:30–09:15)\nАлгебра · 7Б, каб. 101\n\nВсе на месте?");
    expect(math.buttons()).toEqual([["✅ Все на месте", "👥 Отметить отсутствующих"], ["🔕 Не присылать напоминания"]]);
    expect(russian.lastText()).toContain("Русский язык · 8А");

    const taps = new TapCounter(math);
    await taps.tap("✅ Все на месте");
    expect(taps.count).toBe(1);
    expect(math.lastText()).toContain("✅ Все на месте\n📘 Алгебра · 7Б");
    expect(math.lastText()).toContain("На месте: 30 из 30");
    const lesson = await w.db.prisma.lesson.findUniqueOrThrow({ where: { id: w.algebra7b } });
    expect(lesson.attendanceTakenAt).not.toBeNull();
    expect(lesson.promptSentAt).not.toBeNull();
    expect(await w.db.prisma.attendance.count({ where: { lessonId: w.algebra7b } })).toBe(0);
    expect(w.tg.failedCalls()).toEqual([]);
  });

  it("the job run again sends nothing more (promptSentAt, and the Delivery ledger for a repeated job)", async () => {
    const math = await w.tg.as(w.s.people.mathTeacher);
    const before = math.messages.length;
    expect(await runPromptJob(w.wednesday, "08:33")).toEqual([]);
    const built = await lessonPromptHandler.handle(
      { schoolId: w.s.schoolId, kind: "lesson.prompt", payload: { lessonId: w.algebra7b } },
      { db: w.db.prisma, now: new Date(), logger: createLogger("silent") },
    );
    const again = await deliverNow(sender, built);
    expect(again.outcomes.every((o) => o.status === "skipped")).toBe(true);
    expect(math.messages.length).toBe(before);
    expect(await w.db.prisma.delivery.count({ where: { dedupKey: `lesson-prompt-${w.algebra7b}` } })).toBe(1);
  });

  it("«Не присылать напоминания» switches prompts off: the next bell prompts only the others", async () => {
    const russian = await w.tg.as(w.s.people.russianTeacher);
    const prompt = russian.messages.find((m) => m.text?.startsWith("🔔"))!;
    const data = prompt.reply_markup!.inline_keyboard[1][0].callback_data!;
    await russian.press(data, prompt);
    expect(russian.callbackAnswers().at(-1)).toContain("отключены");
    const pref = await w.db.prisma.preference.findUniqueOrThrow({ where: { personId: w.s.people.russianTeacher } });
    expect(pref.lessonPrompt).toBe(false);
    expect(
      russian.messages.find((m) => m.message_id === prompt.message_id)!.reply_markup!.inline_keyboard[1][0].text,
    ).toBe("🔔 Снова присылать напоминания");

    const queued = await runPromptJob(w.wednesday, "09:26");
    // 2nd lesson: 8А algebra (math teacher) and 7Б russian (russian teacher, prompts off)
    expect(queued.map((q) => q.dedupKey)).toEqual([`lesson-prompt-${w.algebra8a}`]);
    expect(russian.texts().filter((t) => t.startsWith("🔔"))).toHaveLength(1);
    expect((await w.db.prisma.lesson.findUniqueOrThrow({ where: { id: w.russian7b } })).promptSentAt).toBeNull();
  });

  it("«Все на месте» never overwrites attendance already taken", async () => {
    const russian = await w.tg.as(w.s.people.russianTeacher);
    // the russian teacher marks one absent from the card first, then presses the old prompt's button
    await openCard(russian, /^1\. 8А Рус/);
    await russian.tap("👥 Посещаемость");
    const r = await lessonCard(w.db.prisma, await w.s.actor(w.s.people.russianTeacher), { lessonId: w.russian8a });
    await russian.tap(short(r.students[0].name));
    await russian.tap("✅ Сохранить");
    await russian.tap("✅ Все на месте");
    expect(russian.callbackAnswers().at(-1)).toContain("уже отмечена");
    expect(russian.lastText()).toContain("Отсутствует (1)");
    expect(await w.db.prisma.attendance.count({ where: { lessonId: w.russian8a } })).toBe(1);
    expect(w.tg.failedCalls()).toEqual([]);
  });

  it("«Отметить отсутствующих» from the prompt opens the roster: k absentees in k + 2 taps", async () => {
    const math = await w.tg.as(w.s.people.mathTeacher);
    expect(math.lastText()).toContain("Начинается 2-й урок");
    const r = await roster(w.algebra8a);
    const taps = new TapCounter(math);
    await taps.tap("👥 Отметить отсутствующих");
    await taps.tap(r[4].short);
    await taps.tap("✅ Сохранить");
    expect(taps.count).toBe(1 + 2);
    expect(math.lastText()).toContain(`Отсутствует (1): ${r[4].name}`);
    const rows = await w.db.prisma.attendance.findMany({ where: { lessonId: w.algebra8a } });
    expect(rows.map((x) => [x.studentId, x.status])).toEqual([[r[4].id, "ABSENT"]]);
    expect(w.tg.failedCalls()).toEqual([]);
  });
});

describe("topic and homework", () => {
  it("the next plan item is the topic in one tap from «Тема и ДЗ»", async () => {
    w.at(w.wednesday, "08:40");
    await setPlan(w.db.prisma, await w.s.actor(w.s.people.mathTeacher), {
      assignmentId: w.s.assignments.algebra7b,
      items: [{ topic: "Степень с натуральным показателем" }, { topic: "Свойства степени" }],
    });
    const math = await w.tg.as(w.s.people.mathTeacher);
    await openCard(math, /^▶ 1\. 7Б Алг/);
    await math.tap("📖 Тема и ДЗ");
    expect(math.lastText()).toContain("Следующая тема по плану: 1. Степень с натуральным показателем");
    const taps = new TapCounter(math);
    await taps.tap("📌 1. Степень с натуральным показателем");
    expect(taps.count).toBe(1);
    expect(math.callbackAnswers().at(-1)).toBe("Тема записана");
    expect(math.lastText()).toContain("Тема: Степень с натуральным показателем");
    expect(flatButtons(math).some((b) => b.startsWith("📌"))).toBe(false);
    const lesson = await w.db.prisma.lesson.findUniqueOrThrow({ where: { id: w.algebra7b } });
    expect(lesson.topic).toBe("Степень с натуральным показателем");
    expect(lesson.planItemId).not.toBeNull();
    expect(w.tg.failedCalls()).toEqual([]);
  });

  it("a typed topic; a command midway leaves the conversation and is handled as usual", async () => {
    const math = await w.tg.as(w.s.people.mathTeacher);
    await openCard(math, /^2\. 8А Алг/);
    await math.tap("📖 Тема и ДЗ");
    await math.tap("✍️ Ввести тему");
    expect(math.lastText()).toContain("Напишите тему урока");
    await math.send("/today");
    expect(math.lastText()).toContain("Мои уроки сегодня");
    await math.send("Дроби");
    expect((await w.db.prisma.lesson.findUniqueOrThrow({ where: { id: w.algebra8a } })).topic).toBeNull();

    await math.tap(/^2\. 8А Алг/);
    await math.tap("📖 Тема и ДЗ");
    await math.tap("✍️ Ввести тему");
    await math.send("Сложение дробей");
    expect(math.lastText()).toBe("✅ Тема записана: Сложение дробей");
    expect((await w.db.prisma.lesson.findUniqueOrThrow({ where: { id: w.algebra8a } })).topic).toBe("Сложение дробей");
    await math.tap("‹ К уроку");
    expect(math.lastText()).toContain("Тема: Сложение дробей");
    expect(w.tg.failedCalls()).toEqual([]);
  });

  it("homework with a document for selected students, due at the next lesson by default", async () => {
    const math = await w.tg.as(w.s.people.mathTeacher);
    const r = await roster(w.algebra7b);
    const thursday = addDays(w.wednesday, 1);
    await openCard(math, /^▶ 1\. 7Б Алг/);
    await math.tap("📖 Тема и ДЗ");
    await math.tap("➕ Домашнее задание");
    expect(math.lastText()).toContain(`следующий урок (${thursday.slice(8, 10)}.${thursday.slice(5, 7)})`);
    await math.sendDocument({ bytes: "%PDF-1.4 task", filename: "zadanie.pdf", caption: "№ 125, 126" });
    const draft = math.lastText();
    expect(draft).toContain("Задание: № 125, 126");
    expect(draft).toContain("📎 1 файл");
    expect(draft).toContain("Кому: всему классу");
    expect(draft).toMatch(/Срок: к чт \d\d\.\d\d \(следующий урок\)/);
    await math.tap("👤 Выбрать учеников");
    await math.tap(r[0].short);
    await math.tap(r[2].short);
    expect(math.lastText()).toContain("Выбрано 2 ученика");
    await math.tap("Готово");
    expect(math.lastText()).toContain(`Кому: ${r[0].short}, ${r[2].short}`);
    await math.tap("✅ Сохранить");
    expect(math.lastText()).toContain("✅ Домашнее задание записано для 2 учеников");

    const hw = await w.db.prisma.homework.findMany({ where: { lessonId: w.algebra7b } });
    expect(hw).toHaveLength(1);
    expect(hw[0].text).toBe("№ 125, 126");
    expect([...hw[0].studentIds].sort()).toEqual([r[0].id, r[2].id].sort());
    expect(hw[0].dueDate).toEqual(fromIsoDate(thursday));
    expect(hw[0].files).toEqual([{ kind: "document", fileId: expect.stringMatching(/^F/), name: "zadanie.pdf" }]);
    expect(w.tg.failedCalls()).toEqual([]);
  });

  it("general homework typed as text, due on another date chosen from the buttons", async () => {
    const math = await w.tg.as(w.s.people.mathTeacher);
    const friday = addDays(w.wednesday, 2);
    await openCard(math, /^▶ 1\. 7Б Алг/);
    expect(math.lastText()).toContain("для 2 учеников");
    await math.tap("📖 Тема и ДЗ");
    await math.tap("➕ Домашнее задание");
    await math.send("Параграф 5, вопросы 1–3");
    await math.tap("📅 Другая дата");
    await math.tap(/^пт \d\d\.\d\d · урок$/);
    expect(math.lastText()).toMatch(/Срок: к пт \d\d\.\d\d/);
    await math.tap("✅ Сохранить");
    expect(math.lastText()).toContain("✅ Домашнее задание записано для всего класса");
    const hw = await w.db.prisma.homework.findFirstOrThrow({
      where: { lessonId: w.algebra7b, text: "Параграф 5, вопросы 1–3" },
    });
    expect(hw.studentIds).toEqual([]);
    expect(hw.dueDate).toEqual(fromIsoDate(friday));
    // a button of the finished draft is stale now
    await math.press("tlhwx:save:0", math.lastMessage());
    expect(math.callbackAnswers().at(-1)).toContain("устарела");
    expect(w.tg.failedCalls()).toEqual([]);
  });

  it("a message that would make the homework too long is not added, and the draft still saves", async () => {
    const math = await w.tg.as(w.s.people.mathTeacher);
    await openCard(math, /^▶ 1\. 7Б Алг/);
    await math.tap("📖 Тема и ДЗ");
    await math.tap("➕ Домашнее задание");
    const long = "Решить задачи из сборника, записать решение полностью. ".repeat(70).slice(0, 3900).trim();
    await math.send(long);
    expect(math.lastText()).toContain("Черновик домашнего задания");
    await math.send("Дополнительно: повторить формулы сокращённого умножения и выучить определения. ".repeat(3));
    expect(math.lastText()).toBe(translator("ru")("teacher-lesson:homework.tooLong", { max: 4000 }));
    await math.tap("✅ Сохранить"); // on the draft, which becomes the confirmation
    expect(math.texts().at(-2)).toContain("✅ Домашнее задание записано для всего класса");
    const hw = await w.db.prisma.homework.findFirstOrThrow({ where: { lessonId: w.algebra7b, text: long } });
    expect(hw.text).toHaveLength(long.length);
    expect(w.tg.failedCalls()).toEqual([]);
  });
});
