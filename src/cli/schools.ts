// `school add --name … --timezone … [--bot-token <token>|-]`, `school list` and `bot set-token <school> <token>|-`
// (issue 9): the schools of the deployment and their bots. A token is checked with Telegram's getMe, then kept
// sealed under APP_SECRET; it is never printed, whatever happens ("-" reads it from standard input, out of the
// shell history and the process list).
import { isAppError } from "../core/errors.ts";
import {
  addSchool,
  listSchools,
  type SchoolBotInput,
  type SchoolBotResult,
  setSchoolBot,
} from "../core/schools/index.ts";
import { validateSchoolInput } from "../core/schools/school-input.ts";
import { translator } from "../i18n.ts";
import { sealBotToken } from "../messenger/telegram/bot-token.ts";
import { checkBotToken } from "../messenger/telegram/check-bot-token.ts";
import type { CliContext, Translate } from "./import.ts";

export interface SchoolCliContext extends CliContext {
  appSecret: string;
  /** TELEGRAM_API_ROOT, when set: where getMe is asked. */
  apiRoot?: string;
  /** Standard input, for a token given as "-". */
  readStdin?: () => Promise<string>;
}

async function readAll(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function flags(args: string[], names: string[]): Map<string, string> | null {
  const out = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const name = args[i].startsWith("--") ? args[i].slice(2) : "";
    const v = args[i + 1];
    if (!names.includes(name) || v === undefined) return null;
    out.set(name, v);
    i++;
  }
  return out;
}

/** The token itself: "-" reads the first line of standard input. */
async function tokenOf(given: string, ctx: SchoolCliContext): Promise<string> {
  if (given !== "-") return given.trim();
  return ((await (ctx.readStdin ?? readAll)()).split(/\r?\n/)[0] ?? "").trim();
}

/** getMe, then the sealed token; null (and a translated line, never the token) when Telegram says no. */
async function checkedBot(token: string, ctx: SchoolCliContext, t: Translate): Promise<SchoolBotInput | null> {
  if (!token) {
    ctx.out(t("schools:bot.noToken"));
    return null;
  }
  const check = await checkBotToken(token, { apiRoot: ctx.apiRoot });
  if (!check.ok) {
    ctx.out(t(`schools:bot.${check.reason}`));
    return null;
  }
  return { username: check.username, tokenEncrypted: sealBotToken(token, ctx.appSecret) };
}

function botLine(schoolId: number, bot: SchoolBotResult, t: Translate): string {
  if (bot.created) return t("schools:bot.created", { username: bot.username, schoolId });
  if (bot.replaced) return t("schools:bot.replaced", { username: bot.username, old: bot.replaced, schoolId });
  return t("schools:bot.updated", { username: bot.username, schoolId });
}

/** The line for a refusal of the core, or undefined for an error that is not one of ours. */
function refusal(err: unknown, t: Translate): string | undefined {
  if (!isAppError(err)) return undefined;
  const d = err.details;
  if (err.code === "VALIDATION" && d.field === "name")
    return t(d.reason === "TOO_LONG" ? "schools:nameTooLong" : "schools:nameEmpty", { max: d.max });
  if (err.code === "VALIDATION" && d.field === "timezone") return t("schools:badTimezone", { value: d.value });
  if (err.code === "CONFLICT" && d.reason === "SCHOOL_NAME_TAKEN")
    return t("schools:nameTaken", { name: d.name, id: d.schoolId });
  if (err.code === "CONFLICT" && d.reason === "BOT_OF_OTHER_SCHOOL")
    return t("schools:bot.otherSchool", { username: d.username, schoolId: d.schoolId });
  if (err.code === "NOT_FOUND" && d.entity === "School") return t("schools:schoolNotFound", { id: d.id });
  return t(`errors:${err.code}`);
}

async function refused<T>(work: () => Promise<T>, ctx: CliContext, t: Translate): Promise<T | null> {
  try {
    return await work();
  } catch (err) {
    const line = refusal(err, t);
    if (line === undefined) throw err;
    ctx.out(line);
    return null;
  }
}

export async function schoolCommand(args: string[], ctx: SchoolCliContext): Promise<number> {
  const t = translator(ctx.lng) as unknown as Translate;
  const [sub, ...rest] = args;
  if (sub === "list" && rest.length === 0) {
    const schools = await listSchools(ctx.prisma);
    if (schools.length === 0) ctx.out(t("schools:list.empty"));
    for (const s of schools) {
      const bot = s.bots[0];
      ctx.out(
        t("schools:list.line", {
          id: s.id,
          name: s.name,
          timezone: s.timezone,
          bot: bot
            ? t(bot.hasToken ? "schools:list.bot" : "schools:list.botNoToken", { username: bot.username })
            : t("schools:list.noBot"),
          classes: t("schools:list.classes", { count: s.classes }),
          people: t("schools:list.people", { count: s.people }),
        }),
      );
    }
    return 0;
  }
  const f = sub === "add" ? flags(rest, ["name", "timezone", "bot-token"]) : null;
  if (!f?.has("name") || !f.has("timezone")) {
    ctx.out(t("schools:usage"));
    return 2;
  }
  const input = await refused(
    async () => validateSchoolInput({ name: f.get("name")!, timezone: f.get("timezone")! }),
    ctx,
    t,
  );
  if (!input) return 1;
  let bot: SchoolBotInput | undefined;
  if (f.has("bot-token")) {
    const checked = await checkedBot(await tokenOf(f.get("bot-token")!, ctx), ctx, t);
    if (!checked) return 1;
    bot = checked;
  }
  const res = await refused(() => addSchool(ctx.prisma, { ...input, bot }), ctx, t);
  if (!res) return 1;
  ctx.out(t("schools:added", { id: res.schoolId, name: res.name, timezone: res.timezone }));
  if (res.bot) ctx.out(botLine(res.schoolId, res.bot, t));
  return 0;
}

export async function botCommand(args: string[], ctx: SchoolCliContext): Promise<number> {
  const t = translator(ctx.lng) as unknown as Translate;
  const [sub, school, token, ...rest] = args;
  const schoolId = Number(school);
  if (sub !== "set-token" || !/^\d+$/.test(school ?? "") || token === undefined || rest.length > 0) {
    ctx.out(t("schools:usage"));
    return 2;
  }
  // an unknown school is said before Telegram is asked anything
  if (!(await ctx.prisma.school.findUnique({ where: { id: schoolId }, select: { id: true } }))) {
    ctx.out(t("schools:schoolNotFound", { id: schoolId }));
    return 1;
  }
  const bot = await checkedBot(await tokenOf(token, ctx), ctx, t);
  if (!bot) return 1;
  const res = await refused(() => setSchoolBot(ctx.prisma, schoolId, bot), ctx, t);
  if (!res) return 1;
  ctx.out(botLine(schoolId, res, t));
  return 0;
}
