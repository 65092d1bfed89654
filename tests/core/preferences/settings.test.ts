// Core preferences: only the actor's own row, validated, audited; defaults match the Preference model.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemActor } from "../../../src/core/actor.ts";
import {
  DEFAULT_PREFERENCES,
  DIGEST_OFF,
  digestEnabled,
  getPreferences,
  updatePreferences,
} from "../../../src/core/preferences/settings.ts";
import { createTestDb, type TestDb } from "../../helpers/db.ts";
import { buildSchool, type TestSchool } from "../../helpers/factories.ts";

let db: TestDb;
let s: TestSchool;

beforeAll(async () => {
  db = await createTestDb();
  s = await buildSchool(db.prisma);
});
afterAll(async () => {
  await db.drop();
});

describe("preferences", () => {
  it("defaults until saved, then the saved values; the row carries the actor's school", async () => {
    const me = await s.actor(s.guardians.get(s.students.c7b[0])![0]);
    expect(await getPreferences(db.prisma, me)).toEqual(DEFAULT_PREFERENCES);
    const after = await updatePreferences(db.prisma, me, { digestTime: "21:00", quietHours: false, weeklyDay: 5 });
    expect(after).toMatchObject({ digestTime: "21:00", quietHours: false, weeklyDay: 5 });
    expect(await getPreferences(db.prisma, me)).toEqual(after);
    const row = await db.prisma.preference.findUniqueOrThrow({ where: { personId: me.personId } });
    expect(row.schoolId).toBe(s.schoolId);
    expect(row.quietFrom).toBe(row.quietTo);
    await updatePreferences(db.prisma, me, { quietHours: true });
    expect(await db.prisma.preference.findUniqueOrThrow({ where: { personId: me.personId } })).toMatchObject({
      quietFrom: "21:00",
      quietTo: "07:00",
    });
  });

  it("validates: unknown fields, bad times, days and locales are refused with VALIDATION, nothing written", async () => {
    const me = await s.actor(s.guardians.get(s.students.c7b[1])![0]);
    for (const patch of [
      { digestTime: "25:00" },
      { digestTime: "7:00" },
      { weeklyDay: 8 },
      { locale: "de" },
      { personId: 1 },
      { alertAbsence: "yes" },
    ]) {
      await expect(updatePreferences(db.prisma, me, patch as never)).rejects.toMatchObject({ code: "VALIDATION" });
    }
    expect(await db.prisma.preference.count({ where: { personId: me.personId } })).toBe(0);
  });

  it("audits each change with old and new values, and nothing when nothing changed", async () => {
    const me = await s.actor(s.people.mathTeacher);
    await updatePreferences(db.prisma, me, { lessonPrompt: false });
    await updatePreferences(db.prisma, me, { lessonPrompt: false });
    const audit = await db.prisma.auditEvent.findMany({ where: { actorId: me.personId, action: "preference.update" } });
    expect(audit.map((a) => a.data)).toEqual([{ lessonPrompt: { old: true, new: false } }]);
  });

  it("the system actor has no preferences of its own", async () => {
    await expect(getPreferences(db.prisma, systemActor(s.schoolId))).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(updatePreferences(db.prisma, systemActor(s.schoolId), { locale: "en" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
  });

  it("digestEnabled: off and malformed values are off", () => {
    expect(digestEnabled({ digestTime: "19:00" })).toBe(true);
    expect(digestEnabled({ digestTime: DIGEST_OFF })).toBe(false);
  });
});
