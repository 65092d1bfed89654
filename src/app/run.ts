// The composition root: opens the database, seeds the demo schools in the sandbox, and starts the roles of this
// process — web (Fastify: health, metrics, webhook, sandbox), bot (long polling), worker (BullMQ) — or all of them.
import { createHmac } from "node:crypto";
import net from "node:net";
import type { FastifyInstance } from "fastify";
import { Redis } from "ioredis";
import { createBot, initBot, startBotPolling } from "../bot/index.ts";
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
import { createBotDirectory, type ServedBot } from "../messenger/telegram/bot-directory.ts";
import { postgresRateStore, redisRateStore } from "../messenger/telegram/rate-store.ts";
import { sandboxBotToken } from "../sandbox/tokens.ts";
import { pollingFleet, webhookFleet } from "./bot-fleet.ts";
import { adoptConfiguredBot } from "./configured-bot.ts";

export const ROLES = ["web", "bot", "worker", "all"] as const;
export type Role = (typeof ROLES)[number];

export interface Running {
  /** Where a person can try the product (the sandbox page), when this process serves it. */
  sandboxUrl?: string;
  url?: string;
  stop(): Promise<void>;
}

const SHUTDOWN_BUDGET_MS = 10_000;

/** A bot's webhook secret when its row holds none. Telegram allows A-Z, a-z, 0-9, _ and - in it. */
function webhookSecret(appSecret: string, botId: number): string {
  return createHmac("sha256", appSecret).update(`telegram-webhook:${botId}`).digest("base64url");
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

    // Without BOT_TOKEN the sandbox, unless the schools' bots were set up with `bot set-token`.
    const sandbox = config.sandbox && (await prisma.bot.count({ where: { tokenEncrypted: { not: null } } })) === 0;
    if (sandbox && (has("web") || has("bot"))) {
      const seeded = await seedDemoIfEmpty(prisma);
      if (seeded.seeded) logger.info({ schoolIds: seeded.schoolIds }, "demo schools seeded");
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
          !sandbox && config.publicUrl ? BOT_STORAGE_REDIS_OPTIONS : { maxRetriesPerRequest: null, lazyConnect: false },
        )
      : undefined;
    if (redis) {
      // ioredis reports each failed reconnect; one line per outage is enough (the webhook answers 503 meanwhile)
      let down = false;
      redis.on("error", (err) => {
        if (!down) logger.warn({ err }, "Redis for the bot's state is unreachable; retrying");
        down = true;
      });
      redis.on("ready", () => {
        down = false;
      });
      stops.push(async () => void redis.disconnect());
    }

    // Which Bot API the bots and the senders talk to.
    // the sandbox serves every Bot row itself, each with its own emulator, told apart by the stand-in token
    const sandboxPage = sandbox && has("web");
    // The sandbox's address must be known before anything talks to it: resolve PORT=0 to a free port now.
    const port = config.port === 0 && has("web") ? await freePort(config.host) : config.port;
    const apiRoot = config.telegramApiRoot ?? (sandbox ? `http://127.0.0.1:${port}/sandbox/api` : undefined);
    if (school && config.botToken) {
      await adoptConfiguredBot(prisma, {
        schoolId: school.id,
        token: config.botToken,
        apiRoot,
        appSecret: config.appSecret,
        webhookSecret: config.webhookSecret,
      });
    } else if (school && sandbox) {
      await ensureBot(prisma, { schoolId: school.id, username: SANDBOX_BOT_USERNAME });
    }

    // Every school's bot, each with its own transport (its limits shared with the other processes through Redis
    // or PostgreSQL), shared in this process by the bot's replies and the jobs' sends (replies go first).
    const directory = createBotDirectory({
      prisma,
      appSecret: config.appSecret,
      apiRoot,
      store: redis ? redisRateStore(redis, config.queuePrefix) : postgresRateStore(prisma),
      standInToken: sandbox ? sandboxBotToken : undefined,
      defaultWebhookSecret: (botId) => webhookSecret(config.appSecret, botId),
      logger,
    });
    stops.push(async () => directory.close());

    let jobs: Jobs | undefined;
    const makeJobs = () =>
      createJobs({
        ...featureJobs({
          prisma,
          logger,
          outboxRetentionDays: config.outboxRetentionDays,
          config,
          database: { url: db.url, schema: db.schema },
          documents: createTelegramDocumentSender({ prisma, apiFor: (id) => directory.get(id)?.replyApi }),
        }),
        prisma,
        logger: logger.child({ role: "jobs" }),
        databaseUrl: db.url,
        databaseSchema: db.schema,
        redisUrl: config.redisUrl,
        prefix: config.queuePrefix,
        bots: directory,
      });

    let app: FastifyInstance | undefined;
    let url: string | undefined;
    const webhook = !sandbox && !!config.publicUrl;
    const makeBot = (served: ServedBot) =>
      createBot({
        token: served.token,
        apiRoot,
        prisma,
        logger: logger.child({ botId: served.id, schoolId: served.schoolId }),
        botId: served.id,
        schoolId: served.schoolId,
        defaultLocale: config.defaultLocale,
        redis,
        transport: served.transport,
      });
    if (has("web")) {
      jobs = makeJobs();
      stops.push(() => jobs!.close());
      const fleet = webhook
        ? webhookFleet({
            directory,
            makeBot,
            logger,
            publicUrl: config.publicUrl!,
            init: (bot) => initBot(bot, config.defaultLocale),
            storageReady: () => !redis || redis.status === "ready",
          })
        : undefined;
      app = await buildApp({
        config: { ...config, sandbox },
        prisma,
        logger,
        jobs,
        bot: fleet ? (botId) => fleet.target(botId) : undefined,
        sandbox: sandboxPage,
      });
      await app.listen({ host: config.host, port });
      stops.push(() => app!.close());
      url = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`;
    }

    if (has("bot") && !webhook) {
      const fleet = pollingFleet({
        directory,
        makeBot,
        logger,
        startPolling: (bot) => startBotPolling(bot, { defaultLocale: config.defaultLocale, logger }),
      });
      // polling stops before the web server closes: its last getUpdates goes to the sandbox
      stops.push(() => fleet.stop());
    }

    // Now that the web server listens (a webhook may be called at once, the sandbox answers polls), the bots
    // start; a bot added later is started by the watch.
    const served = await directory.refresh();
    logger.info({ bots: served.length, sandbox }, "bots served");
    directory.watch(config.botRefreshSeconds * 1000);

    if (has("worker")) {
      if (!jobs) {
        jobs = makeJobs();
        stops.push(() => jobs!.close());
      }
      await jobs.startWorkers();
      await jobs.startSchedulers();
      // a school given its bot while running gets its digests, prompts and housekeeping without a restart
      const scheduling = jobs;
      directory.onChange(async (change) => {
        if (change.kind !== "added") return;
        await scheduling
          .scheduleNewSchools()
          .catch((err) => logger.error({ err, schoolId: change.bot.schoolId }, "could not schedule a school's jobs"));
      });
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
