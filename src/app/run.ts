// The composition root: opens the database, seeds the demo school in the sandbox, and starts the roles of this
// process — web (Fastify: health, metrics, webhook, sandbox), bot (long polling), worker (BullMQ) — or all of them.
import { createHmac } from "node:crypto";
import net from "node:net";
import type { FastifyInstance } from "fastify";
import { Api } from "grammy";
import { Redis } from "ioredis";
import { type ClassbookBot, createBot, initBot, startBotPolling } from "../bot/index.ts";
import { BOT_STORAGE_REDIS_OPTIONS } from "../bot/storage.ts";
import type { Config } from "../config.ts";
import { ensureBot } from "../core/accounts/index.ts";
import { SANDBOX_BOT_USERNAME, seedDemoIfEmpty } from "../core/demo/seed.ts";
import { type Database, openDatabase } from "../db/database.ts";
import { buildApp } from "../http/app.ts";
import { createTelegramDocumentSender } from "../jobs/documents.ts";
import { createJobs, type Jobs } from "../jobs/index.ts";
import { featureJobs } from "../jobs/modules/index.ts";
import { claimQueuePrefixOnRedis } from "../jobs/queue-prefix-owner.ts";
import type { Logger } from "../logger.ts";
import { postgresRateStore, redisRateStore } from "../messenger/telegram/rate-store.ts";
import { createTelegramTransport } from "../messenger/telegram/transport.ts";
import { sandboxBotToken } from "../sandbox/tokens.ts";

export const ROLES = ["web", "bot", "worker", "all"] as const;
export type Role = (typeof ROLES)[number];

export interface Running {
  /** Where a person can try the product (the sandbox page), when this process serves it. */
  sandboxUrl?: string;
  url?: string;
  stop(): Promise<void>;
}

const SHUTDOWN_BUDGET_MS = 10_000;

/** Telegram allows A-Z, a-z, 0-9, _ and - in the secret token. */
function webhookSecret(config: Config): string {
  return config.webhookSecret ?? createHmac("sha256", config.appSecret).update("telegram-webhook").digest("base64url");
}

function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, host, () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export async function run(role: Role, config: Config, logger: Logger): Promise<Running> {
  const has = (r: Role) => role === "all" || role === r;
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) {
      await stop().catch((err) => logger.error({ err }, "error while stopping"));
    }
  };

  try {
    const db: Database = await openDatabase(config, {
      log: (msg) => logger.info(msg),
      warn: (msg) => logger.warn(msg),
    });
    stops.push(() => db.close());
    const { prisma } = db;

    if (config.sandbox && (has("web") || has("bot"))) {
      const seeded = await seedDemoIfEmpty(prisma);
      if (seeded.seeded) logger.info({ schoolId: seeded.schoolId }, "demo school seeded");
    }
    const school = await prisma.school.findFirst({ orderBy: { id: "asc" }, select: { id: true } });
    if (!school) logger.warn("no school in the database yet: load one with `npm run cli -- import <file>`");

    if (config.redisUrl)
      await claimQueuePrefixOnRedis({ prisma, redisUrl: config.redisUrl, prefix: config.queuePrefix });
    // The bot's conversation state: a webhook fails fast while Redis is down (503, Telegram redelivers); long
    // polling waits for it (nothing would deliver the update again).
    const redis = config.redisUrl
      ? new Redis(
          config.redisUrl,
          !config.sandbox && config.publicUrl
            ? BOT_STORAGE_REDIS_OPTIONS
            : { maxRetriesPerRequest: null, lazyConnect: false },
        )
      : undefined;
    if (redis) stops.push(async () => void redis.disconnect());

    // Which Bot API the bot and the sender talk to.
    const sandboxPage = config.sandbox && has("web");
    // The sandbox's address must be known before anything talks to it: resolve PORT=0 to a free port now.
    const port = config.port === 0 && has("web") ? await freePort(config.host) : config.port;
    const apiRoot = config.telegramApiRoot ?? (config.sandbox ? `http://127.0.0.1:${port}/sandbox/api` : undefined);
    let botId: number | undefined;
    let botUsername = SANDBOX_BOT_USERNAME;
    if (school) {
      if (!config.sandbox && config.botToken && (has("bot") || has("web") || has("worker"))) {
        const me = await new Api(config.botToken, { apiRoot }).getMe();
        botUsername = me.username;
      }
      botId = await ensureBot(prisma, { schoolId: school.id, username: botUsername });
    }
    // in the sandbox every bot has its own stand-in token; the emulator tells the bots apart by it
    const token = config.botToken ?? sandboxBotToken(botId ?? 0);

    // One transport for the bot per process, shared by its replies and the jobs' sends (replies go first); its
    // limits are shared with every other process through Redis or PostgreSQL.
    const botRow = botId ? await prisma.bot.findUnique({ where: { id: botId }, select: { sendRate: true } }) : null;
    const transport = createTelegramTransport({
      botId: botId ?? 0,
      store: redis ? redisRateStore(redis, config.queuePrefix) : postgresRateStore(prisma),
      limits: botRow?.sendRate ? { botPerSecond: botRow.sendRate } : undefined,
      logger: logger.child({ role: "transport" }),
    });

    let jobs: Jobs | undefined;
    const makeJobs = () =>
      createJobs({
        ...featureJobs({
          prisma,
          logger,
          outboxRetentionDays: config.outboxRetentionDays,
          config,
          database: { url: db.url, schema: db.schema },
          documents: botId ? createTelegramDocumentSender({ prisma, botId, token, apiRoot, transport }) : undefined,
        }),
        prisma,
        logger: logger.child({ role: "jobs" }),
        databaseUrl: db.url,
        databaseSchema: db.schema,
        redisUrl: config.redisUrl,
        prefix: config.queuePrefix,
        telegram: { token, apiRoot, botId: botId ?? 0, transport },
      });

    let app: FastifyInstance | undefined;
    let url: string | undefined;
    let bot: ClassbookBot | undefined;
    const webhook = !config.sandbox && !!config.publicUrl;
    const makeBot = (schoolId: number, id: number) =>
      createBot({
        token,
        apiRoot,
        prisma,
        logger,
        botId: id,
        schoolId,
        defaultLocale: config.defaultLocale,
        redis,
        transport,
      });
    if (has("web")) {
      jobs = makeJobs();
      stops.push(() => jobs!.close());
      if (webhook && school && botId) bot = makeBot(school.id, botId);
      const secret = webhookSecret(config);
      app = await buildApp({
        config,
        prisma,
        logger,
        jobs,
        bot:
          bot && botId
            ? {
                botId,
                secretToken: secret,
                handleUpdate: (u) => bot!.handleUpdate(u as never),
                ready: () => bot!.isInited() && (!redis || redis.status === "ready"),
              }
            : undefined,
        sandbox: sandboxPage,
      });
      await app.listen({ host: config.host, port });
      stops.push(() => app!.close());
      url = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`;
      if (bot && botId) {
        await initBot(bot, config.defaultLocale);
        await bot.api.setWebhook(`${config.publicUrl!.replace(/\/+$/, "")}/telegram/${botId}`, {
          secret_token: secret,
          allowed_updates: ["message", "callback_query", "my_chat_member"],
        });
      }
    }

    if (has("bot") && !webhook && school && botId) {
      const handle = await startBotPolling(makeBot(school.id, botId), { defaultLocale: config.defaultLocale, logger });
      // polling stops before the web server closes: its last getUpdates goes to the sandbox
      stops.push(() => handle.stop());
    }

    if (has("worker")) {
      if (!jobs) {
        jobs = makeJobs();
        stops.push(() => jobs!.close());
      }
      await jobs.startWorkers();
      await jobs.startSchedulers();
    }

    return {
      url,
      sandboxUrl: sandboxPage && url ? `${url}/sandbox` : undefined,
      async stop() {
        const timer = setTimeout(() => {
          logger.error("shutdown took longer than 10 s; exiting");
          process.exit(1);
        }, SHUTDOWN_BUDGET_MS);
        timer.unref();
        await stopAll();
        clearTimeout(timer);
      },
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
