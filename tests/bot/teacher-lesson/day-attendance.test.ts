// Issue 4 items 1 and 3: the teacher's day, the lesson card and attendance through the real bot, core and
// database (Telegram faked): k absentees in k + 2 taps from the card, cycling to «оп», and the limits.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { encodeState, rosterFingerprint } from "../../../src/bot/features/teacher-lesson/attendance-state.ts";
import {
  attendanceOpenCallback,
  attendanceSaveCallback,
  cardCallback,
  dayCallback,
} from "../../../src/bot/features/teacher-lesson/callbacks.ts";
import { addDays, fromIsoDate } from "../../../src/core/dates.ts";
import { saveAttendance } from "../../../src/core/journal/attendance.ts";
import { lessonCard } from "../../../src/core/journal/lesson-card.ts";
import { setTopic } from "../../../src/core/journal/topic.ts";
import { flatButtons, TapCounter, type TeacherWorld, teacherWorld } from "./setup.ts";

let w: TeacherWorld;

beforeAll(async () => {
  w = await teacherWorld();
});
afterAll(async () => {
  vi.useRealTimers();
  await w.db.drop();
});

const absences = (lessonId: number) =>
  w.db.prisma.attendance.findMany({ where: { lessonId }, orderBy: { studentId: "asc" } });

async function rosterNames(lessonId: number, personId: number) {
  const card = await lessonCard(w.db.prisma, await w.s.actor(personId), { lessonId });
  return card.students.map((s) => ({
    id: s.studentId,
    name: s.name,
    short: `${s.name.split(" ")[0]} ${s.name.split(" ")[1][0]}.`,
  }));
}

describe("my day", () => {
  it("/today lists today's lessons in school time, the current one first and marked, with their state", async () => {
    const math = await w.s.actor(w.s.people.mathTeacher);
    await saveAttendance(w.db.prisma, math, { lessonId: w.algebra8a, absent: [] });
    await setTopic(w.db.prisma, math, { lessonId: w.algebra8a, topic: "Линейные уравнения" });
    const teacher = await w.tg.as(w.s.people.mathTeacher);
    await teacher.send("/today");
    const text = teacher.lastText();
    expect(text).toContain("Мои уроки сегодня");
    expect(text).toMatch(/▶ 1\. 08:30–09:15 · 7Б · Алгебра, каб\. 101 — идёт сейчас/);
    expect(text).toContain("2. 09:25–10:10 · 8А · Алгебра");
    const rows = teacher.buttons();
    expect(rows[0]).toEqual(["▶ 1. 7Б Алг"]);
    expect(rows[1]).toEqual(["2. 8А Алг · 👥✓ 📖✓"]);
    expect(rows.at(-1)?.[0]).toMatch(/^‹ /);
    expect(w.tg.failedCalls()).toEqual([]);
  });

  it("the «📋 Мой день» menu button shows the same day; ‹ goes to a past day with late entry flagged (R-11)", async () => {
    const teacher = await w.tg.as(w.s.people.mathTeacher);
    await teacher.send("📋 Мой день");
    expect(teacher.lastText()).toContain("Мои уроки сегодня");
    await teacher.tap(/^‹ /);
    const yesterday = addDays(w.wednesday, -1);
    expect(teacher.lastText()).toContain("📋 Уроки — вторник");
    expect(teacher.lastText()).toContain("⚠️ не заполнено: посещаемость, тема");
    expect(flatButtons(teacher)).toContain("Сегодня");
    expect(flatButtons(teacher).some((b) => b.includes("⚠️"))).toBe(true);
    await teacher.tap("Сегодня");
    expect(teacher.lastText()).toContain("Мои уроки сегодня");
    expect(yesterday < w.wednesday).toBe(true);
    expect(w.tg.failedCalls()).toEqual([]);
  });

  it("/today from a guardian is left to the family feature (the teacher's screen is not shown)", async () => {
    const guardianId = w.s.guardians.get(w.s.students.c7b[0])![0];
    const parent = await w.tg.as(guardianId);
    await parent.send("/today");
    expect(parent.lastText()).not.toContain("Мои уроки");
  });

  it("tapping a lesson opens its card: class, subject, time, room, topic, homework, attendance and actions", async () => {
    const teacher = await w.tg.as(w.s.people.mathTeacher);
    await teacher.send("/today");
    await teacher.tap("▶ 1. 7Б Алг");
    const text = teacher.lastText();
    expect(text).toContain("📘 Алгебра · 7Б");
    expect(text).toContain("1-й урок 08:30–09:15");
    expect(text).toContain("Кабинет 101");
    expect(text).toContain("Тема: не указана");
    expect(text).toContain("Домашнее задание: не задано");
    expect(text).toContain("Посещаемость: не отмечена");
    expect(teacher.buttons()).toEqual([
      ["👥 Посещаемость", "✏️ Оценки"],
      ["📖 Тема и ДЗ", "🎓 Итоговые"],
      ["‹ Мой день"],
    ]);
    await teacher.tap("‹ Мой день");
    expect(teacher.lastText()).toContain("Мои уроки сегодня");
    expect(w.tg.failedCalls()).toEqual([]);
  });
});

describe("attendance", () => {
  it("30 students, k = 3 absent: k + 2 taps from the card, one save, exactly those 3 absences", async () => {
    const teacher = await w.tg.as(w.s.people.mathTeacher);
    await teacher.send("/today");
    await teacher.tap("▶ 1. 7Б Алг");
    const roster = await rosterNames(w.algebra7b, w.s.people.mathTeacher);
    expect(roster).toHaveLength(30);
    const picked = [roster[1], roster[7], roster[20]];

    const taps = new TapCounter(teacher);
    await taps.tap("👥 Посещаемость");
    expect(teacher.lastText()).toContain("На месте 30 из 30");
    const students = teacher
      .buttons()
      .flat()
      .filter((b) => !/Сохранить|К уроку/.test(b));
    expect(students).toHaveLength(30);
    expect(students.slice(0, 2)).toEqual([roster[0].short, roster[1].short]);
    for (const p of picked) await taps.tap(p.short);
    expect(teacher.lastText()).toContain("На месте 27 из 30 · «н»: 3");
    expect(flatButtons(teacher)).toContain(`н · ${picked[0].short}`);
    const messagesBefore = teacher.messages.length;
    await taps.tap("✅ Сохранить");
    expect(taps.count).toBe(3 + 2);
    // the roster message itself became the summary
    expect(teacher.messages.length).toBe(messagesBefore);
    const summary = teacher.lastText();
    expect(summary).toContain("✅ Посещаемость сохранена");
    expect(summary).toContain("На месте: 27 из 30");
    expect(summary).toContain(`Отсутствуют (3): ${picked.map((p) => p.name).join(", ")}`);

    const rows = await absences(w.algebra7b);
    expect(rows.map((r) => [r.studentId, r.status])).toEqual(
      picked.map((p) => [p.id, "ABSENT"]).sort((a, b) => Number(a[0]) - Number(b[0])),
    );
    expect(
      await w.db.prisma.auditEvent.count({ where: { action: "attendance.save", entityId: String(w.algebra7b) } }),
    ).toBe(1);
    expect(w.tg.failedCalls()).toEqual([]);
  });

  it("a tap cycles present → «н» → «оп» → present on the same message; the saved draft is what is shown", async () => {
    const teacher = await w.tg.as(w.s.people.mathTeacher);
    await teacher.send("/today");
    await teacher.tap("▶ 1. 7Б Алг");
    await teacher.tap("👥 Посещаемость");
    const roster = await rosterNames(w.algebra7b, w.s.people.mathTeacher);
    // the saved absences of the previous test are the starting draft
    expect(flatButtons(teacher)).toContain(`н · ${roster[1].short}`);
    const rosterMessage = teacher.lastMessage()!.message_id;
    await teacher.tap(`н · ${roster[1].short}`);
    expect(flatButtons(teacher)).toContain(`оп · ${roster[1].short}`);
    await teacher.tap(`оп · ${roster[1].short}`);
    expect(flatButtons(teacher)).toContain(roster[1].short);
    await teacher.tap(roster[1].short);
    await teacher.tap(`н · ${roster[1].short}`);
    expect(teacher.lastMessage()!.message_id).toBe(rosterMessage);
    await teacher.tap(`н · ${roster[7].short}`); // 7 → «оп»
    await teacher.tap(`н · ${roster[20].short}`); // 20 → «оп»
    await teacher.tap(`оп · ${roster[20].short}`); // 20 → present
    await teacher.tap("✅ Сохранить");
    expect(teacher.lastText()).toContain("Опоздали (2)");
    expect(teacher.lastText()).toContain(`Опоздали (2): ${roster[1].name}, ${roster[7].name}`);
    // late students are in the room: the summary counts them as the roster screen did, and so does the card
    expect(teacher.lastText()).toContain("На месте: 30 из 30");
    await teacher.tap("‹ К уроку");
    expect(teacher.lastText()).toContain("Посещаемость: на месте 30 из 30 · «н»: 0 · «оп»: 2");
    const rows = await absences(w.algebra7b);
    expect(rows.map((r) => [r.studentId, r.status]).sort()).toEqual(
      [
        [roster[1].id, "LATE"],
        [roster[7].id, "LATE"],
      ].sort(),
    );
    expect(w.tg.failedCalls()).toEqual([]);
  });

  it("a 40-student roster fits Telegram's limits (≤ 100 buttons, 64-byte data) on one page", async () => {
    // ten more students join 8А (30 → 40)
    const from = fromIsoDate(addDays(w.wednesday, -30));
    for (let i = 0; i < 10; i++) {
      const p = await w.db.prisma.person.create({
        data: { schoolId: w.s.schoolId, lastName: `Яковлев${i}`, firstName: "Ян" },
      });
      const st = await w.db.prisma.student.create({ data: { schoolId: w.s.schoolId, personId: p.id } });
      await w.db.prisma.enrollment.create({
        data: { schoolId: w.s.schoolId, studentId: st.id, classId: w.s.classes.c8a, fromDate: from },
      });
    }
    const teacher = await w.tg.as(w.s.people.mathTeacher);
    await teacher.send("/today");
    await teacher.tap(/^2\. 8А Алг/);
    await teacher.tap("👥 Посещаемость");
    const all = teacher.lastMessage()!.reply_markup!.inline_keyboard.flat();
    expect(all.length).toBe(42);
    for (const b of all) expect(Buffer.byteLength(b.callback_data!, "utf8")).toBeLessThanOrEqual(64);
    expect(teacher.lastText()).toContain("На месте 40 из 40");
    await teacher.tap("Яковлев9 Я.");
    expect(flatButtons(teacher)).toContain("н · Яковлев9 Я.");
    expect(w.tg.failedCalls()).toEqual([]);
  });

  it("the draft encoding holds 90 students in a 64-byte button", () => {
    const marks = Array.from({ length: 90 }, () => 2 as const);
    const data = attendanceSaveCallback.encode({
      lessonId: 2_147_483_647,
      state: encodeState(marks),
      fp: rosterFingerprint(Array.from({ length: 90 }, (_, i) => 2_000_000_000 + i)),
    });
    expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
  });
});

describe("refusals", () => {
  it("a tampered lessonId (another teacher's lesson): polite refusal, nothing shown, nothing saved", async () => {
    const teacher = await w.tg.as(w.s.people.mathTeacher);
    await teacher.send("/today");
    const before = teacher.lastText();
    await teacher.press(attendanceOpenCallback.encode({ lessonId: w.russian8a }));
    expect(teacher.callbackAnswers().at(-1)).toBe(
      "Этот урок вам недоступен. Если это ошибка, обратитесь к администратору журнала.",
    );
    expect(teacher.lastText()).toBe(before);
    const card = await lessonCard(w.db.prisma, await w.s.actor(w.s.people.russianTeacher), { lessonId: w.russian8a });
    const ids = card.students.map((s) => s.studentId);
    await teacher.press(
      attendanceSaveCallback.encode({
        lessonId: w.russian8a,
        state: encodeState(ids.map(() => 1)),
        fp: rosterFingerprint(ids),
      }),
    );
    expect(teacher.callbackAnswers().at(-1)).toContain("Этот урок вам недоступен");
    expect(await absences(w.russian8a)).toEqual([]);
    expect((await w.db.prisma.lesson.findUniqueOrThrow({ where: { id: w.russian8a } })).attendanceTakenAt).toBeNull();
    expect(teacher.lastText()).toBe(before);
  });

  it("a lesson the teacher may only read (class teacher of 7Б, another teacher's russian): no roster, nothing saved", async () => {
    const teacher = await w.tg.as(w.s.people.mathTeacher);
    const before = teacher.lastText();
    await teacher.press(attendanceOpenCallback.encode({ lessonId: w.russian7b }));
    expect(teacher.callbackAnswers().at(-1)).toBe(
      "Отмечать посещаемость может только учитель этого урока или назначенный на замену.",
    );
    expect(teacher.lastText()).toBe(before);
    expect(await absences(w.russian7b)).toEqual([]);
  });

  it("a guardian pressing teacher buttons is refused", async () => {
    const guardianId = w.s.guardians.get(w.s.students.c7b[0])![0];
    const parent = await w.tg.as(guardianId);
    await parent.send("/start");
    await parent.press(cardCallback.encode({ lessonId: w.algebra7b }));
    expect(parent.callbackAnswers().at(-1)).toContain("Этот урок вам недоступен");
    await parent.press(dayCallback.encode({ date: w.wednesday }));
    expect(parent.callbackAnswers().at(-1)).toContain("Этот урок вам недоступен");
    await parent.press(attendanceOpenCallback.encode({ lessonId: w.algebra7b }));
    expect(parent.callbackAnswers().at(-1)).toContain("Этот урок вам недоступен");
    expect(parent.texts().some((t) => t.includes("Посещаемость"))).toBe(false);
  });

  it("a roster screen overtaken by another save (an older copy, a substitute) is redrawn, never saved over it", async () => {
    const teacher = await w.tg.as(w.s.people.mathTeacher);
    await teacher.press(attendanceOpenCallback.encode({ lessonId: w.algebra8a }));
    const stale = teacher.lastMessage()!;
    const saveData = stale.reply_markup!.inline_keyboard.flat().find((b) => b.text.includes("Сохранить"))!
      .callback_data!;
    // meanwhile the lesson's attendance is saved elsewhere: one student absent
    const someone = (await lessonCard(w.db.prisma, await w.s.actor(w.s.people.mathTeacher), { lessonId: w.algebra8a }))
      .students[4].studentId;
    await saveAttendance(w.db.prisma, await w.s.actor(w.s.people.mathTeacher), {
      lessonId: w.algebra8a,
      absent: [someone],
    });

    await teacher.press(saveData, stale);
    expect(teacher.callbackAnswers().at(-1)).toContain("сохранённая посещаемость изменились");
    expect((await absences(w.algebra8a)).map((r) => r.studentId)).toEqual([someone]);
    expect(teacher.lastText()).toContain("«н»: 1");
  });

  it("a stale roster (the class list changed since it was drawn) is redrawn, not saved", async () => {
    const teacher = await w.tg.as(w.s.people.mathTeacher);
    await teacher.press(
      attendanceSaveCallback.encode({ lessonId: w.algebra7b, state: "0", fp: "zzz" }),
      teacher.lastMessage(),
    );
    expect(teacher.callbackAnswers().at(-1)).toContain("список класса или сохранённая посещаемость изменились");
    expect(teacher.lastText()).toContain("👥 Посещаемость");
    expect(w.tg.failedCalls()).toEqual([]);
  });
});
