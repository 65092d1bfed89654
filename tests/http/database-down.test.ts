// A database that cannot be reached is reported as such: /readyz says not ready, and the sandbox page says
// "unavailable, retrying" — never "no school", which would invite a destructive `demo --reset`.
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrisma } from "../../src/db/database.ts";
import { buildApp } from "../../src/http/app.ts";
import { createLogger } from "../../src/logger.ts";
import { renderSandboxPage } from "../../src/sandbox/page.ts";

let app: FastifyInstance;
const prisma = createPrisma("postgresql://postgres@127.0.0.1:1/none"); // nothing listens on port 1

beforeAll(async () => {
  app = await buildApp({ config: { defaultLocale: "ru" }, prisma, logger: createLogger("silent"), sandbox: true });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await prisma.$disconnect();
});

describe("the database is unreachable", () => {
  it("/readyz answers 503 with database: false", async () => {
    const res = await app.inject({ method: "GET", url: "/readyz" });
    expect(res.statusCode).toBe(503);
    expect(res.json().checks.database).toBe(false);
  });

  it("the sandbox's school and people lists answer 503 DATABASE_UNAVAILABLE, not NO_SCHOOL", async () => {
    for (const url of ["/sandbox/schools", "/sandbox/people", "/sandbox/people?school=2"]) {
      const res = await app.inject({ method: "GET", url });
      expect({ url, status: res.statusCode, body: res.json() }).toEqual({
        url,
        status: 503,
        body: { error: "DATABASE_UNAVAILABLE" },
      });
    }
  });

  it("the page carries the 'unavailable, retrying' line in both languages", () => {
    expect(renderSandboxPage("ru")).toContain("База данных недоступна, повторяем попытку");
    expect(renderSandboxPage("en")).toContain("The database is unavailable; retrying");
  });
});
