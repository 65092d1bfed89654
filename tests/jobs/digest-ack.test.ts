// «Ознакомлен» under a digest, end to end: the digest is sent by the real sender into the fake Telegram the
// real bot talks to, the guardian taps the button, the acknowledgement is recorded once and the button becomes
// «✓ Ознакомлен». A tampered child id or date is refused and records nothing.
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { digestDedupKey } from "../../src/core/digest/index.ts";
import { runDigestFanout } from "../../src/jobs/digest/fanout.ts";
import { digestModule } from "../../src/jobs/modules/digest.ts";
import { type DigestFixture, digestFixture } from "../core/digest/fixture.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { createFakeTelegram, type FakeTelegram, type FakeUser, TEST_BOT_TOKEN } from "../helpers/telegram.ts";
import { makeJobs, type TestJobs } from "./helpers/jobs.ts";

const logger = pino({ level: process.env.TEST_LOG ?? "silent" });

describe("«Ознакомлен» under a digest", () => {
  let db: TestDb;
  let f: DigestFixture;
  let tg: FakeTelegram;
  let t: TestJobs;
  let parent: FakeUser;
  let otherChild: number;

  beforeAll(async () => {
    db = await createTestDb();
    f = await digestFixture(db.prisma, { accounts: false });
    tg = await createFakeTelegram({ prisma: db.prisma, schoolId: f.s.schoolId });
    parent = await tg.as(f.guardian);
    otherChild = f.s.students.c7b[1];
    await tg.as(f.s.guardians.get(otherChild)![0]);
    const m = digestModule({ prisma: db.prisma, logger });
    t = makeJobs(
      db,
      "redis",
      { token: TEST_BOT_TOKEN, botId: tg.botId, transport: tg.transport },
      { handlers: m.handlers, jobs: { definitions: m.definitions, processors: m.processors } },
    );
    await runDigestFanout(
      { prisma: db.prisma, logger, now: () => f.now, deliver: (messages) => t.jobs.deliver(messages) },
      f.s.schoolId,
    );
    const dedupKey = digestDedupKey("daily", f.s.schoolId, f.guardian, f.child, f.date);
    const delivery = await db.prisma.delivery.findUniqueOrThrow({ where: { dedupKey }, select: { id: true } });
    const sent = await t.jobs.sendNotification({ deliveryId: String(delivery.id) });
    expect(sent).toMatchObject({ status: "sent" });
  });
  afterAll(async () => {
    await t.cleanup();
    await db.drop();
  });

  const acks = () =>
    db.prisma.auditEvent.findMany({ where: { schoolId: f.s.schoolId, action: "digest.ack" }, orderBy: { id: "asc" } });

  it("the guardian taps «Ознакомлен»: recorded once, the button says «✓ Ознакомлен»", async () => {
    expect(parent.lastText()).toMatch(/^Сводка за \d+ [а-я]+: Алексеев Артём\n\nОценки:/);
    expect(parent.buttons()).toEqual([["Ознакомлен"]]);
    await parent.tap("Ознакомлен");
    expect(parent.buttons()).toEqual([["✓ Ознакомлен"]]);
    expect(parent.callbackAnswers().at(-1)).toBe("Спасибо, отмечено.");
    const events = await acks();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actorId: f.guardian,
      entity: "Digest",
      entityId: digestDedupKey("daily", f.s.schoolId, f.guardian, f.child, f.date),
      data: { studentId: f.child, kind: "daily", date: f.date },
    });
    // the class teacher sees it as a look at the diary
    expect(await db.prisma.viewLog.count({ where: { viewerId: f.guardian, what: "digest" } })).toBe(1);
    // pressed again: nothing new, no edit
    const edits = tg.callsOf("editMessageReplyMarkup").length;
    await parent.tap("✓ Ознакомлен");
    expect(parent.callbackAnswers().at(-1)).toBe("Уже отмечено.");
    expect(await acks()).toHaveLength(1);
    expect(tg.callsOf("editMessageReplyMarkup")).toHaveLength(edits);
    expect(tg.failedCalls()).toEqual([]);
  });

  it("R-05: a tampered button (another child, a date never sent, garbage) is refused and records nothing", async () => {
    const before = (await acks()).length;
    const compact = f.date.replace(/-/g, "");
    await parent.press(`dg:d:${otherChild}:${compact}`);
    expect(parent.callbackAnswers().at(-1)).toMatch(/^Нет доступа/);
    await parent.press(`dg:d:${f.child}:20200101`);
    expect(parent.callbackAnswers().at(-1)).toMatch(/^Не найдено/);
    await parent.press(`dg:w:${f.child}:${compact}`);
    expect(parent.callbackAnswers().at(-1)).toMatch(/^Не найдено/);
    await parent.press(`dg:x:${f.child}:${compact}`);
    expect(parent.callbackAnswers().at(-1)).toMatch(/^Не найдено/);
    expect(await acks()).toHaveLength(before);
    expect(await db.prisma.viewLog.count({ where: { studentId: otherChild } })).toBe(0);
  });
});
