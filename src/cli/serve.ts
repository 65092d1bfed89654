// `serve --role web|bot|worker|all`: runs the product until SIGINT/SIGTERM, then shuts down gracefully.
import { ROLES, type Role, run } from "../app/run.ts";
import { ConfigError, loadConfig } from "../config.ts";
import { translator } from "../i18n.ts";
import { createLogger } from "../logger.ts";

export async function serveCommand(args: string[]): Promise<number> {
  const i = args.indexOf("--role");
  const role = (i >= 0 ? args[i + 1] : "all") as Role;
  if (!ROLES.includes(role)) {
    console.error(`usage: serve --role ${ROLES.join("|")}`);
    return 2;
  }
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      return 1;
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  const running = await run(role, config, logger).catch((err) => {
    // a setting the environment got wrong, found only at start-up (e.g. a QUEUE_PREFIX taken): one clear line
    if (err instanceof ConfigError) console.error(err.message);
    else logger.fatal({ err }, "start-up failed");
    return undefined;
  });
  if (!running) return 1;
  const t = translator(config.defaultLocale);
  logger.info({ role, url: running.url }, "ready");
  if (running.sandboxUrl) console.log(t("cli:ready.sandbox", { url: running.sandboxUrl }));
  else if (running.url) console.log(t("cli:ready.url", { url: running.url }));

  await new Promise<void>((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      logger.info({ signal }, "shutting down");
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      resolve();
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
  await running.stop();
  logger.info("stopped");
  return 0;
}
