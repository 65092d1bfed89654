import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInvite, hashInviteCode } from "../../src/core/accounts/index.ts";
import { systemActor } from "../../src/core/actor.ts";
import { verifyAuditChain } from "../../src/core/audit.ts";
import { translator } from "../../src/i18n.ts";
import { type BotSchool, seedBotSchool } from "../helpers/bot-school.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { createFakeTelegram, type FakeTelegram } from "../helpers/telegram.ts";

let db: TestDb;
let s: BotSchool;
let tg: FakeTelegram;

beforeAll(async () => {
  db = await createTestDb();
  s = await seedBotSchool(db.prisma);
  tg = await createFakeTelegram({ prisma: db.prisma, schoolId: s.schoolId });
});
afterAll(async () => {
  await db.drop();
});

const accountsOf = (personId: number) => db.prisma.messengerAccount.count({ where: { personId } });

describe("/start with an invite (R-08)", () => {
  it("links the Telegram user and welcomes the class teacher by name and roles, in Russian", async () => {
    const invite = await createInvite(db.prisma, systemActor(s.schoolId), { personId: s.teacherId });
    expect(invite.code.length).toBeLessThanOrEqual(32);
    const stored = await db.prisma.invite.findFirstOrThrow({ where: { personId: s.teacherId } });
    expect(stored.codeHash).toBe(hashInviteCode(invite.code));
    expect(stored.codeHash).not.toContain(invite.code);

    const user = tg.stranger({ languageCode: "ru" });
    await user.send(`/start ${invite.code}`);

    expect(user.lastText()).toContain("Здравствуйте, Мария Петровна!");
    expect(user.lastText()).toContain("учитель, классный руководитель 7Б");
    const account = await db.prisma.messengerAccount.findFirstOrThrow({ where: { personId: s.teacherId } });
    expect(Number(account.telegramUserId)).toBe(user.id);
    expect((await db.prisma.invite.findUniqueOrThrow({ where: { id: stored.id } })).usedAt).not.toBeNull();
    const audit = await db.prisma.auditEvent.findMany({ where: { schoolId: s.schoolId, action: "account.link" } });
    expect(audit).toHaveLength(1);
    expect((await verifyAuditChain(db.prisma, s.schoolId)).ok).toBe(true);

    // Linked now: /start alone welcomes again, /help speaks to a teacher and class teacher.
    await user.send("/start");
    expect(user.lastText()).toContain("Мария Петровна");
    await user.send("/help");
    expect(user.lastText()).toContain("/today");
    expect(user.lastText()).toContain("/class");
    expect(user.lastText()).toContain("📋 Мой день или /today");
    expect(user.lastText()).toContain("/notice — объявление родителям и ученикам класса");
    expect(user.lastText()).not.toContain("/substitute");
    expect(tg.failedCalls()).toEqual([]);
  });

  it("welcomes in English when the Telegram client speaks English", async () => {
    const invite = await createInvite(db.prisma, systemActor(s.schoolId), { personId: s.directorId });
    const user = tg.stranger({ languageCode: "en" });
    await user.send(`/start ${invite.code}`);
    expect(user.lastText()).toContain("Hello, Елена Викторовна!");
    expect(user.lastText()).toContain("director");
    await user.send("/help");
    expect(user.lastText()).toContain("/substitute");
  });

  it("links a guardian invited by the class teacher and names the child's class", async () => {
    const teacher = { personId: s.teacherId, schoolId: s.schoolId, roles: ["TEACHER" as const] };
    const invite = await createInvite(db.prisma, teacher, { personId: s.guardianId });
    expect(invite.role).toBe("GUARDIAN");
    const user = tg.stranger();
    await user.send(`/start ${invite.code}`);
    expect(user.lastText()).toContain("Ольга Николаевна");
    expect(user.lastText()).toContain("родитель (класс 7Б)");
  });

  it("refuses a used code and links nothing", async () => {
    const invite = await createInvite(db.prisma, systemActor(s.schoolId), { personId: s.studentId });
    const first = tg.stranger();
    await first.send(`/start ${invite.code}`);
    expect(first.lastText()).toContain("ученик 7Б класса");
    const second = tg.stranger();
    await second.send(`/start ${invite.code}`);
    expect(second.lastText()).toBe(translator("ru")("errors:INVITE_USED"));
    expect(second.lastText()).toContain("уже использовано");
    expect(await db.prisma.messengerAccount.count({ where: { telegramUserId: BigInt(second.id) } })).toBe(0);
    expect(await accountsOf(s.studentId)).toBe(1);
  });

  it("refuses an expired code and links nothing", async () => {
    const invite = await createInvite(db.prisma, systemActor(s.schoolId), { personId: s.otherTeacherId });
    await db.prisma.invite.updateMany({
      where: { codeHash: hashInviteCode(invite.code) },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const user = tg.stranger({ languageCode: "en" });
    await user.send(`/start ${invite.code}`);
    expect(user.lastText()).toBe(translator("en")("errors:INVITE_EXPIRED"));
    expect(user.lastText()).toContain("expired");
    expect(await accountsOf(s.otherTeacherId)).toBe(0);
  });

  it("refuses an unknown code and links nothing", async () => {
    const before = await db.prisma.messengerAccount.count();
    const user = tg.stranger();
    await user.send("/start NoSuchCode_0123456789abc");
    expect(user.lastText()).toBe(translator("ru")("errors:INVITE_INVALID"));
    await user.send("/start ../../etc;drop");
    expect(user.lastText()).toContain("Код приглашения не найден");
    expect(await db.prisma.messengerAccount.count()).toBe(before);
  });
});

describe("greetings", () => {
  it("a student is greeted by first name, adults by first name and patronymic", async () => {
    const andrey = await db.prisma.person.create({
      data: { schoolId: s.schoolId, lastName: "Смирнов", firstName: "Андрей", middleName: "Олегович" },
    });
    const student = await db.prisma.student.create({ data: { schoolId: s.schoolId, personId: andrey.id } });
    await db.prisma.enrollment.create({
      data: { schoolId: s.schoolId, studentId: student.id, classId: s.classId, fromDate: new Date("2025-09-01") },
    });
    const user = await tg.as(andrey.id);
    await user.send("/start");
    expect(user.lastText()).toContain("Здравствуйте, Андрей!");
    expect(user.lastText()).not.toContain("Здравствуйте, Андрей Олегович");
    const mother = await tg.as(s.guardianId);
    await mother.send("/start");
    expect(mother.lastText()).toContain("Здравствуйте, Ольга Николаевна!");
  });
});

describe("strangers", () => {
  it("explains that an invitation from the class teacher or the administration is needed", async () => {
    const user = tg.stranger();
    await user.send("/start");
    expect(user.lastText()).toContain("ссылка-приглашение");
    expect(user.lastText()).toContain("классный руководитель");
    await user.send("покажи оценки");
    expect(user.lastText()).toContain("ссылка-приглашение");
    await user.send("/help");
    expect(user.lastText()).toContain("приглашение");
    const en = tg.stranger({ languageCode: "en" });
    await en.send("/start");
    expect(en.lastText()).toContain("invitation link");
  });
});

describe("invite access (R-08)", () => {
  it("a class teacher may not invite staff or families of another class; a plain teacher nobody", async () => {
    const classTeacher = { personId: s.teacherId, schoolId: s.schoolId, roles: ["TEACHER" as const] };
    await expect(createInvite(db.prisma, classTeacher, { personId: s.otherTeacherId })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    const other = { personId: s.otherTeacherId, schoolId: s.schoolId, roles: ["TEACHER" as const] };
    await expect(createInvite(db.prisma, other, { personId: s.guardianId })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(createInvite(db.prisma, other, { personId: s.studentId })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    const director = { personId: s.directorId, schoolId: s.schoolId, roles: ["DIRECTOR" as const] };
    await expect(createInvite(db.prisma, director, { personId: s.otherTeacherId })).resolves.toMatchObject({
      role: "STAFF",
    });
    // Another school's administration does not see this person at all.
    await expect(
      createInvite(db.prisma, { ...director, schoolId: s.schoolId + 1000 }, { personId: s.teacherId }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("the linked user", () => {
  it("/start and /help for a guardian linked in the sandbox way; unknown text gets a hint", async () => {
    const parent = await tg.as(s.guardianId);
    await parent.send("/start");
    expect(parent.lastText()).toContain("Ольга Николаевна");
    await parent.send("/help");
    expect(parent.lastText()).toContain("Родителю");
    expect(parent.lastText()).not.toContain("/today");
    await parent.send("что-то непонятное");
    expect(parent.lastText()).toContain("/help");
    // a command that does not exist is named as such; /cancel (prompts say "send any command to leave") is confirmed
    await parent.send("/foo");
    expect(parent.lastText()).toBe("Такой команды нет. Список команд — /help.");
    await parent.send("/cancel");
    expect(parent.lastText()).toBe("Хорошо, ничего не делаю. Выберите действие на клавиатуре внизу.");
  });
});
