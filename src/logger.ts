// Structured JSON logs (pino). Secrets are redacted by path; personal data at any depth by src/log-redaction.ts
// (errors lose their request payloads, texts and names go, AppError details keep ids). Callers log ids, not names.
import pino, { type Logger } from "pino";
import { safeError, scrub } from "./log-redaction.ts";

export type { Logger };

export const REDACT_PATHS = [
  "token",
  "*.token",
  "botToken",
  "*.botToken",
  "config.appSecret",
  "appSecret",
  "password",
  "*.password",
  "req.headers.authorization",
  "req.headers.cookie",
  'req.headers["x-telegram-bot-api-secret-token"]',
  "text",
  "*.text",
  "message.text",
  "update.message",
  "update.callback_query",
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const logger = pino(
    {
      level,
      base: { app: "classbook" },
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      formatters: {
        log: (obj) => scrub(obj) as Record<string, unknown>,
        bindings: (bindings) => scrub(bindings) as Record<string, unknown>,
      },
      serializers: { err: (err: unknown) => (err instanceof Error ? safeError(err) : err) },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
  // pino applies the bindings formatter to the root only: a child's bindings are scrubbed here (children inherit
  // this method through their prototype, so grandchildren too).
  const child = logger.child;
  logger.child = function (this: Logger, bindings, options) {
    return child.call(this, scrub(bindings) as pino.Bindings, options);
  } as typeof logger.child;
  return logger;
}
