// a guardian's invite links only with the personal-data consent; «Не согласен» links nothing and keeps the
// invite usable; consent withdrawn in Settings hides everything until it is given again.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInvite, hashInviteCode, redeemInvite } from "../../../src/core/accounts/index.ts";
import { verifyAuditChain } from "../../../src/core/audit.ts";
import { localMoment } from "../../../src/core/dates.ts";
import { translator } from "../../../src/i18n.ts";
import { createTestDb, type TestDb } from "../../helpers/db.ts";
import { buildSchool, type TestSchool } from "../../helpers/factories.ts";
import { createFakeTelegram, type FakeTelegram } from "../../helpers/telegram.ts";

const ru = translator("ru");
let db: TestDb;
let s: TestSchool;
let tg: FakeTelegram;

beforeAll(async () => {
  db = await createTestDb();
  s = await buildSchool(db.prisma, { today: localMoment("Europe/Moscow").date });
  tg = await createFakeTelegram({ prisma: db.prisma, schoolId: s.schoolId });
});
afterAll(async () => {
  await db.drop();
});

/** The second guardian of a child: no consent in the fixture. */
const fatherOf = (studentId: number) => s.guardians.get(studentId)![1];
const guardianship = (guardianId: number, studentId: number) =>
  db.prisma.guardianship.findUniqueOrThrow({ where: { guardianId_studentId: { guardianId, studentId } } });
const nameOf = async (studentId: number) => {
  const p = await db.prisma.person.findFirstOrThrow({ where: { student: { id: studentId } } });
  return `${p.lastName} ${p.firstName}`;
};
const inviteOf = (code: string) => db.prisma.invite.findUniqueOrThrow({ where: { codeHash: hashInviteCode(code) } });

describe("R-09 linking a guardian with consent", () => {
  it("/start <code> shows the child and the notice; «Не согласен» links nothing; «Согласен» links and records consent", async () => {
    const child = s.students.c7b[0];
    const father = fatherOf(child);
    const { code, role } = await createInvite(db.prisma, "system", { personId: father });
    expect(role).toBe("GUARDIAN");

    const user = tg.stranger();
    await user.send(`/start ${code}`);
    const notice = user.lastText();
    expect(notice).toContain("Алексеев Артём, 7Б класс");
    expect(notice).toContain("152-ФЗ");
    expect(notice).toContain("Сергей Тестович");
    expect(user.buttons()).toEqual([["✅ Согласен", "Не согласен"]]);
    // Nothing linked yet, the invite unused, the code itself not kept anywhere in the bot's state.
    expect(await db.prisma.messengerAccount.count({ where: { personId: father } })).toBe(0);
    expect((await inviteOf(code)).usedAt).toBeNull();
    const states = await db.prisma.botState.findMany({ where: { key: { contains: "family:invite" } } });
    expect(states).toHaveLength(1);
    expect(JSON.stringify(states[0].value)).not.toContain(code);

    await user.tap("Не согласен");
    expect(user.lastText()).toContain("дневник не подключён");
    expect(user.lastText()).toContain("ссылку-приглашение ещё раз");
    expect(await db.prisma.messengerAccount.count({ where: { personId: father } })).toBe(0);
    expect((await inviteOf(code)).usedAt).toBeNull();
    expect((await guardianship(father, child)).consentGivenAt).toBeNull();
    // the answered notice keeps no buttons
    expect(user.messages.some((m) => m.reply_markup?.inline_keyboard.flat().length)).toBe(false);

    // The invite is still usable: open it again and agree.
    await user.send(`/start ${code}`);
    await user.tap("✅ Согласен");
    const texts = user.texts().slice(-2);
    expect(texts[0]).toMatch(/Согласие получено .* в \d\d:\d\d/);
    expect(texts[1]).toContain("Здравствуйте, Сергей Тестович!");
    expect(user.replyKeyboard()?.flat()).toContain("📅 Сегодня");
    const account = await db.prisma.messengerAccount.findFirstOrThrow({ where: { personId: father } });
    expect(Number(account.telegramUserId)).toBe(user.id);
    const g = await guardianship(father, child);
    expect(g.consentGivenAt).not.toBeNull();
    expect(g.consentRevokedAt).toBeNull();
    expect((await inviteOf(code)).usedAt).not.toBeNull();
    const audit = await db.prisma.auditEvent.findMany({ where: { schoolId: s.schoolId, actorId: father } });
    expect(audit.map((a) => a.action).sort()).toEqual(["account.link", "consent.give"]);
    expect((await verifyAuditChain(db.prisma, s.schoolId)).ok).toBe(true);
    expect(await db.prisma.botState.count({ where: { key: { contains: "family:invite" } } })).toBe(0);

    // Linked and consented: the diary opens.
    await user.tap("📅 Сегодня");
    expect(user.lastText()).toContain("👤 Алексеев Артём, 7Б");
    expect(tg.failedCalls()).toEqual([]);
  });

  it("a used code is refused and links nothing", async () => {
    const child = s.students.c7b[1];
    const { code } = await createInvite(db.prisma, "system", { personId: fatherOf(child) });
    const first = tg.stranger();
    await first.send(`/start ${code}`);
    await first.tap("✅ Согласен");
    const second = tg.stranger();
    await second.send(`/start ${code}`);
    expect(second.lastText()).toBe(ru("errors:INVITE_USED"));
    expect(await db.prisma.messengerAccount.count({ where: { telegramUserId: BigInt(second.id) } })).toBe(0);
  });

  it("«Согласен» is re-checked in the core: a stale window or another invite's id links nothing", async () => {
    const a = s.students.c7b[2];
    const b = s.students.c7b[3];
    const inviteA = await createInvite(db.prisma, "system", { personId: fatherOf(a) });
    const inviteB = await createInvite(db.prisma, "system", { personId: fatherOf(b) });
    const idA = (await inviteOf(inviteA.code)).id;

    // Another person who opened invite B presses «Согласен» rewritten to carry invite A's id.
    const intruder = tg.stranger();
    await intruder.send(`/start ${inviteB.code}`);
    await intruder.press(`fyok:${idA}`);
    expect(intruder.lastText()).toContain("Откройте ссылку-приглашение ещё раз");
    expect(await db.prisma.messengerAccount.count({ where: { personId: fatherOf(a) } })).toBe(0);
    expect(await db.prisma.messengerAccount.count({ where: { personId: fatherOf(b) } })).toBe(0);
    expect((await inviteOf(inviteA.code)).usedAt).toBeNull();

    // The invite got used elsewhere meanwhile (the other parent's phone): the open window refuses.
    const owner = tg.stranger();
    await owner.send(`/start ${inviteA.code}`);
    const other = tg.stranger();
    await other.send(`/start ${inviteA.code}`);
    await other.tap("✅ Согласен");
    await owner.tap("✅ Согласен");
    expect(owner.lastText()).toBe(ru("errors:INVITE_USED"));
    expect(await db.prisma.messengerAccount.count({ where: { telegramUserId: BigInt(owner.id) } })).toBe(0);
  });

  it("the core refuses to redeem a guardian's invite without consent (CONSENT_REQUIRED), leaving it usable", async () => {
    const child = s.students.c8a[0];
    const { code } = await createInvite(db.prisma, "system", { personId: fatherOf(child) });
    await expect(
      redeemInvite(db.prisma, { code, botId: tg.botId, telegramUserId: 123, chatId: 123 }),
    ).rejects.toMatchObject({ code: "CONSENT_REQUIRED" });
    expect((await inviteOf(code)).usedAt).toBeNull();
  });
});

describe("R-09 withdrawing consent and giving it again", () => {
  it("withdrawn in Settings: nothing shown (menu and old buttons); «Дать согласие снова» restores the diary", async () => {
    const child = s.students.c8a[1];
    const mother = s.guardians.get(child)![0];
    const name = await nameOf(child);
    const parent = await tg.as(mother);
    await parent.send("/start");
    await parent.tap("📅 Сегодня");
    expect(parent.lastText()).toContain(name);
    const dayMessage = parent.lastMessage()!;
    const dayButton = dayMessage.reply_markup!.inline_keyboard.flat()[0].callback_data!;

    await parent.tap("⚙️ Настройки");
    expect(parent.lastText()).toContain("Согласие на обработку персональных данных дано");
    await parent.tap("Отозвать согласие");
    expect(parent.lastText()).toContain("Отозвать согласие на обработку персональных данных?");
    await parent.tap("Да, отозвать");
    expect(parent.lastText()).toContain("Согласие отозвано");
    const g = await guardianship(mother, child);
    expect(g.consentRevokedAt).not.toBeNull();
    expect(
      await db.prisma.auditEvent.count({
        where: { actorId: mother, action: "consent.withdraw", entity: "Guardianship" },
      }),
    ).toBe(1);

    const views = await db.prisma.viewLog.count({ where: { viewerId: mother } });
    await parent.tap("📅 Сегодня");
    expect(parent.lastText()).toContain("Вы отозвали согласие");
    expect(parent.lastText()).not.toContain(name);
    expect(parent.buttons()).toEqual([["Дать согласие снова"]]);
    await parent.tap("📊 Оценки");
    expect(parent.lastText()).toContain("Вы отозвали согласие");
    // An old inline button of the diary: refused, nothing shown.
    await parent.press(dayButton, dayMessage);
    expect(parent.lastText()).toBe(ru("errors:FORBIDDEN"));
    expect(parent.texts().filter((t) => t.includes(name))).toHaveLength(1);
    expect(await db.prisma.viewLog.count({ where: { viewerId: mother } })).toBe(views);

    await parent.tap("⚙️ Настройки");
    expect(parent.lastText()).toContain("отозвано");
    await parent.tap("Дать согласие снова");
    expect(parent.lastText()).toContain("152-ФЗ");
    expect(parent.lastText()).toContain(name);
    await parent.tap("✅ Согласен");
    expect(parent.lastText()).toContain("дневник снова доступен");
    const again = await guardianship(mother, child);
    expect(again.consentRevokedAt).toBeNull();
    expect(again.consentGivenAt!.getTime()).toBeGreaterThan(g.consentGivenAt!.getTime());
    await parent.tap("📅 Сегодня");
    expect(parent.lastText()).toContain(`👤 ${name}`);
    expect((await verifyAuditChain(db.prisma, s.schoolId)).ok).toBe(true);
  });

  it("a linked guardian who never consented is asked for consent; «Не согласен» keeps the diary closed", async () => {
    const child = s.students.c8a[2];
    const father = fatherOf(child);
    const parent = await tg.as(father);
    await parent.send("/start");
    await parent.tap("📚 Домашнее задание");
    expect(parent.lastText()).toContain("нужно ваше согласие");
    await parent.tap("Дать согласие");
    await parent.tap("Не согласен");
    expect(parent.lastText()).toContain("Согласие не дано");
    expect((await guardianship(father, child)).consentGivenAt).toBeNull();
    await parent.tap("📚 Домашнее задание");
    expect(parent.lastText()).toContain("нужно ваше согласие");
  });
});
