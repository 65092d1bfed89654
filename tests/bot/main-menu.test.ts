// The persistent menu: the buttons a person gets by role, and the same words typed by hand.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { translator } from "../../src/i18n.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { buildSchool, type TestSchool } from "../helpers/factories.ts";
import { createFakeTelegram, type FakeTelegram } from "../helpers/telegram.ts";

const ru = translator("ru");
let db: TestDb;
let s: TestSchool;
let tg: FakeTelegram;

beforeAll(async () => {
  db = await createTestDb();
  s = await buildSchool(db.prisma, { studentsPerClass: 2 });
  tg = await createFakeTelegram({ prisma: db.prisma, schoolId: s.schoolId });
});
afterAll(() => db.drop());

describe("main menu", () => {
  it("a class teacher gets «Мой день» and «Мой класс»; a parent gets the diary buttons", async () => {
    const teacher = await tg.as(s.people.mathTeacher);
    await teacher.send("/start");
    expect(teacher.replyKeyboard()?.flat()).toEqual([
      ru("bot:menu.myDay"),
      ru("bot:menu.myClass"),
      ru("bot:menu.settings"),
    ]);
    const mother = await tg.as(s.guardians.get(s.students.c7b[0])![0]);
    await mother.send("/start");
    expect(mother.replyKeyboard()?.flat()).toEqual(
      ["today", "marks", "homework", "timetable", "write", "settings"].map((k) => ru(`bot:menu.${k}`)),
    );
  });

  it("the words typed by hand, without the emoji and in any case, work like the buttons", async () => {
    const teacher = await tg.as(s.people.mathTeacher);
    await teacher.send("мой день");
    expect(teacher.lastText()).not.toBe(ru("bot:unhandled.linked"));
    const viaButton = await tg.as(s.people.russianTeacher);
    await viaButton.send(ru("bot:menu.myDay"));
    const typed = await tg.as(s.people.russianTeacher);
    await typed.send("Мой день");
    expect(typed.lastText()).toBe(viaButton.lastText());
  });
});
