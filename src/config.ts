// Configuration, parsed once from the environment (and an optional .env file). A bad value stops start-up
// with one line naming the variable.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

const optionalUrl = z.preprocess((v) => (v === "" ? undefined : v), z.url().optional());

const schema = z.object({
  DATABASE_URL: optionalUrl,
  REDIS_URL: optionalUrl,
  BOT_TOKEN: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z
      .string()
      .regex(/^\d+:[A-Za-z0-9_-]{20,}$/, "expected a token from @BotFather, like 123456:ABC-DEF…")
      .optional(),
  ),
  TELEGRAM_API_ROOT: optionalUrl,
  PUBLIC_URL: optionalUrl,
  WEBHOOK_SECRET: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,256}$/, "letters, digits, _ and - only (Telegram's rule)")
      .optional(),
  ),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default("127.0.0.1"),
  DATA_DIR: z.string().min(1).default(".data"),
  APP_SECRET: z.preprocess((v) => (v === "" ? undefined : v), z.string().min(32, "at least 32 characters").optional()),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  DEFAULT_LOCALE: z.enum(["ru", "en"]).default("ru"),
  METRICS_TOKEN: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.string().min(16, "at least 16 characters").optional(),
  ),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,40}$/, "letters, digits, _ and - only")
    .default("classbook"),
  // More archive directories besides DATA_DIR/archive (R-30: at least two media), e.g. a mounted disk.
  ARCHIVE_DIRS: z.string().default(""),
  BACKUP_EVERY_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30, "at most 720 (R-30: backups at least monthly)")
    .default(24),
  BACKUP_KEEP: z.coerce.number().int().min(1).default(14),
  PG_BIN_DIR: z.preprocess((v) => (v === "" ? undefined : v), z.string().optional()),
  WEBHOOK_LEASE_SECONDS: z.coerce.number().int().min(1).max(600).default(30),
  OUTBOX_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  BOT_REFRESH_SECONDS: z.coerce.number().min(0.1).max(3600).default(10),
});

export interface Config {
  databaseUrl?: string;
  redisUrl?: string;
  botToken?: string;
  telegramApiRoot?: string;
  publicUrl?: string;
  webhookSecret?: string;
  port: number;
  host: string;
  dataDir: string;
  appSecret: string;
  logLevel: z.infer<typeof schema>["LOG_LEVEL"];
  defaultLocale: "ru" | "en";
  /** Redis key prefix of the queues, so that several deployments can share one Redis. */
  queuePrefix: string;
  /** Where archives, anchors and backups are written: DATA_DIR/archive first, then ARCHIVE_DIRS. */
  archiveDirs: string[];
  backupEveryHours: number;
  /** How many backups each target keeps. */
  backupKeep: number;
  /** Directory of pg_dump/pg_restore, when not found by themselves. */
  pgBinDir?: string;
  /** When set, /metrics answers only `Authorization: Bearer <token>`. */
  metricsToken?: string;
  /** How long a webhook update taken by a process is reserved for it (renewed while it works). */
  webhookLeaseSeconds: number;
  /** Outbox and Delivery rows older than this many days are pruned by the housekeeping job. */
  outboxRetentionDays: number;
  /** How often a running process rereads the schools' bots (a bot added is served without a restart). */
  botRefreshSeconds: number;
  /** No BOT_TOKEN: the sandbox, unless the database holds a school's bot token (run.ts decides at start). */
  sandbox: boolean;
}

export class ConfigError extends Error {}

function readDotEnv(file: string): Record<string, string> {
  if (!existsSync(file)) return {};
  const out: Record<string, string> = {};
  for (const line of readFileSync(file, "utf8").split(/\r?\n/)) {
    const m = /^\s*([A-Z_][A-Z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m) continue;
    out[m[1]] = m[2].replace(/^(['"])(.*)\1$/, "$2");
  }
  return out;
}

function loadOrCreateSecret(dataDir: string): string {
  const file = path.join(dataDir, "app-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

/** Parses the environment. Throws ConfigError with one line naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const merged = { ...readDotEnv(path.join(cwd, ".env")), ...env };
  const parsed = schema.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`Invalid configuration: ${String(issue.path[0])}: ${issue.message}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(cwd, e.DATA_DIR);
  return {
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    botToken: e.BOT_TOKEN,
    telegramApiRoot: e.TELEGRAM_API_ROOT,
    publicUrl: e.PUBLIC_URL,
    webhookSecret: e.WEBHOOK_SECRET,
    port: e.PORT,
    host: e.HOST,
    dataDir,
    appSecret: e.APP_SECRET ?? loadOrCreateSecret(dataDir),
    logLevel: e.LOG_LEVEL,
    defaultLocale: e.DEFAULT_LOCALE,
    queuePrefix: e.QUEUE_PREFIX,
    archiveDirs: [
      path.join(dataDir, "archive"),
      ...e.ARCHIVE_DIRS.split(/[,;]/)
        .map((d) => d.trim())
        .filter(Boolean)
        .map((d) => path.resolve(cwd, d)),
    ],
    backupEveryHours: e.BACKUP_EVERY_HOURS,
    backupKeep: e.BACKUP_KEEP,
    pgBinDir: e.PG_BIN_DIR,
    metricsToken: e.METRICS_TOKEN,
    webhookLeaseSeconds: e.WEBHOOK_LEASE_SECONDS,
    outboxRetentionDays: e.OUTBOX_RETENTION_DAYS,
    botRefreshSeconds: e.BOT_REFRESH_SECONDS,
    sandbox: !e.BOT_TOKEN,
  };
}
