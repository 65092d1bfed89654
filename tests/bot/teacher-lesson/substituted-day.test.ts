// A lesson the deputy handed to a substitute: the regular teacher's «📋 Мой день» marks it with who teaches it
// and does not ask them to fill it in (the substitute does); the substitute sees it as theirs.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { addDays } from "../../../src/core/dates.ts";
import { grantSubstitution } from "../../../src/core/journal/substitutions.ts";
import { lessonOf } from "../../helpers/factories.ts";
import { flatButtons, type TeacherWorld, teacherWorld } from "./setup.ts";

let w: TeacherWorld;

beforeAll(async () => {
  w = await teacherWorld();
});
afterAll(async () => {
  vi.useRealTimers();
  await w.db.drop();
});

describe("a lesson handed to a substitute in the regular teacher's day", () => {
  it("/today marks the handed lesson «🔁 замена: Фамилия И. О.», the substitute sees «(замена)»", async () => {
    const deputy = await w.s.actor(w.s.people.deputy);
    await grantSubstitution(w.db.prisma, deputy, { lessonId: w.russian7b, substituteId: w.s.people.otherTeacher });

    const teacher = await w.tg.as(w.s.people.russianTeacher);
    await teacher.send("/today");
    const lines = teacher.lastText().split("\n");
    const handed = lines.find((l) => l.includes("· 7Б · Русский язык"));
    expect(handed).toContain("🔁 замена: Посторонний И. Т.");
    expect(lines.find((l) => l.includes("· 8А · Русский язык"))).not.toContain("замена");
    expect(flatButtons(teacher).find((b) => b.includes("7Б"))).toContain("🔁");
    expect(flatButtons(teacher).find((b) => b.includes("8А"))).not.toContain("🔁");

    const substitute = await w.tg.as(w.s.people.otherTeacher);
    await substitute.send("/today");
    expect(substitute.lastText()).toMatch(/7Б · Русский язык.*\(замена\)/);
    expect(substitute.lastText()).not.toContain("🔁 замена");
    expect(w.tg.failedCalls()).toEqual([]);
  });

  it("on a past day the handed lesson carries no «не заполнено» warning for the regular teacher", async () => {
    const yesterday = addDays(w.wednesday, -1);
    const lessonId = await lessonOf(w.db.prisma, w.s.assignments.russian8a, yesterday);
    const deputy = await w.s.actor(w.s.people.deputy);
    await grantSubstitution(w.db.prisma, deputy, { lessonId, substituteId: w.s.people.englishTeacher2 });

    const teacher = await w.tg.as(w.s.people.russianTeacher);
    await teacher.send("📋 Мой день");
    await teacher.tap(/^‹ /);
    const lines = teacher.lastText().split("\n");
    const handed = lines.find((l) => l.includes("· 8А · Русский язык"));
    expect(handed).toContain("🔁 замена: Британов О. Т.");
    expect(handed).not.toContain("⚠️");
    // the teacher's own unfilled lessons of that day are still flagged
    expect(lines.find((l) => l.includes("· 7Б · Русский язык"))).toContain("⚠️ не заполнено: посещаемость, тема");
    const button = flatButtons(teacher).find((b) => b.includes("8А"));
    expect(button).toContain("🔁");
    expect(button).not.toContain("⚠️");
    expect(w.tg.failedCalls()).toEqual([]);
  });
});
