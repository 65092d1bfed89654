import { describe, expect, it } from "vitest";
import { splitSchema } from "../../src/db/database.ts";

describe("DATABASE_URL", () => {
  it("takes Prisma's ?schema= out of the URL and keeps everything else", () => {
    expect(splitSchema("postgresql://u:p@db:5432/school?schema=journal&sslmode=require")).toEqual({
      url: "postgresql://u:p@db:5432/school?sslmode=require",
      schema: "journal",
    });
    expect(splitSchema("postgresql://db/school")).toEqual({ url: "postgresql://db/school" });
  });
});
