// Marks in the bot (issue 4 item 4): taps, the remembered work type, a typed list in journal order or by name,
// comments, R-14, undo within the grace period, and two teachers on one lesson. Real bot, core and database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openMarksCallback } from "../../../src/bot/features/teacher-lesson/card-actions.ts";
import { addDays } from "../../../src/core/dates.ts";
import { lessonCard } from "../../../src/core/journal/lesson-card.ts";
import { grantSubstitution } from "../../../src/core/journal/substitutions.ts";
import { createTestDb, type TestDb } from "../../helpers/db.ts";
import { buildSchool, lessonOf, type TestSchool } from "../../helpers/factories.ts";
import { createFakeTelegram, type FakeTelegram, type FakeUser } from "../../helpers/telegram.ts";
import { activeMarks, ageMark, openMarks, openRoster, t } from "./helpers.ts";

let db: TestDb;
let s: TestSchool;
let tg: FakeTelegram;
let math: FakeUser;
let names: string[]; // 7Б in journal order, «Фамилия Имя»

beforeAll(async () => {
  db = await createTestDb();
  s = await buildSchool(db.prisma, { studentsPerClass: 30 });
  tg = await createFakeTelegram({ prisma: db.prisma, schoolId: s.schoolId });
  math = await tg.as(s.people.mathTeacher);
  const card = await lessonCard(db.prisma, await s.actor(s.people.mathTeacher), {
    lessonId: await lessonOf(db.prisma, s.assignments.algebra7b, s.monday),
  });
  names = card.students.map((st) => st.name);
}, 120_000);
afterAll(async () => {
  await db?.drop();
});

const lesson = (assignmentId: number, day: number) => lessonOf(db.prisma, assignmentId, addDays(s.monday, day));
const studentIdOf = async (lessonId: number, no: number) =>
  (await lessonCard(db.prisma, await s.actor(s.people.mathTeacher), { lessonId })).students[no - 1].studentId;

describe("marks by taps", () => {
  it("student → 5 → the roster shows it, saved with the work type's weight; a control work weighs 2", async () => {
    const lessonId = await lesson(s.assignments.algebra7b, 0);
    await openMarks(math, lessonId);
    expect(math.lastText()).toContain("Выберите вид работы");
    const kinds = math.buttons().flat();
    for (const name of ["Ответ на уроке", "Контрольная работа", "Самостоятельная работа", "Диктант"]) {
      expect(kinds).toContain(name);
    }

    await math.tap("Ответ на уроке");
    expect(math.lastText()).toContain("Вид работы: Ответ на уроке (вес 1)");
    const studentButtons = math
      .buttons()
      .flat()
      .filter((b) => /^\d+\. /.test(b));
    expect(studentButtons).toHaveLength(30);
    expect(studentButtons[0]).toBe("1. Алексеев А.");

    await math.tap(/^1\. Алексеев А\.$/);
    expect(math.lastText()).toContain("Алексеев Артём");
    expect(math.buttons()[0]).toEqual(["2", "3", "4", "5", "н/а"]);
    expect(math.buttons().flat()).toContain("💬 с комментарием");
    await math.tap("5");

    expect(math.lastText()).toContain("✅ Алексеев А.: 5 (Ответ на уроке)");
    expect(math.buttons().flat()).toContain("1. Алексеев А. · 5");
    expect(math.buttons()[0]).toEqual(["↩️ Отменить"]);
    let marks = await activeMarks(db.prisma, lessonId);
    expect(marks).toHaveLength(1);
    expect(marks[0]).toMatchObject({ value: "5", workType: "oral", weight: 1, authorId: s.people.mathTeacher });

    // Another work type from the roster: «🔁 Вид работы» → Контрольная работа → №2 → 4.
    await math.tap("🔁 Вид работы");
    await math.tap("Контрольная работа");
    expect(math.lastText()).toContain("Контрольная работа (вес 2)");
    await math.tap(/^2\. Алексеев12 А\.$/);
    await math.tap("4");
    marks = await activeMarks(db.prisma, lessonId);
    expect(marks).toHaveLength(2);
    expect(marks[1]).toMatchObject({ value: "4", workType: "control", weight: 2 });
    expect(math.buttons().flat()).toContain("2. Алексеев12 А. · 4");
    // A student with a mark opens their marks (to correct), with «Поставить ещё».
    await math.tap(/^1\. Алексеев А\. · 5$/);
    expect(math.lastText()).toContain("Алексеев Артём — отметки за урок");
    expect(math.buttons().flat()).toContain("5 · Ответ на уроке");
    await math.tap("➕ Поставить ещё: Контрольная работа");
    await math.tap("н/а");
    expect(math.buttons().flat()).toContain("1. Алексеев А. · 5 н/а");
    expect(tg.failedCalls()).toEqual([]);
  });

  it("remembers the last work type as the teacher's default and offers it first", async () => {
    const pref = await db.prisma.preference.findUniqueOrThrow({ where: { personId: s.people.mathTeacher } });
    expect(pref.defaultWorkType).toBe("control");
    expect(pref.locale).toBe("ru");
    await openMarks(math, await lesson(s.assignments.algebra7b, 1));
    expect(math.buttons()[0][0]).toBe("⭐ Контрольная работа");
    await math.tap("Тест");
    await openMarks(math, await lesson(s.assignments.algebra7b, 1));
    expect(math.buttons()[0][0]).toBe("⭐ Тест");
  });

  it("a mark with a comment: «💬 с комментарием» → «4 не выучено правило»", async () => {
    const lessonId = await lesson(s.assignments.algebra7b, 2);
    await openRoster(math, lessonId, "Ответ на уроке");
    await math.tap(/^4\. Белова А\.$/);
    await math.tap("💬 с комментарием");
    expect(math.lastText()).toContain("Пришлите отметку и комментарий");
    await math.send("отлично");
    expect(math.lastText()).toContain("Сначала отметка");
    await math.send("4 не выучено правило");
    expect(math.lastText()).toContain("✅ Белова А.: 4 (Ответ на уроке), комментарий: «не выучено правило»");
    const [mark] = await activeMarks(db.prisma, lessonId);
    expect(mark).toMatchObject({ value: "4", comment: "не выучено правило", workType: "oral" });
    // The student's marks show the comment.
    await math.tap(/^4\. Белова А\. · 4$/);
    expect(math.lastText()).toContain("4 — Ответ на уроке («не выучено правило»)");
  });
});

describe("marks typed in one message", () => {
  it("30 values in journal order → preview with names → «Сохранить» → 28 marks (the two «-» skipped)", async () => {
    const lessonId = await lesson(s.assignments.algebra7b, 3);
    await openRoster(math, lessonId, "Самостоятельная работа");
    await math.tap("⌨️ Ввести списком");
    expect(math.lastText()).toContain("30 значений");
    const values = Array.from({ length: 30 }, (_, i) => ["5", "4", "3", "5", "4", "н/а"][i % 6]);
    values[4] = "-";
    values[17] = "—";
    await math.send(values.join(" "));
    const preview = math.lastText();
    expect(preview).toContain("Проверьте перед сохранением");
    expect(preview).toContain("1. Алексеев Артём — 5");
    expect(preview).toContain(`6. ${names[5]} — н/а`);
    expect(preview).not.toContain(`5. ${names[4]}`);
    expect(preview).toContain("Всего 28 отметок.");
    expect(preview).toContain("Без отметки: 2 ученика.");
    expect(await activeMarks(db.prisma, lessonId)).toHaveLength(0);

    await math.tap("✅ Сохранить");
    expect(math.lastText()).toContain("Сохранено 28 отметок: Самостоятельная работа");
    const marks = await activeMarks(db.prisma, lessonId);
    expect(marks).toHaveLength(28);
    expect(marks.every((m) => m.workType === "independent" && m.weight === 1.5)).toBe(true);
    const firstId = await studentIdOf(lessonId, 1);
    expect(marks.find((m) => m.studentId === firstId)?.value).toBe("5");
    expect(marks.filter((m) => m.value === "н/а")).toHaveLength(4);
    // The roster shows the marks.
    await math.tap("📋 Открыть список");
    expect(math.buttons().flat()).toContain("1. Алексеев А. · 5");
    expect(math.buttons().flat()).toContain("5. Белова13 А.");
    expect(tg.failedCalls()).toEqual([]);
  });

  it("lists every problem (count, «6», «н», unknown and ambiguous names) and saves nothing", async () => {
    const lessonId = await lesson(s.assignments.algebra7b, 4);
    await openRoster(math, lessonId, "Ответ на уроке");
    await math.tap("⌨️ Ввести списком");

    await math.send("5 4 6 н 5");
    let text = math.lastText();
    expect(text).toContain("Ничего не сохранено");
    expect(text).toContain("Отметок 5, а учеников в списке 30");
    expect(text).toContain(`№3 ${names[2]}: «6» — не отметка. Можно: 2, 3, 4, 5, н/а.`);
    expect(text).toContain(`№4 ${names[3]}: «н» — это отсутствие, а не отметка`);

    await math.send("Сидоров 5, Алекс 4, Белова 7, Жуков");
    text = math.lastText();
    expect(text).toContain("«Сидоров» — такого ученика в списке урока нет.");
    expect(text).toContain("«Алекс» — подходят несколько учеников: Алексеев Артём, Алексеев12 Артём, Алексеев24 Артём");
    expect(text).toContain("«Алексеев А.»");
    expect(text).toContain("Белова Анна: «7» — не отметка.");
    expect(text).toContain("«Жуков» — не указана отметка.");
    expect(await activeMarks(db.prisma, lessonId)).toHaveLength(0);

    // Twins: the same surname needs an initial.
    const [a, b] = [await studentIdOf(lessonId, 10), await studentIdOf(lessonId, 11)];
    const pa = await db.prisma.student.findUniqueOrThrow({ where: { id: a } });
    const pb = await db.prisma.student.findUniqueOrThrow({ where: { id: b } });
    await db.prisma.person.update({ where: { id: pa.personId }, data: { lastName: "Смирнов", firstName: "Антон" } });
    await db.prisma.person.update({ where: { id: pb.personId }, data: { lastName: "Смирнов", firstName: "Борис" } });
    await math.send("/today"); // leaves the typed list; the roster is read anew
    await openRoster(math, lessonId, "Ответ на уроке");
    await math.tap("⌨️ Ввести списком");
    await math.send("Смирнов 5");
    expect(math.lastText()).toContain("«Смирнов» — подходят несколько учеников: Смирнов Антон, Смирнов Борис");
    await math.send("Смирнов Б. 5, Смирнов А 3");
    expect(math.lastText()).toContain("Смирнов Борис — 5");
    expect(math.lastText()).toContain("Смирнов Антон — 3");
    await math.tap("✏️ Исправить");
    expect(math.lastText()).toContain("Пришлите исправленный список");
    expect(await activeMarks(db.prisma, lessonId)).toHaveLength(0);
    await math.send("/today");
    expect(tg.failedCalls()).toEqual([]);
  });

  it("by name: «Белова 5, Алексеев12 А. 4, Алексеев 3» (exact surname wins) → saved; «Отменить» undoes all", async () => {
    const lessonId = await lesson(s.assignments.algebra7b, 7);
    await openRoster(math, lessonId, "Тест");
    await math.tap("⌨️ Ввести списком");
    await math.send("Белова 5, Алексеев12 А. 4; алексеев 3\nВасильев н/а");
    const preview = math.lastText();
    expect(preview).toContain("1. Алексеев Артём — 3");
    expect(preview).toContain("2. Алексеев12 Артём — 4");
    expect(preview).toContain("4. Белова Анна — 5");
    expect(preview).toContain("7. Васильев Борис — н/а");
    expect(preview).toContain("Всего 4 отметки.");
    await math.tap("✅ Сохранить");
    expect(math.lastText()).toContain("Сохранены 4 отметки: Тест");
    expect(await activeMarks(db.prisma, lessonId)).toHaveLength(4);

    const undo = math.buttons().flat().indexOf("↩️ Отменить");
    expect(undo).toBeGreaterThanOrEqual(0);
    const undoData = math.lastMessage()!.reply_markup!.inline_keyboard.flat()[undo].callback_data!;
    await math.tap("↩️ Отменить");
    expect(math.lastText()).toContain("↩️ Отменено: 4 отметки.");
    expect(await activeMarks(db.prisma, lessonId)).toHaveLength(0);
    const voided = await db.prisma.mark.findMany({ where: { lessonId, status: "VOIDED" } });
    expect(voided).toHaveLength(4);
    // A second tap on the old confirmation changes nothing.
    await math.press(undoData);
    expect(math.callbackAnswers().at(-1)).toContain("уже отменены");
    expect(tg.failedCalls()).toEqual([]);
  });

  it("a preview left by a command saves nothing; its buttons answer that it is stale", async () => {
    const lessonId = await lesson(s.assignments.algebra7b, 8);
    await openRoster(math, lessonId, "Ответ на уроке");
    await math.tap("⌨️ Ввести списком");
    await math.send("Белова 5");
    const preview = math.lastMessage()!;
    await math.send("/today");
    expect(math.lastText()).not.toContain("Ничего не сохранено");
    await math.tap("✅ Сохранить");
    expect(math.callbackAnswers().at(-1)).toContain("уже не ждёт подтверждения");
    expect(preview.reply_markup).toBeDefined();
    expect(await activeMarks(db.prisma, lessonId)).toHaveLength(0);
  });
});

describe("grades without marks (R-14)", () => {
  it("R-14: «Оценки» of a 2nd-grade lesson is refused at once", async () => {
    const russian = await tg.as(s.people.russianTeacher);
    const lessonId = await lesson(s.assignments.reading2a, 0);
    await openMarks(russian, lessonId);
    expect(russian.lastText()).toBe(t("errors:NO_MARKS_FOR_GRADE"));
    // Even a hand-made value button saves nothing.
    await russian.press(`mkv:${lessonId}:oral:${s.students.c2a[0]}:5`);
    expect(russian.lastText()).toBe(t("errors:NO_MARKS_FOR_GRADE"));
    expect(await db.prisma.mark.count({ where: { lessonId } })).toBe(0);
  });
});

describe("undo within the grace period", () => {
  it("«Отменить» right after a tap withdraws the mark silently; after the grace period it points to corrections", async () => {
    const lessonId = await lesson(s.assignments.algebra7b, 9);
    await openRoster(math, lessonId, "Ответ на уроке");
    await math.tap(/^3\. Алексеев24 А\.$/);
    await math.tap("5");
    await math.tap("↩️ Отменить");
    expect(math.lastText()).toContain("↩️ Отменено: 1 отметка.");
    expect(math.buttons().flat()).toContain("3. Алексеев24 А.");
    expect(await activeMarks(db.prisma, lessonId)).toHaveLength(0);
    const undone = await db.prisma.auditEvent.findMany({ where: { schoolId: s.schoolId, action: "mark.undo" } });
    expect(undone.length).toBeGreaterThan(0);

    await math.tap(/^3\. Алексеев24 А\.$/);
    await math.tap("4");
    const [mark] = await activeMarks(db.prisma, lessonId);
    await ageMark(db.prisma, mark.id, 11);
    await math.tap("↩️ Отменить");
    expect(math.lastText()).toContain("Отменить уже нельзя: прошло больше 10 мин.");
    expect(math.lastText()).toContain("понадобится указать причину");
    expect(await activeMarks(db.prisma, lessonId)).toHaveLength(1);
    await math.tap("📋 Открыть список");
    expect(math.buttons().flat()).toContain("3. Алексеев24 А. · 4");
  });
});

describe("two teachers on one lesson", () => {
  it("a substitute and the teacher mark the same lesson at once; nobody's marks are lost", async () => {
    const lessonId = await lesson(s.assignments.algebra7b, 10);
    await grantSubstitution(db.prisma, await s.actor(s.people.deputy), {
      lessonId,
      substituteId: s.people.otherTeacher,
    });
    const sub = await tg.as(s.people.otherTeacher);
    await openRoster(math, lessonId, "Ответ на уроке");
    await openRoster(sub, lessonId, "Ответ на уроке");
    // The teacher starts a typed list; meanwhile the substitute taps marks on a roster opened before.
    await math.tap("⌨️ Ввести списком");
    await math.send("Белова 5, Васильев 4");
    await sub.tap(/^1\. Алексеев А\.$/);
    await sub.tap("3");
    await math.tap("✅ Сохранить");
    await sub.tap(/^4\. Белова А\.$/);
    expect(sub.lastText()).toContain("Белова Анна — отметки за урок");
    await sub.tap("➕ Поставить ещё: Ответ на уроке");
    await sub.tap("2");
    const marks = await activeMarks(db.prisma, lessonId);
    expect(marks.map((m) => [m.value, m.authorId]).sort()).toEqual(
      [
        ["2", s.people.otherTeacher],
        ["3", s.people.otherTeacher],
        ["4", s.people.mathTeacher],
        ["5", s.people.mathTeacher],
      ].sort(),
    );
    expect(sub.buttons().flat()).toContain("4. Белова А. · 5 2");
    expect(tg.failedCalls()).toEqual([]);
  });

  it("a teacher without the lesson is refused at «Оценки» and at a hand-made value button; nothing changes", async () => {
    const lessonId = await lesson(s.assignments.algebra8a, 0);
    const english = await tg.as(s.people.englishTeacher1);
    await english.send("/today");
    await english.press(openMarksCallback.encode({ lessonId }));
    expect(english.lastText()).toBe(t("errors:FORBIDDEN"));
    await english.press(`mkv:${lessonId}:oral:${s.students.c8a[0]}:5`);
    expect(english.lastText()).toBe(t("errors:FORBIDDEN"));
    await english.press(`mkw:${lessonId}:oral`);
    expect(english.lastText()).toBe(t("errors:FORBIDDEN"));
    expect(await db.prisma.mark.count({ where: { lessonId } })).toBe(0);
    // A student of another class on a real lesson of the teacher: refused politely.
    const own = await lesson(s.assignments.algebra7b, 0);
    await math.send("/today");
    await math.press(`mks:${own}:oral:${s.students.c8a[0]}`);
    expect(math.callbackAnswers().at(-1)).toContain("нет в списке урока");
    await math.press(`mkv:${own}:oral:${s.students.c8a[0]}:5`);
    expect(math.lastText()).toBe(t("errors:VALIDATION"));
    expect(await db.prisma.mark.count({ where: { studentId: s.students.c8a[0] } })).toBe(0);
  });
});

describe("in English", () => {
  it("an English-speaking teacher gets the work types and the roster in English", async () => {
    const english = await tg.as(s.people.englishTeacher1, { languageCode: "en" });
    const lessonId = await lesson(s.assignments.eng7b1, 0);
    await openMarks(english, lessonId, "en");
    expect(english.lastText()).toContain("Choose the kind of work");
    await english.tap("Oral answer");
    expect(english.lastText()).toContain("Kind of work: Oral answer (weight 1)");
    // The subgroup's roster only: every other student of 7Б.
    expect(
      english
        .buttons()
        .flat()
        .filter((b) => /^\d+\. /.test(b)),
    ).toHaveLength(15);
    await english.tap(/^1\. /);
    await english.tap("5");
    expect(english.lastText()).toContain("(Oral answer)");
    expect(await activeMarks(db.prisma, lessonId)).toHaveLength(1);
  });
});
