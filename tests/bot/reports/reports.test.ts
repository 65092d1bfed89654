// «📊 Отчёты» in the bot (issue 10; ..R-29): the administration picks a report, a span and a scope; the
// summary shows on screen; PDF and XLSX arrive as documents once the reports job has run. The class teacher gets
// the reports of their class, with how often each family opened the diary, and the printed journal. Tampered
// buttons are refused and ask for nothing.

import { Api } from "grammy";
import { extractText, getDocumentProxy } from "unpdf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { saveAttendance } from "../../../src/core/journal/attendance.ts";
import { createTelegramDocumentSender } from "../../../src/jobs/documents.ts";
import { pickUpReportRequests, runReportRequest } from "../../../src/jobs/modules/reports.ts";
import { createLogger } from "../../../src/logger.ts";
import { createTestDb, type TestDb } from "../../helpers/db.ts";
import type { TestSchool } from "../../helpers/factories.ts";
import {
  createFakeTelegram,
  emulatorFetch,
  type FakeTelegram,
  type FakeUser,
  TEST_BOT_TOKEN,
} from "../../helpers/telegram.ts";
import { lessonOf, schoolWithLessonsToday } from "../class-admin/school-setup.ts";

const FORBIDDEN = "Нет доступа. Если это ошибка, обратитесь к администратору журнала.";
let db: TestDb;
let s: TestSchool & { today: string };
let tg: FakeTelegram;
let deputy: FakeUser;
let classTeacher: FakeUser;

/** What the reports worker does: pick up new requests and build each (the job processors call the same). */
async function runReportsJob(): Promise<string[]> {
  const documents = createTelegramDocumentSender({
    prisma: db.prisma,
    apiFor: (botId) =>
      botId === tg.botId
        ? new Api(TEST_BOT_TOKEN, { fetch: emulatorFetch(tg.emulator, tg.calls) as never })
        : undefined,
  });
  const ids: number[] = [];
  await pickUpReportRequests(db.prisma, s.schoolId, async (id) => void ids.push(id));
  const logger = createLogger("silent");
  const out: string[] = [];
  for (const id of ids) out.push(await runReportRequest({ prisma: db.prisma, logger, documents }, id));
  return out;
}

function lastDocument(user: FakeUser) {
  const m = user.lastMessage();
  const doc = m?.document;
  if (!doc) throw new Error(`no document; last text: ${user.lastText()}`);
  return { name: doc.file_name ?? "", caption: m.caption ?? "", bytes: tg.emulator.files.get(doc.file_id)!.bytes };
}

async function pdfText(bytes: Buffer) {
  const pdf = await getDocumentProxy(new Uint8Array(bytes));
  const { totalPages, text } = await extractText(pdf, { mergePages: false });
  return { totalPages, pages: text as string[] };
}

beforeAll(async () => {
  db = await createTestDb();
  s = await schoolWithLessonsToday(db.prisma);
  const st = s.students.c7b;
  const math = await s.actor(s.people.mathTeacher);
  const algebra = await lessonOf(db.prisma, s.assignments.algebra7b, s.today);
  await saveAttendance(db.prisma, math, { lessonId: algebra, absent: [st[0]], late: [] });
  // the diary opened by Алексеев's mother twice today, by Белова's mother once
  const [g0] = s.guardians.get(st[0])!;
  const [g1] = s.guardians.get(st[1])!;
  await db.prisma.viewLog.createMany({
    data: [
      { schoolId: s.schoolId, viewerId: g0, studentId: st[0], what: "day" },
      { schoolId: s.schoolId, viewerId: g0, studentId: st[0], what: "marks" },
      { schoolId: s.schoolId, viewerId: g1, studentId: st[1], what: "day" },
    ],
  });
  tg = await createFakeTelegram({ prisma: db.prisma, schoolId: s.schoolId });
  deputy = await tg.as(s.people.deputy);
  classTeacher = await tg.as(s.people.mathTeacher);
});
afterAll(async () => {
  await db.drop();
});

describe("the administration's reports", () => {
  it("R-26: journal filling of the school for a week — summary on screen, then the PDF and the XLSX as documents", async () => {
    await deputy.send("📊 Отчёты");
    expect(deputy.lastText()).toContain("Отчёты. Что подготовить?");
    await deputy.tap("📝 Заполнение журнала");
    await deputy.tap("Неделя");
    await deputy.tap("🏫 Вся школа");
    const summary = deputy.lastText();
    expect(summary).toContain("Контроль заполнения журнала");
    expect(summary).toMatch(/Уроков: \d+; без темы: \d+/);
    expect(summary).toContain("Дневник открывали: родители — 2 из");
    await deputy.tap("📄 PDF");
    expect(deputy.lastText()).toContain("Готовлю файл PDF");
    expect(await runReportsJob()).toEqual(["sent"]);
    const pdf = lastDocument(deputy);
    expect(pdf.name).toMatch(/^filling-school-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.pdf$/);
    expect(pdf.caption).toContain("Контроль заполнения журнала — школа");
    const { pages } = await pdfText(pdf.bytes);
    expect(pages[0]).toContain("Контроль заполнения журнала — школа");
    expect(pages[0]).toContain("Уроков без темы");
    expect(pages.at(-1)).toMatch(/Стр\. \d+ из \d+/);

    await deputy.tap("📊 XLSX");
    expect(await runReportsJob()).toEqual(["sent"]);
    const xlsx = lastDocument(deputy);
    expect(xlsx.name).toMatch(/^filling-school-.*\.xlsx$/);
    expect(xlsx.bytes.subarray(0, 2).toString()).toBe("PK");
    expect(tg.callsOf("sendDocument")).toHaveLength(2);
    expect(await runReportsJob()).toEqual([]); // nothing is sent twice
    expect(tg.failedCalls()).toEqual([]);
  });

  it("R-27: performance of a class for the period, and R-28 accumulation of a subject, as documents", async () => {
    await deputy.send("/reports");
    await deputy.tap("📈 Успеваемость");
    await deputy.tap("Учебный период");
    await deputy.tap("Класс");
    await deputy.tap("7Б");
    expect(deputy.lastText()).toContain("Успеваемость и качество знаний");
    expect(deputy.lastText()).toContain("класс 7Б");
    expect(deputy.lastText()).toMatch(/Успеваемость: .*качество: .*СОУ: .*средний балл/);
    await deputy.tap("📊 XLSX");
    await runReportsJob();
    expect(lastDocument(deputy).name).toMatch(/^performance-class-7B-.*\.xlsx$/);

    await deputy.send("/reports");
    await deputy.tap("🔢 Накопляемость отметок");
    await deputy.tap("Месяц");
    await deputy.tap("Предмет");
    await deputy.tap("Алгебра");
    expect(deputy.lastText()).toContain("Пар «ученик — предмет»");
    await deputy.tap("📄 PDF");
    await runReportsJob();
    const doc = lastDocument(deputy);
    expect(doc.name).toMatch(/^accumulation-subject-Algebra-.*\.pdf$/);
    expect((await pdfText(doc.bytes)).pages.join("\n")).toContain("Накопляемость отметок");
  });

  it("R-29: the printed journal of a class for a period — title page with contents and sheets, summary sheet", async () => {
    await deputy.send("/reports");
    await deputy.tap("📚 Печатный журнал");
    await deputy.tap("7Б");
    expect(deputy.lastText()).toContain("Печатный журнал 7Б");
    await deputy.tap("2-я четверть");
    await runReportsJob();
    const doc = lastDocument(deputy);
    expect(doc.name).toMatch(/^journal-7B-.*\.pdf$/);
    const { totalPages, pages } = await pdfText(doc.bytes);
    // title + per assignment (algebra, English groups 1 and 2, Russian): a marks sheet and a topics sheet
    // (lessons exist) + the summary sheet
    expect(pages[0]).toContain("КЛАССНЫЙ ЖУРНАЛ");
    expect(pages[0]).toContain("7Б класса");
    expect(pages[0]).toContain(`Всего в журнале листов: ${totalPages}`);
    expect(pages[0]).toContain("Английский язык (группа 1)");
    expect(pages.some((p) => p.includes("Алгебра") && p.includes("Итог"))).toBe(true);
    const last = pages.at(-1)!;
    expect(last).toContain("Сводная ведомость итоговых отметок");
    expect(last).toContain("Директор");
    expect(last).toContain("Классный руководитель");
    expect(last).toContain(`Лист ${totalPages} из ${totalPages}`);
    expect(totalPages).toBeGreaterThanOrEqual(6);
  });
});

describe("the class teacher's reports", () => {
  it("R-23: from «👥 Мой класс», the filling report of their class with how often each family opened the diary", async () => {
    await classTeacher.send("/class");
    await classTeacher.tap("📊 Отчёты класса");
    expect(classTeacher.lastText()).toContain("Отчёты по классу 7Б");
    await classTeacher.tap("📝 Заполнение журнала");
    await classTeacher.tap("Неделя");
    const text = classTeacher.lastText();
    expect(text).toContain("Как часто семьи открывают дневник:");
    expect(text).toMatch(/Алексеев[^\n]*: Родитель0 М\. Т\. — 2 раза/);
    expect(text).toMatch(/Белова[^\n]*: Родитель1 М\. Т\. — 1 раз,/);
    await classTeacher.tap("📄 PDF");
    await runReportsJob();
    const doc = lastDocument(classTeacher);
    expect(doc.name).toMatch(/^filling-class-7B-.*\.pdf$/);
    expect((await pdfText(doc.bytes)).pages.join("\n")).toContain("Как семьи открывают дневник");
  });

  it("R-29: the class teacher prints their class journal", async () => {
    await classTeacher.send("/reports");
    await classTeacher.tap("📚 Печатный журнал");
    await classTeacher.tap("2-я четверть");
    await runReportsJob();
    expect(lastDocument(classTeacher).name).toMatch(/^journal-7B-/);
  });

  it("R-23/R-26: tampered buttons — another class, the school, a stranger — are refused and ask for nothing", async () => {
    const before = await db.prisma.reportRequest.count();
    const c8a = s.classes.c8a;
    await classTeacher.send("/reports");
    await classTeacher.press(`rp_v:filling:week:class:${c8a}:${c8a}`);
    expect(classTeacher.lastText()).toBe(FORBIDDEN);
    await classTeacher.press(`rp_f:performance:period:school:0:pdf`);
    expect(classTeacher.lastText()).toBe(FORBIDDEN);
    await classTeacher.press(`rp_q:${c8a}:1`);
    expect(classTeacher.lastText()).toBe(FORBIDDEN);
    await classTeacher.press("rp_c:filling:week:teacher");
    expect(classTeacher.lastText()).toBe(FORBIDDEN);
    await classTeacher.press("rp_f:filling:week:nobody:0:pdf");
    const parent = await tg.as(s.guardians.get(s.students.c7b[0])![0]);
    await parent.send("/reports");
    expect(parent.lastText()).toBe(FORBIDDEN);
    expect(await db.prisma.reportRequest.count()).toBe(before);
    expect(tg.failedCalls()).toEqual([]);
  });
});
