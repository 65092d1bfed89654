import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.ts";

const dir = mkdtempSync(path.join(os.tmpdir(), "classbook-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("configuration", () => {
  it("runs on embedded defaults with nothing set, generating and keeping APP_SECRET", () => {
    const c = loadConfig({ DATA_DIR: "data" }, dir);
    expect(c).toMatchObject({ port: 3000, host: "127.0.0.1", sandbox: true, logLevel: "info", defaultLocale: "ru" });
    expect(c).toMatchObject({ webhookLeaseSeconds: 30, outboxRetentionDays: 90 });
    expect(c.databaseUrl).toBeUndefined();
    expect(c.appSecret.length).toBeGreaterThanOrEqual(32);
    expect(readFileSync(path.join(dir, "data", "app-secret"), "utf8").trim()).toBe(c.appSecret);
    expect(loadConfig({ DATA_DIR: "data" }, dir).appSecret).toBe(c.appSecret);
  });

  it.each([
    ["PORT", "http", /^Invalid configuration: PORT: /],
    ["DATABASE_URL", "not a url", /^Invalid configuration: DATABASE_URL: /],
    ["BOT_TOKEN", "abc", /^Invalid configuration: BOT_TOKEN: expected a token from @BotFather/],
    ["LOG_LEVEL", "loud", /^Invalid configuration: LOG_LEVEL: /],
    ["WEBHOOK_SECRET", "has spaces", /^Invalid configuration: WEBHOOK_SECRET: /],
    ["WEBHOOK_LEASE_SECONDS", "0", /^Invalid configuration: WEBHOOK_LEASE_SECONDS: /],
    ["OUTBOX_RETENTION_DAYS", "ninety", /^Invalid configuration: OUTBOX_RETENTION_DAYS: /],
  ])("a bad %s stops start-up with one line naming it", (name, value, message) => {
    let err: unknown;
    try {
      loadConfig({ DATA_DIR: "data", [name]: value }, dir);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).not.toContain("\n");
  });

  it("reads .env, the environment winning over it; a token switches the sandbox off", () => {
    writeFileSync(path.join(dir, ".env"), 'PORT=4000\nBOT_TOKEN="123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ"\nHOST=0.0.0.0\n');
    const c = loadConfig({ DATA_DIR: "data", HOST: "127.0.0.2" }, dir);
    expect(c).toMatchObject({
      port: 4000,
      host: "127.0.0.2",
      sandbox: false,
      botToken: "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    });
  });
});
