// `npm run cli -- <command> [args]`: the administration's commands.
import { loadConfig } from "./config.ts";
import { verifyAuditChain } from "./core/audit.ts";
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
    case "invite": {
      const { inviteCommand } = await import("./cli/invite.ts");
      return withDb(async (db) => {
        const bot = await db.prisma.bot.findFirst({ orderBy: { id: "asc" }, select: { username: true } });
        return inviteCommand(args, { prisma: db.prisma, botUsername: bot?.username ?? "classbook_bot", out, lng });
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
    case "audit-verify":
      return withDb(async (db) => {
        const i = args.indexOf("--school");
        const schools =
          i >= 0 ? [Number(args[i + 1])] : (await db.prisma.school.findMany({ select: { id: true } })).map((s) => s.id);
        let ok = true;
        for (const schoolId of schools) {
          const report = await verifyAuditChain(db.prisma, schoolId);
          out(
            report.ok
              ? t("cli:audit.ok", { schoolId, count: report.checked })
              : t("cli:audit.broken", { schoolId, id: report.brokenAt }),
          );
          ok &&= report.ok;
        }
        return ok ? 0 : 1;
      });
    default:
      out(t("cli:usage"));
      return command ? 2 : 0;
  }
}

process.exitCode = await main();
