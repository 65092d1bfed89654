import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoCommand } from "../../../src/cli/demo.ts";
import { importCommand } from "../../../src/cli/import.ts";
import { writeWorkbookXlsx } from "../../../src/core/import/write-template.ts";
import { createTestDb, type TestDb } from "../../helpers/db.ts";
import { smallWorkbook } from "./fixtures.ts";

let db: TestDb;
let dir: string;
beforeAll(async () => {
  db = await createTestDb();
  dir = await mkdtemp(path.join(os.tmpdir(), "cb-cli-"));
});
afterAll(async () => {
  await db.drop();
  await rm(dir, { recursive: true, force: true });
});

function ctx(lng: "ru" | "en") {
  const lines: string[] = [];
  return { lines, ctx: { prisma: db.prisma, lng, out: (s: string) => lines.push(s) } };
}

describe("cli import", () => {
  it("refuses a bad file with every error in the chosen language and exit code 1", async () => {
    const wb = smallWorkbook();
    wb.bells[1].starts = "25:00";
    wb.students[1].class = "7В";
    const file = path.join(dir, "bad.xlsx");
    await writeWorkbookXlsx(file, wb);
    const ru = ctx("ru");
    expect(await importCommand([file], ru.ctx)).toBe(1);
    expect(ru.lines[0]).toBe("Файл не загружен: найдено 2 ошибки. В базе ничего не изменено.");
    expect(ru.lines).toContain("  Лист «bells», строка 3, столбец «starts»: «25:00» — не время; нужен формат ЧЧ:ММ");
    const en = ctx("en");
    expect(await importCommand([file], en.ctx)).toBe(1);
    expect(en.lines).toContain("  Sheet “students”, row 3, column “class”: class “7В” is not on sheet classes");
    expect(await db.prisma.school.count()).toBe(0);
  });

  it("imports a good file, then reports that a second run changes nothing", async () => {
    const file = path.join(dir, "good.xlsx");
    await writeWorkbookXlsx(file, smallWorkbook());
    const first = ctx("ru");
    expect(await importCommand([file, "--date", "2026-11-24"], first.ctx)).toBe(0);
    expect(first.lines[0]).toBe("Импорт завершён: школа № 1, изменения действуют с 24 ноября 2026.");
    expect(first.lines).toContain("  Ученики: добавлено 3, изменено 0, без изменений 0, выбыло 0");
    const second = ctx("en");
    expect(await importCommand([file, "--school", "1", "--date", "2026-11-24"], second.ctx)).toBe(0);
    expect(second.lines).toEqual(["Nothing changed: the database already matches the file (school 1)."]);
  });

  it("writes the template and prints usage for bad arguments", async () => {
    const out = path.join(dir, "template.xlsx");
    const c = ctx("en");
    expect(await importCommand(["--template", out], c.ctx)).toBe(0);
    expect(c.lines[0]).toContain(out);
    expect(await importCommand([], c.ctx)).toBe(2);
    expect(await importCommand([path.join(dir, "missing.xlsx")], c.ctx)).toBe(1);
    expect(c.lines.at(-1)).toContain("not found");
  });

  it("demo does not seed over existing data", async () => {
    const c = ctx("ru");
    expect(await demoCommand([], c.ctx)).toBe(0);
    expect(c.lines[0]).toContain("демо-школы не создавались");
    expect(await db.prisma.school.count()).toBe(1);
  });
});
