// Telegram's flood control in interactive replies (issue 8): the real bot against a strict Bot API stand-in
// that enforces about one message a second per chat (burst 3) and 30 a second per bot, answers 429 with
// retry_after and counts any request to a closed scope as a premature retry. Everything runs at script speed,
// with no pauses: the transport paces on a virtual clock (tests/helpers/virtual-clock.ts), so "too early" is
// judged exactly and the machine's load changes nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays } from "../../src/core/dates.ts";
import { createLogger } from "../../src/logger.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { buildSchool, lessonOf, type TestSchool } from "../helpers/factories.ts";
import { createFakeTelegram, type FakeTelegram } from "../helpers/telegram.ts";
import { openRoster } from "./teacher-marks/helpers.ts";

let db: TestDb;
let s: TestSchool;

beforeAll(async () => {
  db = await createTestDb();
  s = await buildSchool(db.prisma, { studentsPerClass: 30 });
}, 120_000);
afterAll(async () => {
  await db?.drop();
});

const INTERNAL = "Что-то пошло не так";

async function strictBot(limits?: Parameters<typeof createFakeTelegram>[0]["limits"]): Promise<FakeTelegram> {
  return createFakeTelegram({ prisma: db.prisma, schoolId: s.schoolId, strict: true, limits });
}

describe("a teacher at script speed", () => {
  it("types a whole-roster marks line, saves, adds homework and sends a notice: every reply, 0 premature retries", async () => {
    const tg = await strictBot();
    const math = await tg.as(s.people.mathTeacher);
    const lessonId = await lessonOf(db.prisma, s.assignments.algebra7b, addDays(s.monday, 1));
    await openRoster(math, lessonId, "Самостоятельная работа");
    await math.tap("⌨️ Ввести списком");
    await math.send(Array.from({ length: 30 }, (_, i) => ["5", "4", "3"][i % 3]).join(" "));
    expect(math.lastText()).toContain("Проверьте перед сохранением");
    await math.tap("✅ Сохранить");
    expect(math.lastText()).toContain("Сохранено 30 отметок");

    await math.send("/notice");
    await math.tap("📝 Новое объявление");
    await math.tap("Родителям");
    await math.send("Собрание в четверг в 18:00.");
    await math.tap("Без файла");
    await math.tap("✅ Отправить");
    expect(math.lastText()).toContain("Объявление записано");

    // The chat's limit was reached (the flow sends faster than one a second) and waited out, not broken.
    expect(tg.transport.stats.paced).toBeGreaterThan(0);
    expect(tg.flood!.premature).toBe(0);
    expect(tg.flood!.tooMany).toBe(0);
    expect(tg.failedCalls()).toEqual([]);
  });
});

describe("429 in the middle of a reply", () => {
  it("a 429 for the chat is waited out: the reply arrives, the press is answered once, no apology", async () => {
    const tg = await strictBot();
    const math = await tg.as(s.people.mathTeacher);
    await math.send("/today");
    const before = tg.calls.length;
    tg.flood!.storm(1, 3, "chat");
    await math.send("/today");
    expect(math.lastText()).toContain("Мои уроки");
    const after = tg.calls.slice(before).filter((c) => c.method === "sendMessage");
    expect(after.map((c) => c.ok)).toEqual([false, true]); // refused once, then sent after retry_after
    expect(after[1].at! - after[0].at!).toBeGreaterThanOrEqual(3000);
    expect(math.texts().some((t) => t.includes(INTERNAL))).toBe(false);
    expect(tg.flood!.premature).toBe(0);
  });

  it("a 429 longer than a reply may wait: logged, nothing more sent into that chat, the press answered once", async () => {
    const lines: string[] = [];
    const tg = await createFakeTelegram({
      prisma: db.prisma,
      schoolId: s.schoolId,
      strict: true,
      limits: { maxWaitMs: 10_000 },
      logger: createLogger("warn", { write: (l: string) => lines.push(l) }),
    });
    const math = await tg.as(s.people.mathTeacher);
    await math.send("/today");
    const shown = math.messages.length;
    tg.flood!.storm(1, 120, "chat");
    await math.tap(/^1\. /);
    const answers = tg.callsOf("answerCallbackQuery").filter((c) => c.ok);
    expect(answers).toHaveLength(1);
    expect(math.messages.length).toBe(shown); // the edit could not go; no apology either
    expect(tg.flood!.premature).toBe(0);
    expect(lines.some((l) => l.includes("Telegram refused or unreachable"))).toBe(true);
  });

  it("a 429 for the whole bot while several people tap: nothing lost, nobody calls before retry_after", async () => {
    const tg = await strictBot();
    const people = await Promise.all(
      [s.people.mathTeacher, s.people.russianTeacher, s.people.deputy].map((p) => tg.as(p)),
    );
    tg.flood!.storm(2, 2, "bot");
    await Promise.all(people.map((p) => p.send("/help")));
    for (const p of people) expect(p.messages.length).toBeGreaterThan(0);
    expect(tg.flood!.tooMany).toBe(2);
    expect(tg.flood!.premature).toBe(0);
  });
});

describe("a crowd", () => {
  it("300 people at full speed and a bystander teacher: the bystander is answered before the crowd's backlog drains", async () => {
    const tg = await strictBot();
    const crowd = Array.from({ length: 300 }, () => tg.stranger());
    const teacher = await tg.as(s.people.mathTeacher);
    const sent = () => tg.calls.filter((c) => c.method === "sendMessage" && c.ok).length;
    const crowdDone = Promise.all(
      crowd.map(async (u) => {
        for (const text of ["/start", "/help", "/start"]) await u.send(text);
      }),
    );
    // the bystander asks once the crowd is in full swing: hundreds of its replies still queued at 30 a second
    while (sent() < 200) await new Promise((r) => setTimeout(r, 20));
    await teacher.send("/today");
    const answeredAt = tg.calls.findIndex(
      (c) => c.method === "sendMessage" && c.ok && Number(c.params.chat_id) === teacher.id,
    );
    await crowdDone;
    expect(answeredAt).toBeGreaterThanOrEqual(0);
    const crowdAfter = tg.calls
      .slice(answeredAt + 1)
      .filter((c) => c.method === "sendMessage" && c.ok && Number(c.params.chat_id) !== teacher.id);
    expect(crowdAfter.length).toBeGreaterThan(300); // the bystander went before most of the crowd's backlog
    for (const u of crowd) expect(u.messages.length).toBe(3); // nothing lost
    expect(tg.flood!.premature).toBe(0);
    expect(tg.flood!.tooMany).toBe(0);
  }, 120_000);
});
