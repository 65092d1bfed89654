// One process serves every school's bot (issue 9, item 2), started as an operator starts it: schools and their
// bots are rows (tokens sealed as `bot set-token` leaves them). The web role registers a webhook per bot with
// its own secret and handles each update with its own school's bot; the bot role long-polls every bot; a school
// added while running is served without a restart.
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterEach, describe, expect, inject, it } from "vitest";
import type { Running } from "../../src/app/run.ts";
import { sealBotToken } from "../../src/messenger/telegram/bot-token.ts";
import { pollUntil, START_BUDGET_MS } from "../helpers/child-product.ts";
import { type ProductEnv, productEnv } from "../helpers/product.ts";
import { type FakeBotApi, startFakeBotApi } from "../jobs/helpers/fake-bot-api.ts";

const token = (n: number) => `${900000 + n}:TOKEN${String(n).repeat(32).slice(0, 32)}`;
const PUBLIC_URL = "https://journal.region.example";

function startUpdate(updateId: number, userId: number) {
  return {
    update_id: updateId,
    message: {
      message_id: updateId,
      date: 0,
      chat: { id: userId, type: "private" },
      from: { id: userId, is_bot: false, first_name: "Guest" },
      text: "/start",
      entities: [{ type: "bot_command", offset: 0, length: 6 }],
    },
  };
}

describe("one process, every school's bot", () => {
  let api: FakeBotApi | undefined;
  let env: ProductEnv | undefined;
  let running: Running | undefined;
  afterEach(async () => {
    await running?.stop();
    await env?.cleanup();
    await api?.close();
    running = env = api = undefined;
  });

  /** A school with its bot (sealed token) and a linked teacher; returns the bot's id. */
  async function addSchool(e: ProductEnv, n: number): Promise<{ botId: number; teacherUserId: number }> {
    const q = (text: string, values: unknown[]) => e.sql(text.replaceAll('"T".', `"${e.schema}".`), values);
    const school = await q(`INSERT INTO "T"."School" (name) VALUES ($1) RETURNING id`, [`School ${n}`]);
    const schoolId = school.rows[0].id as number;
    const bot = await q(
      `INSERT INTO "T"."Bot" ("schoolId", username, "tokenEncrypted", "webhookSecret") VALUES ($1, $2, $3, $4) RETURNING id`,
      [schoolId, `school_${n}_bot`, sealBotToken(token(n), e.config.appSecret), `secret_${n}`],
    );
    const botId = bot.rows[0].id as number;
    const person = await q(
      `INSERT INTO "T"."Person" ("schoolId", "lastName", "firstName", "middleName") VALUES ($1, 'Petrova', 'Anna', 'Ivanovna') RETURNING id`,
      [schoolId],
    );
    const personId = person.rows[0].id as number;
    await q(`INSERT INTO "T"."StaffRole" ("schoolId", "personId", role) VALUES ($1, $2, 'TEACHER')`, [
      schoolId,
      personId,
    ]);
    const teacherUserId = 5_000_000 + n;
    await q(
      `INSERT INTO "T"."MessengerAccount" ("schoolId", "personId", "botId", "telegramUserId", "chatId", "languageCode") VALUES ($1, $2, $3, $4, $4, 'en')`,
      [schoolId, personId, botId, teacherUserId],
    );
    return { botId, teacherUserId };
  }

  async function migrated(vars: Record<string, string>): Promise<ProductEnv> {
    api = await startFakeBotApi();
    const e = await productEnv({ TELEGRAM_API_ROOT: api.apiRoot, BOT_REFRESH_SECONDS: "0.2", ...vars });
    // the first start migrates the schema: no school yet, no bot served
    running = await e.start("worker");
    await running.stop();
    running = undefined;
    return e;
  }

  it(
    "webhooks: one per bot with its own secret; an update is handled by its own school's bot; a new school's bot is picked up",
    async () => {
      env = await migrated({ PUBLIC_URL });
      const a = await addSchool(env, 1);
      const b = await addSchool(env, 2);
      running = await env.start("web");
      const fake = api!;
      const hooks = () => fake.calls.filter((c) => c.method === "setWebhook");
      expect(hooks().map((c) => [c.token, c.body.url, c.body.secret_token])).toEqual(
        expect.arrayContaining([
          [token(1), `${PUBLIC_URL}/telegram/${a.botId}`, "secret_1"],
          [token(2), `${PUBLIC_URL}/telegram/${b.botId}`, "secret_2"],
        ]),
      );

      const post = (botId: number, secret: string, update: object) =>
        fetch(`${running!.url}/telegram/${botId}`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": secret },
          body: JSON.stringify(update),
        });
      // school 1's secret does not open school 2's webhook
      expect((await post(b.botId, "secret_1", startUpdate(1, a.teacherUserId))).status).toBe(401);

      // school 1's teacher is known to school 1's bot only: school 2's bot answers as to a stranger
      expect((await post(a.botId, "secret_1", startUpdate(2, a.teacherUserId))).status).toBe(200);
      expect((await post(b.botId, "secret_2", startUpdate(3, a.teacherUserId))).status).toBe(200);
      const replies = fake.sent.filter((m) => m.chatId === a.teacherUserId);
      expect(replies.map((m) => m.token)).toEqual([token(1), token(2)]);
      expect(replies[0].text).toContain("Anna Ivanovna");
      expect(replies[1].text).not.toContain("Anna");

      // a school added while running: its webhook is set and its updates handled, no restart
      const c = await addSchool(env, 3);
      await pollUntil(() => hooks().some((h) => h.token === token(3)), "the new bot's webhook", 30_000);
      expect(hooks().find((h) => h.token === token(3))?.body.url).toBe(`${PUBLIC_URL}/telegram/${c.botId}`);
      expect((await post(c.botId, "secret_3", startUpdate(4, c.teacherUserId))).status).toBe(200);
      expect(fake.sent.filter((m) => m.chatId === c.teacherUserId).map((m) => m.token)).toEqual([token(3)]);
    },
    START_BUDGET_MS,
  );

  it(
    "long polling: every bot polls with its own token; a new school's bot starts polling while running",
    async () => {
      env = await migrated({});
      await addSchool(env, 1);
      await addSchool(env, 2);
      running = await env.start("bot");
      const fake = api!;
      const polling = (n: number) => fake.calls.some((c) => c.method === "getUpdates" && c.token === token(n));
      await pollUntil(() => polling(1) && polling(2), "both bots polling", 30_000);
      expect(polling(3)).toBe(false);
      await addSchool(env, 3);
      await pollUntil(() => polling(3), "the new bot polling", 30_000);
    },
    START_BUDGET_MS,
  );

  it(
    "workers: a school added while running gets its own scheduled jobs (the digest's here), no restart",
    async () => {
      const redisUrl = inject("redisUrl");
      if (!redisUrl) return; // BullMQ on PostgreSQL: the same code path, checked with Redis here
      env = await migrated({});
      const first = await addSchool(env, 1);
      running = await env.start("worker");
      const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
      const digest = new Queue("digest", { connection: redis as never, prefix: env.schema });
      try {
        const schedulers = async () => (await digest.getJobSchedulers()).map((j) => j.key);
        const schoolOf = async (botId: number) =>
          (await env!.sql(`SELECT "schoolId" FROM "${env!.schema}"."Bot" WHERE id = $1`, [botId])).rows[0]
            .schoolId as number;
        expect(await schedulers()).toEqual([`digest-fanout-${await schoolOf(first.botId)}`]);
        const second = await addSchool(env, 2);
        const secondSchool = await schoolOf(second.botId);
        await pollUntil(
          async () => (await schedulers()).includes(`digest-fanout-${secondSchool}`),
          "the new school's digest schedule",
          30_000,
        );
      } finally {
        await digest.close();
        redis.disconnect();
      }
    },
    START_BUDGET_MS,
  );
});
