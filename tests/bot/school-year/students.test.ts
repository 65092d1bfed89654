// R-33 in the bot: the administration finds a student in a few taps (/students → class → student), transfers,
// admits, records a leaving with the order typed in one line, and gets the marks extract as a PDF; families are
// told; a teacher and forged buttons are refused and nothing changes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addMarks } from "../../../src/core/journal/marks.ts";
import { translator } from "../../../src/i18n.ts";
import { studentLeftHandler } from "../../../src/jobs/school-year/student-left.ts";
import { createLogger } from "../../../src/logger.ts";
import { createTestDb, type TestDb } from "../../helpers/db.ts";
import type { TestSchool } from "../../helpers/factories.ts";
import { createFakeTelegram, type FakeTelegram, type FakeUser } from "../../helpers/telegram.ts";
import { addDays, lessonOf, schoolWithLessonsToday } from "../class-admin/school-setup.ts";

const ru = translator("ru");
let db: TestDb;
let s: TestSchool & { today: string };
let tg: FakeTelegram;
let deputy: FakeUser;
const dotted = (iso: string) => `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}`;

beforeAll(async () => {
  db = await createTestDb();
  s = await schoolWithLessonsToday(db.prisma);
  tg = await createFakeTelegram({ prisma: db.prisma, schoolId: s.schoolId });
  deputy = await tg.as(s.people.deputy);
});
afterAll(async () => {
  await db.drop();
});

const nameOf = async (studentId: number) => {
  const p = await db.prisma.person.findUniqueOrThrow({ where: { id: s.studentPerson.get(studentId)! } });
  return `${p.lastName} ${p.firstName}`;
};

describe("R-33 /students", () => {
  it("R-33: transfers a student from 7Б to 8А in a few taps with the order typed", async () => {
    const studentId = s.students.c7b[0];
    const name = await nameOf(studentId);
    await deputy.send("/students");
    expect(deputy.lastText()).toContain("👥 Движение учащихся");
    await deputy.tap("7Б · 6");
    expect(deputy.lastText()).toContain("👥 7Б: 6 уч.");
    await deputy.tap(name);
    expect(deputy.lastText()).toContain(`👤 ${name}`);
    expect(deputy.lastText()).toContain("Класс: 7Б");
    await deputy.tap("🔁 Перевести в другой класс");
    expect(deputy.lastText()).toContain(`В какой класс перевести ${name}`);
    await deputy.tap("8А");
    await deputy.tap(/^Сегодня/);
    expect(deputy.lastText()).toContain("Номер и дата приказа");
    await deputy.send("45");
    expect(deputy.lastText()).toContain("Нужны номер и дата приказа");
    await deputy.send("№ 45-у от 10.11.2026");
    expect(deputy.lastText()).toContain(`из 7Б в 8А с ${dotted(s.today)} (приказ № 45-у от 10.11.2026)`);
    const open = await db.prisma.enrollment.findMany({ where: { studentId, toDate: null }, include: { class: true } });
    expect(open.map((e) => e.class.name)).toEqual(["8А"]);

    await deputy.send("/students");
    await deputy.tap("8А · 7");
    await deputy.tap(name);
    expect(deputy.lastText()).toContain(`• ${dotted(s.today)} перевод 7Б → 8А (приказ № 45-у от 10.11.2026)`);
    expect(tg.failedCalls()).toEqual([]);
  });

  it("R-33: admits a new student to 2А", async () => {
    await deputy.send("/students");
    await deputy.tap("2А · 6");
    await deputy.tap("➕ Зачислить в 2А");
    expect(deputy.lastText()).toContain("Напишите фамилию, имя и отчество");
    await deputy.send("Новикова Алиса Петровна");
    await deputy.tap(/^Сегодня/);
    await deputy.send("приказ 46 от 11.11.2026");
    expect(deputy.lastText()).toContain("Новикова Алиса Петровна зачислен(а) в 2А");
    const p = await db.prisma.person.findFirstOrThrow({ where: { lastName: "Новикова" }, include: { student: true } });
    expect(await db.prisma.enrollment.count({ where: { studentId: p.student!.id, classId: s.classes.c2a } })).toBe(1);
  });

  it("R-33: records a leaving, tells the family and gives the marks extract as a PDF", async () => {
    const studentId = s.students.c8a[2];
    const name = await nameOf(studentId);
    const lesson = await lessonOf(db.prisma, s.assignments.russian8a, addDays(s.monday, -7));
    await addMarks(db.prisma, await s.actor(s.people.russianTeacher), {
      lessonId: lesson,
      workType: "oral",
      entries: [{ studentId, value: "5" }],
    });
    const [guardian] = s.guardians.get(studentId)!;
    await tg.as(guardian); // the family uses the bot

    await deputy.send("/students");
    await deputy.tap(/^8А · /);
    await deputy.tap(name);
    await deputy.tap("🚪 Выбытие");
    expect(deputy.lastText()).toContain("С какого числа ученик выбывает");
    await deputy.send("31.02.2026");
    expect(deputy.lastText()).toContain("Не понял дату");
    await deputy.tap(/^Сегодня/);
    await deputy.send("47 от 12.11.2026");
    expect(deputy.lastText()).toContain(
      `${name} Тестович выбыл(а) из 8А с ${dotted(s.today)} (приказ № 47 от 12.11.2026)`,
    );
    await deputy.tap("📄 Выписка оценок (PDF)");
    const doc = deputy.lastMessage()!.document!;
    expect(doc.file_name).toBe(`vypiska-${studentId}.pdf`);
    expect(deputy.lastMessage()!.caption).toContain(`Выписка оценок: ${name} Тестович`);
    const bytes = tg.emulator.files.get(doc.file_id)!.bytes;
    expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");

    const row = await db.prisma.outbox.findFirstOrThrow({ where: { kind: "student.left" } });
    const messages = await studentLeftHandler.handle(row, {
      db: db.prisma,
      now: new Date(),
      logger: createLogger("silent"),
    });
    expect(messages.map((m) => m.personId)).toEqual([guardian]);
    const render = messages[0].render as { key: string; params: Record<string, unknown> };
    expect(ru(render.key, render.params)).toContain(`${name}`);
    expect(ru(render.key, render.params)).toContain("выбыл(а) из школы");
    expect(tg.failedCalls()).toEqual([]);
  });

  it("refuses a teacher, by command and by forged buttons, and changes nothing", async () => {
    const teacher = await tg.as(s.people.mathTeacher);
    const before = await db.prisma.studentMovement.count();
    await teacher.send("/students");
    expect(teacher.lastText()).toBe(ru("errors:FORBIDDEN"));
    const studentId = s.students.c7b[1];
    for (const data of [
      `sycl:${s.classes.c7b}`,
      `syst:${studentId}`,
      `symv:leave:${studentId}`,
      `syext:${studentId}`,
    ]) {
      await teacher.press(data, teacher.lastMessage());
      expect(teacher.lastText()).toBe(ru("errors:FORBIDDEN"));
    }
    await teacher.press(`symv:admit:${s.classes.c7b}`, teacher.lastMessage());
    expect(teacher.lastText()).toBe(ru("errors:FORBIDDEN"));
    expect(teacher.messages.some((m) => m.document)).toBe(false);
    expect(await db.prisma.studentMovement.count()).toBe(before);
    expect(await db.prisma.student.findUniqueOrThrow({ where: { id: studentId } })).toMatchObject({ leftAt: null });
  });
});
