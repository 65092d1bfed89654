// R-32 from the command line: `year create` prepares the next year, `year close --dry-run` prints who moves
// where and changes nothing, `year close` applies it; the held back are named by their import ids.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { yearCommand } from "../../../src/cli/year.ts";
import { importSchool } from "../../../src/core/import/import-school.ts";
import { createTestDb, type TestDb } from "../../helpers/db.ts";
import { smallWorkbook } from "../import/fixtures.ts";

let db: TestDb;
let schoolId: number;
beforeAll(async () => {
  db = await createTestDb();
  ({ schoolId } = await importSchool(db.prisma, smallWorkbook(), { effectiveDate: "2026-08-20" }));
});
afterAll(() => db.drop());

async function run(...args: string[]) {
  const lines: string[] = [];
  const code = await yearCommand(args, { prisma: db.prisma, lng: "ru", out: (s) => lines.push(s) });
  return { code, text: lines.join("\n") };
}

describe("R-32 npm run cli -- year", () => {
  it("R-32: creates the next year, shows the dry run, then applies it", async () => {
    const school = ["--school", String(schoolId)];
    expect(
      (await run("create", ...school, "--name", "2027/2028", "--starts", "2027-09-01", "--ends", "2028-05-31")).code,
    ).toBe(0);
    const close = [
      ...school,
      "--from",
      "2026/2027",
      "--to",
      "2027/2028",
      "--order",
      "112-у от 29.05.2027",
      "--held-back",
      "S2",
    ];
    const dry = await run("close", ...close, "--dry-run");
    expect(dry.code).toBe(0);
    expect(dry.text).toContain("Перевод учащихся из 2026/2027 в 2027/2028, приказ № 112-у от 29.05.2027:");
    expect(dry.text).toContain("  7А → 8А: 1");
    expect(dry.text).toContain("(повторное обучение): 1");
    expect(dry.text).toContain("будут созданы классы нового года: 7А, 8А, 8Б");
    expect(dry.text).toContain("Пробный запуск: ничего не изменено.");
    expect(await db.prisma.studentMovement.count()).toBe(0);

    const applied = await run("close", ...close);
    expect(applied.code).toBe(0);
    expect(applied.text).toContain("Готово: год закрыт, учащихся переведено: 3.");
    const year = await db.prisma.academicYear.findFirstOrThrow({ where: { schoolId, name: "2026/2027" } });
    expect(year.closedAt).not.toBeNull();
    expect((await run("close", ...close)).code).toBe(1);
    expect((await run("close", ...school)).code).toBe(2);
  });
});
