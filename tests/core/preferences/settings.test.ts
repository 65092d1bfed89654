// Core preferences: only the actor's own row, validated, audited; defaults match the Preference model.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemActor } from "../../../src/core/actor.ts";
import {
  DEFAULT_PREFERENCES,
  DIGEST_OFF,
  digestEnabled,
  getPreferences,
  isDigestTime,
  parseTypedTime,
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
      { digestTime: "22:20" },
      { digestTime: "07:05" },
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

  it("a digest time is any quarter-hour of the day: 07:00 and 22:30 are saved, 22:20 is not", async () => {
    const me = await s.actor(s.guardians.get(s.students.c8a[1])![0]);
    expect((await updatePreferences(db.prisma, me, { digestTime: "22:30" })).digestTime).toBe("22:30");
    expect((await updatePreferences(db.prisma, me, { digestTime: "07:00" })).digestTime).toBe("07:00");
    expect((await updatePreferences(db.prisma, me, { digestTime: "00:00" })).digestTime).toBe("00:00");
    expect(isDigestTime("23:45")).toBe(true);
    expect(isDigestTime("23:50")).toBe(false);
    expect(isDigestTime(DIGEST_OFF)).toBe(true);
  });

  it("parseTypedTime: the ways a person types a time of day", () => {
    expect(parseTypedTime("22:30")).toBe("22:30");
    expect(parseTypedTime("7:00")).toBe("07:00");
    expect(parseTypedTime(" 7.15 ")).toBe("07:15");
    expect(parseTypedTime("0700")).toBe("07:00");
    expect(parseTypedTime("22 45")).toBe("22:45");
    expect(parseTypedTime("24:00")).toBeNull();
    expect(parseTypedTime("в семь")).toBeNull();
    expect(parseTypedTime("7")).toBeNull();
  });
});
