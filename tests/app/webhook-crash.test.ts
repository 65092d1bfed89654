// The product in webhook mode as an operator runs it (`serve --role web`, a child process) against a Bot API
// stand-in (Telegram's flood control enforced) that can hold its answer to sendMessage, so an update is caught mid-handling: killed there, the
// redelivered update is handled once after the restart; stopped there (SIGTERM), the update still finishes.
import { type ChildProcess, spawn } from "node:child_process";
import net, { type AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { applyMigrations, projectRoot } from "../../src/db/schema-engine.ts";
import { type ProductEnv, productEnv } from "../helpers/product.ts";
import { type FakeBotApi, startFakeBotApi } from "../jobs/helpers/fake-bot-api.ts";

const SECRET = "crash_test_secret";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, tries = 1800): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}

const TOKEN = "123457:ABCDEFGHIJKLMNOPQRSTUVWXYZ";
let api: FakeBotApi;
const sends = () => api.calls.filter((c) => c.method === "sendMessage");
let env: ProductEnv;
let port: number;
let output = "";

/** `serve --role web` in a child process: one node process (tsx as a loader), so SIGKILL kills the server. */
function serve(): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli.ts", "serve", "--role", "web"], {
    cwd: projectRoot,
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: env.config.databaseUrl,
      ...(env.config.redisUrl ? { REDIS_URL: env.config.redisUrl } : {}),
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: env.config.dataDir,
      QUEUE_PREFIX: env.config.queuePrefix,
      BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: api.apiRoot,
      PUBLIC_URL: "https://journal.school.example",
      WEBHOOK_SECRET: SECRET,
      WEBHOOK_LEASE_SECONDS: "1",
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (c) => {
    output += c;
  });
  child.stderr?.on("data", (c) => {
    output += c;
  });
  return child;
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((r) => {
    if (child.exitCode !== null || child.signalCode !== null) r(child.exitCode);
    else child.once("exit", (code) => r(code));
  });

const hooks = () => api.calls.filter((c) => c.method === "setWebhook").length;

/** Started once it registered the webhook (the bot's getMe done). */
async function started(): Promise<ChildProcess> {
  const before = hooks();
  const child = serve();
  await until("the product to start", () => {
    if (child.exitCode !== null) throw new Error(`the product exited: ${output}`);
    return hooks() > before || undefined;
  });
  return child;
}

const update = (updateId: number, chatId: number) => ({
  update_id: updateId,
  message: {
    message_id: 1,
    date: 0,
    chat: { id: chatId, type: "private" },
    from: { id: chatId, is_bot: false, first_name: "Гость" },
    text: "/start",
    entities: [{ type: "bot_command", offset: 0, length: 6 }],
  },
});

function post(body: unknown): Promise<Response> {
  return fetch(`http://127.0.0.1:${port}/telegram/${botId}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": SECRET },
    body: JSON.stringify(body),
  });
}

let botId: number;

async function row(updateId: number) {
  const { rows } = await env.sql(
    `SELECT "handledAt", "leaseUntil", "attempts" FROM "${env.schema}"."ProcessedUpdate" WHERE "updateId" = $1`,
    [updateId],
  );
  return rows[0] as { handledAt: Date | null; leaseUntil: Date | null; attempts: number } | undefined;
}

beforeAll(async () => {
  api = await startFakeBotApi({ enforce: true, bots: { [TOKEN]: { id: 4243, username: "crash_test_bot" } } });
  env = await productEnv();
  port = await freePort();
  await applyMigrations({ connectionString: inject("databaseUrl"), schema: env.schema });
  await env.sql(`INSERT INTO "${env.schema}"."School" (name) VALUES ('Школа')`);
});
afterAll(async () => {
  await env.cleanup();
  await api.close();
});

describe("webhook: an update counts as processed only once handled", () => {
  it("SIGKILL mid-handling, restart: Telegram's redelivery is handled exactly once; a later duplicate gets 200 and nothing", async () => {
    let child = await started();
    const hook = api.calls.find((c) => c.method === "setWebhook")!;
    botId = Number(new URL(String(hook.body.url)).pathname.split("/").pop());

    api.holdSends(true);
    const inFlight = post(update(501, 8801)).catch((err: Error) => err);
    await until("the reply to be on its way", () => api.held.length === 1);
    child.kill("SIGKILL");
    await exited(child);
    expect(await inFlight).toBeInstanceOf(Error); // Telegram saw no answer: it will redeliver
    expect(await row(501)).toMatchObject({ handledAt: null, attempts: 1 });
    api.holdSends(false);

    child = await started();
    const sendsBefore = sends().length;
    // Telegram redelivers until it gets a 200; a 503 while the dead process's lease runs out
    const statuses: number[] = [];
    await until("a 200 for the redelivered update", async () => {
      const res = await post(update(501, 8801));
      statuses.push(res.status);
      return res.status === 200 || undefined;
    });
    expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
    const replies = sends().slice(sendsBefore);
    expect(replies).toHaveLength(1);
    expect(replies[0].body).toMatchObject({ chat_id: 8801 });
    expect(String(replies[0].body.text)).toContain("приглашение");
    const handled = await row(501);
    expect(handled?.handledAt).toBeInstanceOf(Date);
    expect(handled?.attempts).toBe(2);

    const again = await post(update(501, 8801));
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ ok: true, duplicate: true });
    expect(sends().length).toBe(sendsBefore + 1);

    child.kill("SIGTERM");
    expect(await exited(child)).toBe(0);
  }, 180_000);

  it("SIGTERM mid-handling: the in-flight update finishes (200, handled) before the process exits", async () => {
    const child = await started();
    if (!botId)
      botId = Number(
        new URL(String(api.calls.find((c) => c.method === "setWebhook")!.body.url)).pathname.split("/").pop(),
      );
    api.holdSends(true);
    const heldBefore = api.held.length;
    const inFlight = post(update(502, 8802));
    await until("the reply to be on its way", () => api.held.length > heldBefore);
    child.kill("SIGTERM");
    // the server stops taking new connections while the update is still being handled
    await until("the server to stop listening", async () => {
      const refused = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.status === 503,
        () => true,
      );
      return refused || undefined;
    });
    api.holdSends(false);
    api.held[heldBefore].release();
    const res = await inFlight;
    expect(res.status).toBe(200);
    const code = await exited(child);
    expect(code, output).toBe(0);
    expect((await row(502))?.handledAt).toBeInstanceOf(Date);
  }, 120_000);
});
