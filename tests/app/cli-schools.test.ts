// Issue 9 item 1, driven as the operator types it: `school add`, `school list`, `bot set-token`, and `import
// --school` into one of two schools of a database. Telegram's getMe is a fake Bot API on 127.0.0.1; the database
// is the real PostgreSQL. Whatever happens, the token is never in what the command prints.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importCommand } from "../../src/cli/import.ts";
import { botCommand, type SchoolCliContext, schoolCommand } from "../../src/cli/schools.ts";
import { writeWorkbookXlsx } from "../../src/core/import/write-template.ts";
import { openBotToken } from "../../src/messenger/telegram/bot-token.ts";
import { smallWorkbook } from "../core/import/fixtures.ts";
import { cleanEnv, runToEnd } from "../helpers/child-product.ts";
import { createTestDb, TEST_APP_SECRET, type TestDb } from "../helpers/db.ts";
import { type FakeBotApi, startFakeBotApi } from "../jobs/helpers/fake-bot-api.ts";

// Telegram-shaped tokens the fake knows: two bots of school A (the second replaces the first), one of school B,
// and a reissued token of school B's bot (same bot, new token after a /revoke).
const TOKEN_A = "7000000001:AAHk3t-school_A_first_bot_token_x";
const TOKEN_A2 = "7000000002:AAFq9z-school_A_second_bot_token";
const TOKEN_B = "7000000003:AAE0p1-school_B_bot_token_abcdefg";
const TOKEN_B_REISSUED = "7000000003:AAG7r2-school_B_bot_reissued_tok";
const TOKEN_REVOKED = "7000000009:AAZ_revoked_token_telegram_rejects";
const ALL_TOKENS = [TOKEN_A, TOKEN_A2, TOKEN_B, TOKEN_B_REISSUED, TOKEN_REVOKED];
// the secret half of each: printing it in any form would leak the bot
const secretHalves = ALL_TOKENS.map((t) => t.split(":")[1]);

let db: TestDb;
let fake: FakeBotApi;
let dir: string;

beforeAll(async () => {
  db = await createTestDb();
  dir = await mkdtemp(path.join(os.tmpdir(), "cb-schools-"));
  fake = await startFakeBotApi({
    bots: {
      [TOKEN_A]: { id: 7000000001, username: "gymnasium5_bot" },
      [TOKEN_A2]: { id: 7000000002, username: "gymnasium5_new_bot" },
      [TOKEN_B]: { id: 7000000003, username: "lyceum2_bot" },
      [TOKEN_B_REISSUED]: { id: 7000000003, username: "lyceum2_bot" },
    },
  });
});
afterAll(async () => {
  await fake.close();
  await db.drop();
  await rm(dir, { recursive: true, force: true });
});

function cli(lng: "ru" | "en" = "ru", extra: Partial<SchoolCliContext> = {}) {
  const lines: string[] = [];
  const ctx: SchoolCliContext = {
    prisma: db.prisma,
    lng,
    out: (s: string) => lines.push(s),
    appSecret: TEST_APP_SECRET,
    apiRoot: fake.apiRoot,
    ...extra,
  };
  return {
    lines,
    ctx,
    school: (...args: string[]) => schoolCommand(args, ctx),
    bot: (...args: string[]) => botCommand(args, ctx),
  };
}

function expectNoToken(text: string) {
  for (const s of secretHalves) expect(text).not.toContain(s);
}

const botsOf = (schoolId: number) => db.prisma.bot.findMany({ where: { schoolId }, orderBy: { id: "asc" } });

const everything = async () =>
  JSON.stringify({
    schools: await db.prisma.school.findMany({ orderBy: { id: "asc" } }),
    bots: await db.prisma.bot.findMany({ orderBy: { id: "asc" } }),
    audit: await db.prisma.auditEvent.count(),
  });

describe("school add / school list / bot set-token", () => {
  let schoolA = 0;
  let schoolB = 0;

  it("adds a school without a bot and lists it in Russian and in English", async () => {
    const c = cli("ru");
    expect(await c.school("add", "--name", "  Гимназия   № 5 ", "--timezone", "Europe/Moscow")).toBe(0);
    const row = await db.prisma.school.findFirstOrThrow({ orderBy: { id: "desc" } });
    schoolA = row.id;
    expect(row).toMatchObject({ name: "Гимназия № 5", timezone: "Europe/Moscow" });
    expect(c.lines).toEqual([`Школа № ${schoolA} «Гимназия № 5» добавлена, часовой пояс Europe/Moscow.`]);
    expect(await db.prisma.auditEvent.count({ where: { schoolId: schoolA, action: "school.create" } })).toBe(1);

    const ru = cli("ru");
    expect(await ru.school("list")).toBe(0);
    expect(ru.lines).toEqual([`№ ${schoolA} «Гимназия № 5» — Europe/Moscow, без бота, 0 классов, 0 человек`]);
    const en = cli("en");
    expect(await en.school("list")).toBe(0);
    expect(en.lines).toEqual([`#${schoolA} “Гимназия № 5” — Europe/Moscow, no bot, 0 classes, 0 people`]);
  });

  it("refuses an empty name, an unknown time zone and a name already taken, writing nothing", async () => {
    const before = await everything();
    const cases: [string[], string][] = [
      [["--name", "   ", "--timezone", "Europe/Moscow"], "Укажите название школы: --name «Название»."],
      [
        ["--name", "Лицей № 2", "--timezone", "Moscow"],
        "Часовой пояс «Moscow» не найден. Укажите его по базе IANA, например Europe/Moscow, Asia/Yekaterinburg или Asia/Vladivostok.",
      ],
      [
        ["--name", "Лицей № 2", "--timezone", "+03:00"],
        "Часовой пояс «+03:00» не найден. Укажите его по базе IANA, например Europe/Moscow, Asia/Yekaterinburg или Asia/Vladivostok.",
      ],
      [
        ["--name", "гимназия № 5", "--timezone", "Asia/Kamchatka"],
        `Школа «гимназия № 5» уже есть (№ ${schoolA}). Выберите другое название.`,
      ],
    ];
    for (const [args, line] of cases) {
      const c = cli("ru");
      expect(await c.school("add", ...args)).toBe(1);
      expect(c.lines).toEqual([line]);
    }
    const en = cli("en");
    expect(await en.school("add", "--name", "Lyceum 2", "--timezone", "Europe/Mars")).toBe(1);
    expect(en.lines[0]).toContain("Time zone “Europe/Mars” is unknown");
    const usage = cli("en");
    expect(await usage.school("add", "--name", "x")).toBe(2);
    expect(await usage.school("remove")).toBe(2);
    expect(usage.lines[0]).toContain("school add --name");
    expect(await everything()).toBe(before);
  });

  it("adds a school with its bot: the token checked with getMe and stored sealed, never printed", async () => {
    const calls = fake.getMeCalls;
    const c = cli("ru");
    expect(await c.school("add", "--name", "Лицей № 2", "--timezone", "Asia/Vladivostok", "--bot-token", TOKEN_B)).toBe(
      0,
    );
    expect(fake.getMeCalls).toBe(calls + 1);
    schoolB = (await db.prisma.school.findFirstOrThrow({ where: { name: "Лицей № 2" } })).id;
    expect(c.lines).toEqual([
      `Школа № ${schoolB} «Лицей № 2» добавлена, часовой пояс Asia/Vladivostok.`,
      `Бот @lyceum2_bot подключён к школе № ${schoolB}.`,
    ]);
    const [bot] = await botsOf(schoolB);
    expect(bot.username).toBe("lyceum2_bot");
    expect(bot.tokenEncrypted).not.toContain(TOKEN_B.split(":")[1]);
    expect(openBotToken(bot.tokenEncrypted!, TEST_APP_SECRET)).toBe(TOKEN_B);
    expect(openBotToken(bot.tokenEncrypted!, "another-app-secret-of-32-characters!!")).toBeUndefined();
    expect(bot.webhookSecret).toMatch(/^[A-Za-z0-9_-]{32,256}$/);
    expectNoToken(c.lines.join("\n"));

    const list = cli("en");
    await list.school("list");
    expect(list.lines).toContain(`#${schoolB} “Лицей № 2” — Asia/Vladivostok, bot @lyceum2_bot, 0 classes, 0 people`);
  });

  it("a token Telegram rejects, or not a token at all, changes nothing and is not printed", async () => {
    const before = await everything();
    const add = cli("ru");
    expect(
      await add.school("add", "--name", "Школа № 7", "--timezone", "Europe/Samara", "--bot-token", TOKEN_REVOKED),
    ).toBe(1);
    expect(add.lines).toEqual([
      "Telegram не принял токен: бот с таким токеном не найден или токен отозван. Проверьте токен у @BotFather. Ничего не изменено.",
    ]);
    const set = cli("en");
    expect(await set.bot("set-token", String(schoolB), TOKEN_REVOKED)).toBe(1);
    expect(set.lines).toEqual([
      "Telegram did not accept the token: no bot has it, or it was revoked. Check it with @BotFather. Nothing was changed.",
    ]);
    // not shaped like a token: Telegram is not even asked
    const calls = fake.getMeCalls;
    const bad = cli("ru");
    expect(await bad.bot("set-token", String(schoolB), "12345")).toBe(1);
    expect(bad.lines[0]).toContain("Это не токен бота");
    expect(fake.getMeCalls).toBe(calls);
    // Telegram out of reach: the network error (its URL holds the token) is not passed on
    const closed = await startFakeBotApi();
    await closed.close();
    const down = cli("ru", { apiRoot: closed.apiRoot });
    expect(await down.bot("set-token", String(schoolB), TOKEN_A)).toBe(1);
    expect(down.lines).toEqual([
      "Telegram не ответил, токен не проверен. Проверьте подключение к интернету (или TELEGRAM_API_ROOT) и повторите. Ничего не изменено.",
    ]);
    const missing = cli("ru");
    expect(await missing.bot("set-token", "999999", TOKEN_A)).toBe(1);
    expect(missing.lines).toEqual(["Школа № 999999 не найдена. Список школ: npm run cli -- school list"]);
    for (const c of [add, set, bad, down, missing]) expectNoToken(c.lines.join("\n"));
    expect(await everything()).toBe(before);
  });

  it("sets a bot, then replaces it in place: the Bot row and its linked accounts stay", async () => {
    const first = cli("ru");
    expect(await first.bot("set-token", String(schoolA), TOKEN_A)).toBe(0);
    expect(first.lines).toEqual([`Бот @gymnasium5_bot подключён к школе № ${schoolA}.`]);
    const [bot] = await botsOf(schoolA);
    const person = await db.prisma.person.create({
      data: { schoolId: schoolA, lastName: "Иванова", firstName: "Анна" },
    });
    const account = await db.prisma.messengerAccount.create({
      data: { schoolId: schoolA, personId: person.id, botId: bot.id, telegramUserId: 501n, chatId: 501n },
    });

    const second = cli("ru");
    expect(await second.bot("set-token", String(schoolA), TOKEN_A2)).toBe(0);
    expect(second.lines).toEqual([
      `Бот школы № ${schoolA} заменён: был @gymnasium5_bot, теперь @gymnasium5_new_bot. Родителям и учителям нужно открыть нового бота.`,
    ]);
    const after = await botsOf(schoolA);
    expect(after).toHaveLength(1);
    expect(after[0].id).toBe(bot.id);
    expect(after[0].username).toBe("gymnasium5_new_bot");
    expect(openBotToken(after[0].tokenEncrypted!, TEST_APP_SECRET)).toBe(TOKEN_A2);
    expect(after[0].webhookSecret).not.toBe(bot.webhookSecret);
    expect((await db.prisma.messengerAccount.findUniqueOrThrow({ where: { id: account.id } })).botId).toBe(bot.id);

    // the same bot with a reissued token: same row, new token, told as an update
    const b = (await botsOf(schoolB))[0];
    const reissue = cli("en", { readStdin: async () => "" });
    expect(await reissue.bot("set-token", String(schoolB), "-")).toBe(1);
    expect(reissue.lines).toEqual(["No token received: standard input is empty."]);
    const piped = cli("en", { readStdin: async () => `${TOKEN_B_REISSUED}\n` });
    expect(await piped.bot("set-token", String(schoolB), "-")).toBe(0);
    expect(piped.lines).toEqual([`The token of bot @lyceum2_bot of school #${schoolB} was updated.`]);
    const bAfter = (await botsOf(schoolB))[0];
    expect(bAfter.id).toBe(b.id);
    expect(openBotToken(bAfter.tokenEncrypted!, TEST_APP_SECRET)).toBe(TOKEN_B_REISSUED);
    for (const c of [first, second, reissue, piped]) expectNoToken(c.lines.join("\n"));
  });

  it("refuses a bot that already serves another school", async () => {
    const before = await everything();
    const c = cli("ru");
    expect(await c.bot("set-token", String(schoolA), TOKEN_B)).toBe(1);
    expect(c.lines).toEqual([
      `Бот @lyceum2_bot уже работает у школы № ${schoolB}. У каждой школы свой бот: создайте для этой школы отдельного бота у @BotFather. Ничего не изменено.`,
    ]);
    const add = cli("en");
    expect(await add.school("add", "--name", "School 9", "--timezone", "UTC", "--bot-token", TOKEN_A2)).toBe(1);
    expect(add.lines[0]).toBe(
      `Bot @gymnasium5_new_bot already serves school #${schoolA}. Each school has its own bot: create a separate bot for this school with @BotFather. Nothing was changed.`,
    );
    expectNoToken([...c.lines, ...add.lines].join("\n"));
    expect(await everything()).toBe(before);
  });

  it("imports a file into the school named by --school of two, and the list counts it", async () => {
    const file = path.join(dir, "school.xlsx");
    await writeWorkbookXlsx(file, smallWorkbook());
    const lines: string[] = [];
    const ctx = { prisma: db.prisma, lng: "ru" as const, out: (s: string) => lines.push(s) };
    // two schools: without --school the command asks which
    expect(await importCommand([file], ctx)).toBe(1);
    expect(lines.at(-1)).toContain(`${schoolA}, ${schoolB}`);
    expect(await db.prisma.person.count({ where: { schoolId: schoolB } })).toBe(0);
    expect(await importCommand([file, "--school", String(schoolB), "--date", "2026-11-24"], ctx)).toBe(0);
    expect(lines).toContain(`Импорт завершён: школа № ${schoolB}, изменения действуют с 24 ноября 2026.`);
    expect(await db.prisma.student.count({ where: { schoolId: schoolB } })).toBe(3);
    expect(await db.prisma.classGroup.count({ where: { schoolId: schoolB } })).toBe(2);
    // school A keeps only its own one person and no classes
    expect(await db.prisma.person.count({ where: { schoolId: schoolA } })).toBe(1);
    expect(await db.prisma.classGroup.count({ where: { schoolId: schoolA } })).toBe(0);
    const people = await db.prisma.person.count({ where: { schoolId: schoolB } });

    const ru = cli("ru");
    await ru.school("list");
    expect(ru.lines).toEqual([
      `№ ${schoolA} «Гимназия № 5» — Europe/Moscow, бот @gymnasium5_new_bot, 0 классов, 1 человек`,
      `№ ${schoolB} «Лицей № 2» — Asia/Vladivostok, бот @lyceum2_bot, 2 класса, ${people} человек`,
    ]);
  });

  it("the spawned CLI prints neither the token nor grammY's error, on success or on failure", async () => {
    const env = cleanEnv({
      DATABASE_URL: `${db.url}${db.url.includes("?") ? "&" : "?"}schema=${db.schema}`,
      APP_SECRET: TEST_APP_SECRET,
      TELEGRAM_API_ROOT: fake.apiRoot,
      DATA_DIR: dir,
      LOG_LEVEL: "trace",
      LANG: "en_US.UTF-8",
    });
    const run = (...args: string[]) =>
      runToEnd(process.execPath, ["--import", "tsx", "src/cli.ts", ...args], { env }, 60_000);
    const bad = await run("bot", "set-token", String(schoolA), TOKEN_REVOKED);
    expect(bad.code).toBe(1);
    expect(bad.output).toContain("Telegram did not accept the token");
    expectNoToken(bad.output);
    const good = await run("bot", "set-token", String(schoolA), TOKEN_A);
    expect(good.code).toBe(0);
    expect(good.output).toContain(`@gymnasium5_bot`);
    expectNoToken(good.output);
    expect(openBotToken((await botsOf(schoolA))[0].tokenEncrypted!, TEST_APP_SECRET)).toBe(TOKEN_A);
  }, 120_000);

  it("lists a bot that has no stored token (the sandbox's) as such", async () => {
    const c = cli("ru");
    expect(await c.school("add", "--name", "Школа № 12", "--timezone", "Asia/Kamchatka")).toBe(0);
    const id = (await db.prisma.school.findFirstOrThrow({ where: { name: "Школа № 12" } })).id;
    await db.prisma.bot.create({ data: { schoolId: id, username: "classbook_env_bot" } });
    const en = cli("en");
    await en.school("list");
    expect(en.lines.at(-1)).toBe(
      `#${id} “Школа № 12” — Asia/Kamchatka, bot @classbook_env_bot, no token stored, 0 classes, 0 people`,
    );
  });
});
