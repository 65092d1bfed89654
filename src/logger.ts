// Structured JSON logs (pino). Secrets and personal data are redacted by path; callers log ids, not names.
import pino, { type Logger } from "pino";

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
  return pino(
    {
      level,
      base: { app: "classbook" },
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
