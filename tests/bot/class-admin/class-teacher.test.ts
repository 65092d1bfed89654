// The class teacher in the bot (issue 4 item 7, issue 5 item 6; ): /class shows today's
// absences, reasons in one tap, parents' notices confirmed, the class list with linked families, invites as
// messages with working deep links and as a printable PDF; tampered buttons of another class are refused.
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reportAbsence } from "../../../src/core/journal/absence-notices.ts";
import { saveAttendance } from "../../../src/core/journal/attendance.ts";
import { translator } from "../../../src/i18n.ts";
import { createTestDb, type TestDb } from "../../helpers/db.ts";
import type { TestSchool } from "../../helpers/factories.ts";
import { createFakeTelegram, type FakeTelegram, type FakeUser } from "../../helpers/telegram.ts";
import {
  addDays,
  dateInt,
  fromIsoDate,
  inviteCodes,
  lessonOf,
  openInvite,
  schoolWithLessonsToday,
} from "./school-setup.ts";

const ru = translator("ru");
let db: TestDb;
let s: TestSchool & { today: string };
let tg: FakeTelegram;
let teacher: FakeUser;
let st: number[];

const attendanceOf = (studentId: number) =>
  db.prisma.attendance.findMany({
    where: { studentId, date: fromIsoDate(s.today) },
    orderBy: { lessonId: "asc" },
    include: { lesson: { select: { slot: true } } },
  });

function hasPdftotext(): boolean {
  try {
    execFileSync("pdftotext", ["-v"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  db = await createTestDb();
  s = await schoolWithLessonsToday(db.prisma);
  st = s.students.c7b;
  const math = await s.actor(s.people.mathTeacher);
  const russian = await s.actor(s.people.russianTeacher);
  const algebra = await lessonOf(db.prisma, s.assignments.algebra7b, s.today);
  const russianLesson = await lessonOf(db.prisma, s.assignments.russian7b, s.today);
  // Алексеев (st0) misses both lessons, Белова (st1) is late, Васильев (st2) misses both, Григорьева (st3) one.
  await saveAttendance(db.prisma, math, { lessonId: algebra, absent: [st[0], st[2], st[3]], late: [st[1]] });
  await saveAttendance(db.prisma, russian, { lessonId: russianLesson, absent: [st[0], st[2]] });
  tg = await createFakeTelegram({ prisma: db.prisma, schoolId: s.schoolId });
  teacher = await tg.as(s.people.mathTeacher);
});
afterAll(async () => {
  await db.drop();
});

describe("R-03 /class: the class today and absence reasons", () => {
  it("opens the only class led straight away and shows who is missing from which lessons", async () => {
    await teacher.send("/class");
    const text = teacher.lastText();
    expect(text).toContain("👥 7Б");
    expect(text).toContain("В классе 6 учеников.");
    expect(text).toContain("Алексеев Артём: 1 Алг — н, без причины; 2 Рус — н, без причины");
    expect(text).toContain("Белова Анна: 1 Алг — опоздание");
    expect(text).toContain("Отсутствуют: 3, опоздали: 1.");
    expect(text).toContain("Посещаемость ещё не отмечена: 3 Англ (гр. 1), 3 Англ (гр. 2).");
    expect(teacher.buttons().flat()).toContain("❗ Пропуски без причины: 3");
    // the same screen from the reply-keyboard button
    await teacher.send("👥 Мой класс");
    expect(teacher.lastText()).toBe(text);
  });

  it("sets «болезнь» for all of a student's lessons of the day in one tap", async () => {
    await teacher.tap("❗ Пропуски без причины: 3");
    expect(teacher.lastText()).toContain("1. Алексеев Артём");
    expect(teacher.lastText()).toContain("1 Алг, 2 Рус");
    const before = tg.callsOf("editMessageText").length;
    await teacher.tap("🤒 болезнь"); // the first group: Алексеев
    expect(tg.callsOf("editMessageText").length).toBe(before + 1);
    const rows = await attendanceOf(st[0]);
    expect(rows.map((r) => r.reason)).toEqual(["ILLNESS", "ILLNESS"]);
    expect(teacher.callbackAnswers().at(-1)).toBe("Причина «болезнь» указана: 2 урока.");
    expect(teacher.lastText()).not.toContain("Алексеев Артём");
    const audit = await db.prisma.auditEvent.count({ where: { schoolId: s.schoolId, action: "attendance.reason" } });
    expect(audit).toBe(2);
  });

  it("sets a reason for a single lesson from the student's day", async () => {
    await teacher.tap(/Васильев Б\./);
    expect(teacher.lastText()).toContain("Васильев Борис");
    expect(teacher.lastText()).toContain("1 Алг — без причины");
    await teacher.tap("✅ уважительная"); // the first lesson's row
    const rows = await attendanceOf(st[2]);
    expect(rows.map((r) => [r.lesson.slot, r.reason])).toEqual([
      [1, "EXCUSED"],
      [2, null],
    ]);
    expect(teacher.lastText()).toContain("1 Алг — уважительная");
    expect(teacher.buttons().flat()).toContain("• ✅ уважительная");
    expect(tg.failedCalls()).toEqual([]);
  });
});

describe("parents' notices (issue 5 item 6)", () => {
  it("shows a parent's notice and confirms it: the day's absence gets the reason", async () => {
    const mother = s.guardians.get(st[3])![0];
    await reportAbsence(db.prisma, await s.actor(mother), {
      studentId: st[3],
      from: s.today,
      to: addDays(s.today, 2),
      reason: "ILLNESS",
      comment: "Температура, врач до пятницы",
    });
    await teacher.send("/class");
    expect(teacher.lastText()).toContain(
      "Григорьева Вера: 1 Алг — н, без причины; заявление родителей (болезнь) ждёт подтверждения",
    );
    await teacher.tap("📝 Заявления родителей: 1");
    const text = teacher.lastText();
    expect(text).toContain("Григорьева Вера");
    expect(text).toContain("(3 дня), болезнь");
    expect(text).toContain("Температура, врач до пятницы");
    expect(text).toContain("Родитель3 Мария");
    await teacher.tap(/^✓ Подтвердить: Григорьева В\./);
    expect(teacher.callbackAnswers().at(-1)).toBe("Заявление подтверждено. Причина проставлена в 1 пропуске.");
    const notice = await db.prisma.absenceNotice.findFirstOrThrow({ where: { studentId: st[3] } });
    expect(notice.confirmedAt).not.toBeNull();
    expect(notice.confirmedById).toBe(s.people.mathTeacher);
    const [row] = await attendanceOf(st[3]);
    expect(row.reason).toBe("ILLNESS");
    expect(row.noticeId).toBe(notice.id);
    expect(teacher.lastText()).toContain("Новых заявлений нет.");
  });
});

describe("class list and invites (R-08, R-09)", () => {
  it("shows which families are linked and whose consent is recorded", async () => {
    await tg.as(s.guardians.get(st[0])![0]); // Алексеев's mother uses the bot
    await teacher.send("/class");
    await teacher.tap("📋 Список класса");
    const text = teacher.lastText();
    expect(text).toContain("Список класса 7Б: 6 учеников");
    expect(text).toContain("В боте: семьи — 1 из 6, ученики — 0 из 6.");
    expect(text).toContain("1. Алексеев Артём ✗");
    expect(text).toContain("мать: Родитель0 Мария ✓ · согласие на обработку данных есть");
    expect(text).toContain("отец: Родитель0 Сергей ✗ · согласия нет");
  });

  it("sends one message per family with each person's deep link; a link links that guardian", async () => {
    await teacher.tap("✉️ Приглашения");
    expect(teacher.lastText()).toContain("Ещё не подключены: 11 родителей и 6 учеников.");
    expect(teacher.lastText()).toContain("Это 6 семей.");
    const before = teacher.messages.length;
    await teacher.tap("✉️ Прислать ссылки: 6 семей");
    const sent = teacher.messages.slice(before).map((m) => m.text ?? "");
    const familyMessages = sent.filter((t) => t.startsWith("Приглашение в электронный журнал"));
    expect(familyMessages).toHaveLength(6);
    expect(sent.at(-1)).toContain("Готово: 17 приглашений, семей — 6.");
    const username = tg.emulator.bot.username!;
    const first = familyMessages[0];
    expect(first).toContain("7Б, Алексеев Артём");
    expect(first).not.toContain("Родитель0 Мария"); // already linked
    expect(inviteCodes(first, username)).toHaveLength(2); // father and the student
    expect(await db.prisma.invite.count({ where: { schoolId: s.schoolId } })).toBe(17);

    // Белова's mother opens her link on her own phone
    const second = familyMessages[1];
    expect(second).toContain("Родитель1 Мария (мать):");
    const link = second.split("\n").findIndex((l) => l.startsWith("Родитель1 Мария"));
    const [code] = inviteCodes(second.split("\n")[link + 1], username);
    const parent = await openInvite(tg, code);
    const account = await db.prisma.messengerAccount.findFirst({
      where: { telegramUserId: BigInt(parent.id) },
    });
    expect(account?.personId).toBe(s.guardians.get(st[1])![0]);
  });

  it("sends a printable A4 invite sheet as a PDF", async () => {
    await teacher.send("/class");
    await teacher.tap("🖨 Лист приглашений (PDF)");
    const doc = teacher.lastMessage()!.document!;
    expect(doc.file_name).toBe("priglasheniya-7B.pdf");
    expect(teacher.lastMessage()!.caption).toContain("Лист приглашений 7Б: 6 семей");
    const bytes = tg.emulator.files.get(doc.file_id)!.bytes;
    expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
    expect(bytes.toString("latin1")).toMatch(/\/Type \/Page\b/);
    if (hasPdftotext()) {
      const dir = mkdtempSync(path.join(tmpdir(), "invite-sheet-"));
      writeFileSync(path.join(dir, "sheet.pdf"), bytes);
      const text = execFileSync("pdftotext", [path.join(dir, "sheet.pdf"), "-"], { encoding: "utf8" });
      expect(text).toContain("Приглашения в электронный журнал — 7Б");
      expect(text).toContain("Васильев Борис");
      expect(text).toContain(`https://t.me/${tg.emulator.bot.username}?start=`);
    }
    expect(tg.failedCalls()).toEqual([]);
  });
});

describe("robustness: tampered and stale buttons", () => {
  it("refuses another class's screen and reasons, changing nothing", async () => {
    const russian = await s.actor(s.people.russianTeacher);
    const russian8a = await lessonOf(db.prisma, s.assignments.russian8a, s.today);
    const pupil8a = s.students.c8a[0];
    await saveAttendance(db.prisma, russian, { lessonId: russian8a, absent: [pupil8a] });
    const [row8a] = await db.prisma.attendance.findMany({ where: { studentId: pupil8a } });
    await teacher.send("/class");

    await teacher.press(`ca_h:${s.classes.c8a}:0`);
    expect(teacher.lastText()).toBe(ru("errors:FORBIDDEN"));
    await teacher.press(`ca_g:${s.classes.c8a}:${pupil8a}:${dateInt(s.today)}:ILLNESS:l`);
    expect(teacher.lastText()).toBe(ru("errors:FORBIDDEN"));
    await teacher.press(`ca_r:${s.classes.c7b}:${pupil8a}:${dateInt(s.today)}:${row8a.id}:ILLNESS`);
    expect(teacher.lastText()).toBe(ru("errors:FORBIDDEN"));
    await teacher.press(`ca_l:${s.classes.c8a}:0`);
    expect(teacher.lastText()).toBe(ru("errors:FORBIDDEN"));
    await teacher.press(`ca_s:${s.classes.c8a}`);
    expect(teacher.lastText()).toBe(ru("errors:FORBIDDEN"));
    expect((await db.prisma.attendance.findUniqueOrThrow({ where: { id: row8a.id } })).reason).toBeNull();
    expect(teacher.texts().some((t) => t.includes("Жуков Егор"))).toBe(false); // 8А's first student
  });

  it("answers malformed and already used buttons politely", async () => {
    await teacher.press("ca_h:7b:0");
    expect(teacher.callbackAnswers().at(-1)).toBe(ru("class-admin:stale"));
    const notice = await db.prisma.absenceNotice.findFirstOrThrow({ where: { studentId: st[3] } });
    await teacher.press(`ca_c:${s.classes.c7b}:${notice.id}`);
    expect(teacher.callbackAnswers().at(-1)).toBe(ru("class-admin:notices.already"));
  });

  it("lets a class teacher of two classes pick one, and come back to the pick", async () => {
    const russian = await tg.as(s.people.russianTeacher);
    await russian.send("/class");
    expect(russian.lastText()).toBe(ru("class-admin:home.pick"));
    expect(russian.buttons().flat()).toEqual(["2А — 6 учеников", "8А — 6 учеников"]);
    await russian.tap("8А — 6 учеников");
    expect(russian.lastText()).toContain("👥 8А");
    expect(russian.lastText()).toContain("Жуков Егор: 1 Рус — н, без причины");
    await russian.tap("« Мои классы");
    expect(russian.lastText()).toBe(ru("class-admin:home.pick"));
  });

  it("tells a teacher who leads no class so, and a stranger how to join", async () => {
    const other = await tg.as(s.people.otherTeacher);
    await other.send("/class");
    expect(other.lastText()).toBe(ru("class-admin:home.noClasses"));
    const stranger = tg.stranger();
    await stranger.send("/class");
    expect(stranger.lastText()).toBe(ru("bot:start.stranger"));
  });
});

describe("in English", () => {
  it("the class list names the guardians' relation in English, not as the school's sheet spells it", async () => {
    const english = await tg.as(s.people.mathTeacher, { languageCode: "en" });
    await english.send("/class");
    await english.tap("📋 Class list");
    const text = english.lastText();
    expect(text).toContain("📋 Class list 7Б");
    expect(text).toContain("mother: Родитель0 Мария ✓");
    expect(text).toContain("father: Родитель0 Сергей");
    expect(text).not.toMatch(/мать|отец/);
    await english.tap("✉️ Invites");
    await english.tap(/✉️ Send links/);
    const family = english.texts().findLast((t) => t.includes("Родитель3 Мария"));
    expect(family).toContain("Родитель3 Мария (mother):");
    expect(family).not.toMatch(/мать|отец/);
    await tg.as(s.people.mathTeacher); // back to Russian for anything after
  });
});
