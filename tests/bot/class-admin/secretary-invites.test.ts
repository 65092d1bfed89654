// A school secretary hands out the invitations (R-08, R-07: invite.family.all): «🎟 Приглашения», a class, one
// message per family with the links; a parent's link links that parent. The secretary sees nothing else of the
// class, and a school that takes the right away takes the button and the screens.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localMoment } from "../../../src/core/dates.ts";
import { updateSchoolSettings } from "../../../src/core/school-settings/update-school-settings.ts";
import { pressStale } from "../../helpers/callback-sweep.ts";
import { createTestDb, type TestDb } from "../../helpers/db.ts";
import { buildSchool, type TestSchool } from "../../helpers/factories.ts";
import { createFakeTelegram, type FakeTelegram } from "../../helpers/telegram.ts";
import { inviteCodes, openInvite } from "./school-setup.ts";

const FORBIDDEN = "Нет доступа. Если это ошибка, обратитесь к администратору журнала.";
let db: TestDb;
let s: TestSchool;
let tg: FakeTelegram;
let secretary: number;

beforeAll(async () => {
  db = await createTestDb();
  s = await buildSchool(db.prisma, { today: localMoment("Europe/Moscow").date });
  tg = await createFakeTelegram({ prisma: db.prisma, schoolId: s.schoolId });
  const p = await db.prisma.person.create({
    data: { schoolId: s.schoolId, lastName: "Секретарёва", firstName: "Вера", middleName: "Павловна" },
  });
  await db.prisma.staffRole.create({ data: { schoolId: s.schoolId, personId: p.id, role: "SECRETARY" } });
  secretary = p.id;
});
afterAll(async () => {
  await db.drop();
});

describe("a secretary's invitations", () => {
  it("a class, one message per family, and a parent's link links that parent", async () => {
    const user = await tg.as(secretary);
    await user.send("/start");
    expect(user.lastText()).toContain("Здравствуйте, Вера Павловна!");
    expect(user.replyKeyboard()).toEqual([["🎟 Приглашения"], ["⚙️ Настройки"]]);
    await user.send("/help");
    expect(user.lastText()).toContain("🎟 Приглашения — класс, затем ссылки-приглашения");

    await user.tap("🎟 Приглашения");
    expect(user.lastText()).toContain("Выберите класс");
    const n = s.students.c8a.length;
    await user.tap(`8А · ${n}`);
    expect(user.lastText()).toContain("8А");
    expect(user.buttons().flat()).toContain("‹ Классы");
    expect(user.buttons().flat()).not.toContain("‹ К классу");

    const before = user.messages.length;
    await user.tap(/^✉️ Прислать ссылки/);
    const sent = user.messages.slice(before).map((m) => m.text ?? "");
    const families = sent.filter((t) => t.startsWith("Приглашение в электронный журнал"));
    expect(families).toHaveLength(n);
    expect(families[0]).toContain("8А,");

    const child = s.students.c8a[0];
    const mother = s.guardians.get(child)![0];
    const username = tg.emulator.bot.username!;
    const lines = families[0].split("\n");
    const at = lines.findIndex((l) => l.includes("(мать):"));
    const [code] = inviteCodes(lines[at + 1], username);
    const parent = await openInvite(tg, code);
    const account = await db.prisma.messengerAccount.findFirst({ where: { telegramUserId: BigInt(parent.id) } });
    expect(account?.personId).toBe(mother);
    // each invite is in the audit trail under the secretary's name
    expect(await db.prisma.auditEvent.count({ where: { actorId: secretary, action: "invite.create" } })).toBe(
      await db.prisma.invite.count({ where: { createdById: secretary } }),
    );
    expect(tg.failedCalls()).toEqual([]);
  });

  it("the class's other screens stay closed; without the right there is no button and no screen", async () => {
    const user = await tg.as(secretary);
    expect(await pressStale(tg, user, `ca_h:${s.classes.c8a}:0`)).toBe(1);
    expect(user.callbackAnswers().at(-1)).toBe(FORBIDDEN);
    expect(await pressStale(tg, user, `ca_l:${s.classes.c8a}:0`)).toBe(1);
    expect(user.callbackAnswers().at(-1)).toBe(FORBIDDEN);

    await updateSchoolSettings(
      db.prisma,
      { personId: s.people.director, schoolId: s.schoolId, roles: ["DIRECTOR"] },
      { rolePermissions: { SECRETARY: [] } },
    );
    await user.send("/start");
    expect(user.replyKeyboard()).toBeNull();
    expect(await pressStale(tg, user, "ca_ic")).toBe(1);
    expect(user.callbackAnswers().at(-1)).toBe(FORBIDDEN);
    expect(await pressStale(tg, user, `ca_i:${s.classes.c8a}`)).toBe(1);
    expect(user.callbackAnswers().at(-1)).toBe(FORBIDDEN);
  });
});
