// Two schools in one database, each with its own bot, served by one jobs layer (issue 9, item 4): a notice in
// school A reaches school A's families through school A's bot only; school B's bot sends nothing; and the other
// way round. Tokens are sealed in the Bot rows as `bot set-token` leaves them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localMoment } from "../../src/core/dates.ts";
import { createAnnouncement } from "../../src/core/notices/index.ts";
import type { OutgoingMessage } from "../../src/jobs/outbox/handler.ts";
import { createLogger } from "../../src/logger.ts";
import { createBotDirectory } from "../../src/messenger/telegram/bot-directory.ts";
import { sealBotToken } from "../../src/messenger/telegram/bot-token.ts";
import { postgresRateStore } from "../../src/messenger/telegram/rate-store.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { buildSchool, type TestSchool } from "../helpers/factories.ts";
import { type FakeBotApi, startFakeBotApi } from "./helpers/fake-bot-api.ts";
import { waitFor } from "./helpers/fixtures.ts";
import { makeJobs, type TestJobs } from "./helpers/jobs.ts";

const APP_SECRET = "two-schools-test-secret-of-32-chars-or-more";
const TOKENS = { a: "700001:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", b: "700002:BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB" };

interface SchoolWithBot {
  s: TestSchool;
  botId: number;
  /** chat id → person id of every linked account of this school */
  chats: Map<number, number>;
}

describe("two schools, two bots, one jobs layer", () => {
  let db: TestDb;
  let api: FakeBotApi;
  let t: TestJobs;
  let a: SchoolWithBot;
  let b: SchoolWithBot;
  let directory: ReturnType<typeof createBotDirectory>;
  let chatSeq = 810_000_000;

  async function schoolWithBot(token: string, username: string): Promise<SchoolWithBot> {
    const s = await buildSchool(db.prisma, { today: localMoment("Europe/Moscow").date });
    const bot = await db.prisma.bot.create({
      data: { schoolId: s.schoolId, username, tokenEncrypted: sealBotToken(token, APP_SECRET) },
    });
    const chats = new Map<number, number>();
    const people = [...s.students.c7b.flatMap((st) => s.guardians.get(st) ?? []), s.people.mathTeacher];
    for (const personId of people) {
      const chatId = chatSeq++;
      chats.set(chatId, personId);
      await db.prisma.messengerAccount.create({
        data: {
          schoolId: s.schoolId,
          personId,
          botId: bot.id,
          telegramUserId: BigInt(chatId),
          chatId: BigInt(chatId),
          languageCode: "ru",
        },
      });
    }
    return { s, botId: bot.id, chats };
  }

  async function notice(school: SchoolWithBot, text: string) {
    const teacher = await school.s.actor(school.s.people.mathTeacher);
    return createAnnouncement(db.prisma, teacher, {
      scope: "CLASS",
      classId: school.s.classes.c7b,
      audience: "PARENTS",
      text,
    });
  }

  beforeAll(async () => {
    db = await createTestDb();
    api = await startFakeBotApi({ enforce: true });
    a = await schoolWithBot(TOKENS.a, "school_a_bot");
    b = await schoolWithBot(TOKENS.b, "school_b_bot");
    directory = createBotDirectory({
      prisma: db.prisma,
      appSecret: APP_SECRET,
      apiRoot: api.apiRoot,
      store: postgresRateStore(db.prisma),
      defaultWebhookSecret: () => "unused",
      logger: createLogger("silent"),
    });
    expect((await directory.refresh()).map((c) => c.bot.id)).toEqual([a.botId, b.botId]);
    t = makeJobs(db, "redis", undefined, { bots: directory });
    await t.jobs.startWorkers();
  });
  afterAll(async () => {
    await t?.cleanup();
    directory?.close();
    await api?.close();
    await db?.drop();
  });

  it("a notice in school A goes to school A's families through school A's bot; school B's bot sends nothing", async () => {
    const { recipients } = await notice(a, "Собрание в четверг в 18:00");
    expect(recipients).toBeGreaterThan(0);
    await t.jobs.dispatchOutbox();
    const sentA = await waitFor(
      () => api.sent.filter((m) => m.text.includes("Собрание в четверг")),
      (sent) => sent.length === recipients,
    );
    expect(new Set(sentA.map((m) => m.token))).toEqual(new Set([TOKENS.a]));
    for (const m of sentA) expect(a.chats.has(m.chatId)).toBe(true);
    expect(api.sent.filter((m) => m.token === TOKENS.b)).toEqual([]);
  });

  it("and the other way round: school B's notice only through school B's bot to school B's families", async () => {
    const before = api.sent.length;
    const { recipients } = await notice(b, "Субботник в субботу");
    await t.jobs.dispatchOutbox();
    const sentB = await waitFor(
      () => api.sent.slice(before),
      (sent) => sent.length === recipients,
    );
    expect(new Set(sentB.map((m) => m.token))).toEqual(new Set([TOKENS.b]));
    for (const m of sentB) expect(b.chats.has(m.chatId)).toBe(true);
    // nothing of school B's reached school A's chats by any bot
    expect(api.sent.filter((m) => a.chats.has(m.chatId) && m.text.includes("Субботник"))).toEqual([]);
    expect(api.tooMany).toBe(0);
  });

  it("one school's broadcast does not hold another school's bot: school B's message goes before A's broadcast ends", async () => {
    // 150 more parents in school A, each with an account on A's bot
    const people = await db.prisma.person.createManyAndReturn({
      data: Array.from({ length: 150 }, (_, i) => ({ schoolId: a.s.schoolId, lastName: "Parent", firstName: `P${i}` })),
      select: { id: true },
    });
    await db.prisma.messengerAccount.createMany({
      data: people.map((p, i) => ({
        schoolId: a.s.schoolId,
        personId: p.id,
        botId: a.botId,
        telegramUserId: BigInt(820_000_000 + i),
        chatId: BigInt(820_000_000 + i),
        languageCode: "ru",
      })),
    });
    const message = (school: SchoolWithBot, personId: number, tag: string): OutgoingMessage => ({
      dedupKey: `fairness-${tag}-${personId}`,
      schoolId: school.s.schoolId,
      personId,
      kind: "absence-notice.created",
      render: {
        key: "notify:correction.today",
        params: { child: "-", subject: tag, date: "-", from: "4", to: "5", reason: "-" },
      },
    });
    const before = api.sent.length;
    // the broadcast is recorded first: a queue in arrival order would send all of it before school B's message
    expect(await t.jobs.deliver(people.map((p) => message(a, p.id, "broadcast")))).toBe(150);
    const parentOfB = b.s.guardians.get(b.s.students.c7b[0])![0];
    expect(await t.jobs.deliver([message(b, parentOfB, "single")])).toBe(1);

    const sent = await waitFor(
      () => api.sent.slice(before),
      (all) => all.length === 151,
      60_000,
    );
    const single = sent.findIndex((m) => m.text.includes("single"));
    expect(sent[single].token).toBe(TOKENS.b);
    // A's bot sends at most ~30 a second, so its 150 take about 5 s; B's message does not wait for them
    expect(single).toBeLessThan(75);
    // and A's broadcast was booked at A's rate: due times spread over seconds, not all at once
    const dues = await db.prisma.delivery.findMany({
      where: { dedupKey: { startsWith: "fairness-broadcast-" } },
      select: { dueAt: true },
      orderBy: { dueAt: "asc" },
    });
    expect(dues.at(-1)!.dueAt.getTime() - dues[0].dueAt.getTime()).toBeGreaterThan(4000);
    expect(api.tooMany).toBe(0);
    expect(api.premature).toBe(0);
  });
});
