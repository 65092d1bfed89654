import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations } from "../../src/db/schema-engine.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";

describe("migrations", () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb();
  });
  afterAll(() => db.drop());

  it("creates the whole model and applying again changes nothing", async () => {
    const again = await applyMigrations({ connectionString: db.url, schema: db.schema });
    expect(again).toEqual([]);
    const school = await db.prisma.school.create({ data: { name: "Школа №1" } });
    expect(await db.prisma.school.findUnique({ where: { id: school.id } })).toMatchObject({
      name: "Школа №1",
      timezone: "Europe/Moscow",
    });
  });
});
