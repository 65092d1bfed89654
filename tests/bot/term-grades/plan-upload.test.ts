// the teacher loads the thematic plan of a class and subject from the bot — «📥 Загрузить КТП» on the term
// sheet, then a CSV or XLSX file. A file with errors lists each one with its row and changes nothing; a good file
// replaces the plan. Only Telegram's file download is faked (served from the fake Telegram's stored files).
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { planUploadCallback } from "../../../src/bot/features/term-grades/plan-upload.ts";
import { createTestDb, type TestDb } from "../../helpers/db.ts";
import type { TestSchool } from "../../helpers/factories.ts";
import { createFakeTelegram, type FakeTelegram, type FakeUser } from "../../helpers/telegram.ts";
import { schoolWithLessonsToday } from "../class-admin/school-setup.ts";

let db: TestDb;
let s: TestSchool;
let tg: FakeTelegram;
let math: FakeUser;
const realFetch = globalThis.fetch;

beforeAll(async () => {
  db = await createTestDb();
  s = await schoolWithLessonsToday(db.prisma);
  tg = await createFakeTelegram({ prisma: db.prisma, schoolId: s.schoolId });
  math = await tg.as(s.people.mathTeacher);
  vi.stubGlobal("fetch", async (input: string | URL | Request, init?: RequestInit) => {
    const url = String(input instanceof Request ? input.url : input);
    const m = /^https:\/\/api\.telegram\.org\/file\/bot[^/]+\/(.+)$/.exec(url);
    if (!m) return realFetch(input, init);
    const file = tg.emulator.fileByPath(m[1]);
    return file ? new Response(new Uint8Array(file.bytes)) : new Response("not found", { status: 404 });
  });
}, 120_000);
afterAll(async () => {
  vi.unstubAllGlobals();
  await db?.drop();
});

const planItems = () =>
  db.prisma.planItem.findMany({ where: { assignmentId: s.assignments.algebra7b }, orderBy: { number: "asc" } });

describe("R-19: a thematic plan loaded from the bot", () => {
  it("a CSV with errors: every error listed by row, nothing loaded", async () => {
    await math.send("/terms");
    await math.tap("7Б · Алгебра");
    await math.tap("📥 Загрузить КТП");
    expect(math.lastText()).toContain("Пришлите файл тематического плана");
    await math.sendDocument({
      filename: "ktp.csv",
      bytes: "order;topic;hours\n1;Линейные уравнения;2\nx;Системы;1\n3;;1\n",
    });
    const text = math.lastText();
    expect(text).toContain("❌ План не загружен, ничего не изменено");
    expect(text).toContain("• строка 3: в столбце order нужно целое число");
    expect(text).toContain("• строка 4: не заполнен столбец topic");
    expect(await planItems()).toEqual([]);
  });

  it("the fixed file as XLSX (another tap): the plan is loaded and audited", async () => {
    const book = new ExcelJS.Workbook();
    const ws = book.addWorksheet("КТП");
    ws.addRow(["№", "Тема", "Часы"]);
    ws.addRow([1, "Линейные уравнения", 2]);
    ws.addRow([2, "Системы линейных уравнений", 3]);
    ws.addRow([3, "Неравенства", 4]);
    const bytes = Buffer.from(await book.xlsx.writeBuffer());
    await math.tap("📥 Загрузить КТП");
    await math.sendDocument({ filename: "ktp.xlsx", bytes });
    expect(math.lastText()).toContain("✅ План загружен: 3 темы, часов: 9.");
    expect((await planItems()).map((p) => [p.number, p.topic, p.hours])).toEqual([
      [1, "Линейные уравнения", 2],
      [2, "Системы линейных уравнений", 3],
      [3, "Неравенства", 4],
    ]);
    expect(await db.prisma.auditEvent.count({ where: { schoolId: s.schoolId, action: "plan.load" } })).toBe(1);
  });

  it("another teacher's assignment: the upload is refused and nothing changes", async () => {
    const other = await tg.as(s.people.russianTeacher);
    await other.send("/terms");
    await other.press(planUploadCallback.encode({ assignmentId: s.assignments.algebra7b }));
    await other.sendDocument({ filename: "ktp.csv", bytes: "order,topic,hours\n1,Чужой план,1\n" });
    expect(other.lastText()).toContain("недоступны");
    expect(await planItems()).toHaveLength(3);
    expect(tg.failedCalls()).toEqual([]);
  });
});
