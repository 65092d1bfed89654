// /metrics behind METRICS_TOKEN: a scraper sends `Authorization: Bearer <token>`; anyone else gets 401.
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.ts";
import { buildApp } from "../../src/http/app.ts";
import { createLogger } from "../../src/logger.ts";
import { pollUntil } from "../helpers/child-product.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";

const TOKEN = "scrape-me-0123456789abcdef";
let db: TestDb;
let app: FastifyInstance;

beforeAll(async () => {
  db = await createTestDb();
  app = await buildApp({
    config: { defaultLocale: "ru", metricsToken: TOKEN },
    prisma: db.prisma,
    logger: createLogger("silent"),
  });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await db.drop();
});

const metrics = (authorization?: string) =>
  app.inject({ method: "GET", url: "/metrics", headers: authorization ? { authorization } : {} });

describe("/metrics with METRICS_TOKEN set", () => {
  it("answers 401 without the token or with another one", async () => {
    for (const auth of [undefined, "Bearer wrong-token-0123456789", `Basic ${TOKEN}`, `Bearer ${TOKEN}x`]) {
      const res = await metrics(auth);
      expect(res.statusCode).toBe(401);
      expect(res.body).not.toContain("process_uptime_seconds");
    }
  });

  it("answers the Prometheus text with the token", async () => {
    const res = await metrics(`Bearer ${TOKEN}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain("process_uptime_seconds");
  });

  it("health and readiness stay open for the load balancer", async () => {
    expect((await app.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
    // readiness may say "not yet" while a busy machine is slow to answer; it must become ready without a token
    await pollUntil(
      async () => (await app.inject({ method: "GET", url: "/readyz" })).statusCode === 200,
      "/readyz answering 200",
      60_000,
    );
  });

  it("a token shorter than 16 characters stops start-up with one line naming the variable", () => {
    expect(() => loadConfig({ METRICS_TOKEN: "short", APP_SECRET: "x".repeat(32) })).toThrow(ConfigError);
    expect(() => loadConfig({ METRICS_TOKEN: "short", APP_SECRET: "x".repeat(32) })).toThrow(/METRICS_TOKEN/);
    expect(loadConfig({ METRICS_TOKEN: TOKEN, APP_SECRET: "x".repeat(32) }).metricsToken).toBe(TOKEN);
  });
});
