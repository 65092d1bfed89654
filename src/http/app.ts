// The HTTP application: health, readiness, metrics, the Telegram webhook and (in sandbox mode) the Bot API
// emulator with its chat page. Built by a factory so tests use `app.inject` on a real instance.
import { createHash, randomUUID, timingSafeEqual } from "node:crypto";
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from "fastify";
import type { Config } from "../config.ts";
import { type AppError, isAppError } from "../core/errors.ts";
import type { Db } from "../core/tx.ts";
import type { Logger } from "../logger.ts";
import type { SandboxBots } from "../sandbox/bots.ts";
import { sandboxPlugin } from "../sandbox/plugin.ts";
import { HttpMetrics } from "./metrics.ts";
import { registerWebhook, type WebhookTarget } from "./webhook.ts";

export interface JobsHealth {
  ping(): Promise<boolean>;
  counts(): Promise<Record<string, Record<string, number>>>;
}

export interface SandboxDeps {
  /** The emulators of the database's bots, shared with the caller; created by the sandbox otherwise. */
  bots?: SandboxBots;
}

export interface AppDeps {
  config: Pick<Config, "defaultLocale"> & Partial<Config>;
  prisma: Db;
  logger: Logger;
  jobs?: JobsHealth;
  /** Webhook targets: POST /telegram/:botId (a function when the bots served change while running). */
  bot?: WebhookTarget | WebhookTarget[] | ((botId: number) => WebhookTarget | undefined);
  /** Serve the Bot API emulator and the chat page under /sandbox. */
  sandbox?: boolean | SandboxDeps;
}

const STATUS: Partial<Record<AppError["code"], number>> = {
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  VALIDATION: 400,
  CONFLICT: 409,
  LOCKED_PERIOD: 409,
  CORRECTION_WINDOW_CLOSED: 409,
  NO_MARKS_FOR_GRADE: 422,
  INVITE_INVALID: 404,
  INVITE_EXPIRED: 410,
  INVITE_USED: 409,
  CONSENT_REQUIRED: 403,
  IMPORT_INVALID: 422,
};

export function appErrorStatus(err: AppError): number {
  return STATUS[err.code] ?? 400;
}

/** Paths may carry a bot token (/sandbox/api/bot<token>/…): never log one. */
export function redactUrl(url: string): string {
  return url.replace(/\/bot[^/?]+/g, "/bot[redacted]");
}

async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error("timeout")), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Compares digests, so neither the length nor the content of the token leaks through timing. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(.+)$/i.exec(header ?? "");
  if (!m) return false;
  const digest = (s: string) => createHash("sha256").update(s).digest();
  return timingSafeEqual(digest(m[1].trim()), digest(token));
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger as unknown as FastifyBaseLogger,
    // one "request completed" line of our own (onResponse below), with the URL's secrets redacted
    logController: new LogController({ disableRequestLogging: true }),
    requestIdHeader: "x-request-id",
    genReqId: () => randomUUID(),
    bodyLimit: 10 * 1024 * 1024,
    // On close only idle keep-alive sockets are cut: in-flight requests (a webhook update being handled) finish
    // within the shutdown budget, or their lease runs out and Telegram's redelivery is taken over.
    forceCloseConnections: "idle",
  });
  const metrics = new HttpMetrics();

  // A request still running when the server closes must not leave its keep-alive socket behind (it would hold
  // the close until the keep-alive timeout): its answer says "Connection: close".
  let closing = false;
  app.addHook("preClose", async () => {
    closing = true;
  });
  app.addHook("onSend", async (req, reply) => {
    reply.header("x-request-id", req.id);
    if (closing) reply.header("connection", "close");
  });
  app.addHook("onResponse", async (req, reply) => {
    const route = req.routeOptions.url ?? "unmatched";
    metrics.observe(req.method, route, reply.statusCode, reply.elapsedTime / 1000);
    if (route.startsWith("/sandbox/api/") || route === "/metrics" || route === "/healthz") return;
    req.log.info(
      { method: req.method, url: redactUrl(req.url), status: reply.statusCode, ms: Math.round(reply.elapsedTime) },
      "request completed",
    );
  });

  app.setErrorHandler(async (err, req, reply) => {
    if (isAppError(err)) return reply.code(appErrorStatus(err)).send({ error: err.code });
    const e = err as { statusCode?: number; validation?: unknown; code?: string; message?: string };
    if (e.validation) return reply.code(400).send({ error: "VALIDATION", message: e.message });
    const status = e.statusCode && e.statusCode >= 400 && e.statusCode < 500 ? e.statusCode : 500;
    if (status >= 500) {
      req.log.error({ err, url: redactUrl(req.url) }, "request failed");
      return reply.code(500).send({ error: "INTERNAL" });
    }
    return reply.code(status).send({ error: e.code ?? "BAD_REQUEST", message: e.message });
  });
  app.setNotFoundHandler(async (_req, reply) => reply.code(404).send({ error: "NOT_FOUND" }));

  app.get("/healthz", async () => ({ status: "ok" }));

  app.get("/readyz", async (_req, reply) => {
    const checks: Record<string, boolean> = {};
    try {
      await withTimeout(deps.prisma.$queryRaw`SELECT 1`, 3000);
      checks.database = true;
    } catch {
      checks.database = false;
    }
    if (deps.jobs) {
      try {
        checks.jobs = (await withTimeout(deps.jobs.ping(), 3000)) === true;
      } catch {
        checks.jobs = false;
      }
    }
    const ready = Object.values(checks).every(Boolean);
    return reply.code(ready ? 200 : 503).send({ status: ready ? "ok" : "not ready", checks });
  });

  const metricsToken = deps.config.metricsToken;
  app.get("/metrics", async (req, reply) => {
    if (metricsToken && !bearerMatches(req.headers.authorization, metricsToken)) {
      return reply.code(401).header("www-authenticate", "Bearer").send({ error: "UNAUTHORIZED" });
    }
    return reply.type("text/plain; version=0.0.4; charset=utf-8").send(await metrics.render(deps.jobs));
  });

  const targets = !deps.bot ? [] : typeof deps.bot === "function" || Array.isArray(deps.bot) ? deps.bot : [deps.bot];
  if (typeof targets === "function" || targets.length > 0) {
    const leaseSeconds = deps.config.webhookLeaseSeconds;
    registerWebhook(app, deps.prisma, targets, leaseSeconds ? { leaseMs: leaseSeconds * 1000 } : {});
  }

  if (deps.sandbox) {
    const sandbox = deps.sandbox === true ? {} : deps.sandbox;
    await app.register(sandboxPlugin, {
      prefix: "/sandbox",
      prisma: deps.prisma,
      defaultLocale: deps.config.defaultLocale,
      ...sandbox,
    });
  }
  return app;
}
