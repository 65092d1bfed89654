// The remembered work type (core/preferences/work-type.ts): only the school's codes, only one's own preference,
// and a new Preference row keeps the person's Telegram language.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemActor } from "../../../src/core/actor.ts";
import { getDefaultWorkType, setDefaultWorkType } from "../../../src/core/preferences/work-type.ts";
import { createTestDb, type TestDb } from "../../helpers/db.ts";
import { buildSchool, lessonOf, type TestSchool } from "../../helpers/factories.ts";
import { createFakeTelegram } from "../../helpers/telegram.ts";
import { openMarks } from "./helpers.ts";

let db: TestDb;
let s: TestSchool;

beforeAll(async () => {
  db = await createTestDb();
  s = await buildSchool(db.prisma, { studentsPerClass: 2 });
}, 120_000);
afterAll(async () => {
  await db?.drop();
});

describe("default work type", () => {
  it("is null until chosen, then the chosen code; unknown codes are refused", async () => {
    const actor = await s.actor(s.people.mathTeacher);
    expect(await getDefaultWorkType(db.prisma, actor)).toBeNull();
    await expect(setDefaultWorkType(db.prisma, actor, { workType: "nonsense" })).rejects.toMatchObject({
      code: "VALIDATION",
    });
    expect(await setDefaultWorkType(db.prisma, actor, { workType: "control" })).toBe("control");
    expect(await getDefaultWorkType(db.prisma, actor)).toBe("control");
    await setDefaultWorkType(db.prisma, actor, { workType: "test" });
    expect(await getDefaultWorkType(db.prisma, actor)).toBe("test");
    await expect(getDefaultWorkType(db.prisma, systemActor(s.schoolId))).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("a school that drops the work type no longer offers it", async () => {
    const actor = await s.actor(s.people.russianTeacher);
    await setDefaultWorkType(db.prisma, actor, { workType: "essay" });
    await db.prisma.school.update({
      where: { id: s.schoolId },
      data: { settings: { workTypes: [{ code: "oral", weight: 1 }] } },
    });
    expect(await getDefaultWorkType(db.prisma, actor)).toBeNull();
    await db.prisma.school.update({ where: { id: s.schoolId }, data: { settings: {} } });
  });

  it("creating the preference keeps an English-speaking teacher's language", async () => {
    const tg = await createFakeTelegram({ prisma: db.prisma, schoolId: s.schoolId });
    await tg.as(s.people.englishTeacher1, { languageCode: "en" });
    await setDefaultWorkType(db.prisma, await s.actor(s.people.englishTeacher1), { workType: "oral" });
    const pref = await db.prisma.preference.findUniqueOrThrow({ where: { personId: s.people.englishTeacher1 } });
    expect(pref).toMatchObject({ locale: "en", defaultWorkType: "oral" });
  });

  it("a teacher whose Telegram is English picks a work type in the bot and the bot stays English", async () => {
    const tg = await createFakeTelegram({ prisma: db.prisma, schoolId: s.schoolId });
    const teacher = await tg.as(s.people.englishTeacher2, { languageCode: "en" });
    const lessonId = await lessonOf(db.prisma, s.assignments.eng7b2, s.monday);
    await openMarks(teacher, lessonId, "en");
    expect(teacher.lastText()).toContain("Choose the kind of work");
    await teacher.tap("Oral answer");
    expect(
      await db.prisma.preference.findUniqueOrThrow({ where: { personId: s.people.englishTeacher2 } }),
    ).toMatchObject({ locale: "en", defaultWorkType: "oral" });
    await teacher.send("/today");
    expect(teacher.lastText()).toContain("My lessons today");
    await openMarks(teacher, lessonId, "en");
    expect(teacher.lastText()).toContain("Choose the kind of work");
  });
});
