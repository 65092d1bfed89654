// `npm run cli -- <command> [args]`: the administration's commands.
import { loadConfig } from "./config.ts";
import { openDatabase } from "./db/database.ts";
import { pickLanguage, translator } from "./i18n.ts";

const [command, ...args] = process.argv.slice(2);
const langFlag = args.indexOf("--lang");
const lng = pickLanguage(langFlag >= 0 ? args.splice(langFlag, 2)[1] : (process.env.LANG ?? "ru"));
const t = translator(lng);
const out = (s: string) => console.log(s);

async function withDb<T>(fn: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>): Promise<T> {
  const db = await openDatabase(loadConfig());
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

async function main(): Promise<number> {
  switch (command) {
    case "serve":
      return (await import("./cli/serve.ts")).serveCommand(args);
    case "import": {
      const { importCommand } = await import("./cli/import.ts");
      return withDb((db) => importCommand(args, { prisma: db.prisma, lng, out }));
    }
    case "demo": {
      const { demoCommand } = await import("./cli/demo.ts");
      return withDb((db) => demoCommand(args, { prisma: db.prisma, lng, out }));
    }
    case "year": {
      const { yearCommand } = await import("./cli/year.ts");
      return withDb((db) => yearCommand(args, { prisma: db.prisma, lng, out }));
    }
    case "school":
    case "bot": {
      const { schoolCommand, botCommand } = await import("./cli/schools.ts");
      const config = loadConfig();
      const ctx = { lng, out, appSecret: config.appSecret, apiRoot: config.telegramApiRoot };
      return withDb((db) => (command === "school" ? schoolCommand : botCommand)(args, { ...ctx, prisma: db.prisma }));
    }
    case "invite": {
      const { inviteCommand } = await import("./cli/invite.ts");
      return withDb(async (db) => {
        // the link opens the bot of the invited person's school (every school has its own)
        const botOfSchool = async (schoolId: number) => {
          const bot = await db.prisma.bot.findFirst({
            where: { schoolId },
            orderBy: { id: "asc" },
            select: { username: true },
          });
          return bot?.username ?? "classbook_bot";
        };
        return inviteCommand(args, { prisma: db.prisma, botUsername: botOfSchool, out, lng });
      });
    }
    case "migrate": {
      // opening the database applies what is pending; report what that was
      const applied: string[] = [];
      const db = await openDatabase(loadConfig(), {
        log: (msg) => {
          const m = /^migrations applied: (.*)$/.exec(msg);
          if (m) applied.push(m[1]);
        },
      });
      await db.close();
      out(applied.length ? t("cli:migrate.applied", { names: applied.join(", ") }) : t("cli:migrate.none"));
      return 0;
    }
    case "audit-verify": {
      const { auditVerifyCommand } = await import("./cli/archive.ts");
      const { archiveEnv } = await import("./jobs/archive/archive-env.ts");
      return withDb((db) => auditVerifyCommand(args, { prisma: db.prisma, env: archiveEnv(loadConfig()), lng, out }));
    }
    case "archive": {
      const { archiveCommand } = await import("./cli/archive.ts");
      const { archiveEnv } = await import("./jobs/archive/archive-env.ts");
      return withDb((db) => archiveCommand(args, { prisma: db.prisma, env: archiveEnv(loadConfig()), lng, out }));
    }
    case "backup": {
      const { backupCommand } = await import("./cli/archive.ts");
      const { archiveEnv } = await import("./jobs/archive/archive-env.ts");
      return withDb((db) => backupCommand({ url: db.url, schema: db.schema, env: archiveEnv(loadConfig()), lng, out }));
    }
    case "restore": {
      const { restoreCommand } = await import("./cli/archive.ts");
      const { archiveEnv } = await import("./jobs/archive/archive-env.ts");
      // no migrations first: the backup brings its own schema and migration history
      const db = await openDatabase(loadConfig(), { migrate: false });
      try {
        return await restoreCommand(args[0], {
          url: db.url,
          schema: db.schema,
          env: archiveEnv(loadConfig()),
          lng,
          out,
        });
      } finally {
        await db.close();
      }
    }
    default:
      out(t("cli:usage"));
      return command ? 2 : 0;
  }
}

process.exitCode = await main();
