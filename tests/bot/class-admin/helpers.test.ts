// Pure pieces of the class-admin screens and the invite-sheet renderer, table-driven.
import { describe, expect, it } from "vitest";
import { groupByStudentDay } from "../../../src/bot/features/class-admin/absences.ts";
import { planInvites } from "../../../src/bot/features/class-admin/invites.ts";
import { chunkLines, dateToInt, fitLines, intToDate, shortName } from "../../../src/bot/features/class-admin/ui.ts";
import { fileNamePart } from "../../../src/core/file-name.ts";
import type { ClassAbsence } from "../../../src/core/journal/absence-reasons.ts";
import { renderInviteSheet } from "../../../src/jobs/reports/invite-sheet.ts";

describe("file names, dates and names", () => {
  it.each([
    ["7Б", "7B"],
    ["10А", "10A"],
    ["5Ж", "5Zh"],
    ["11Ё", "11E"],
    ["8;rm -rf", "8-rm-rf"],
    ["", "class"],
  ])("fileNamePart(%j) = %j", (input, expected) => {
    expect(fileNamePart(input, "class")).toBe(expected);
  });

  it.each([
    ["2026-11-24", 20261124],
    ["2025-01-05", 20250105],
  ])("dates travel as yyyymmdd: %s", (iso, n) => {
    expect(dateToInt(iso)).toBe(n);
    expect(intToDate(n)).toBe(iso);
  });

  it.each([0, 2026, 20261340, 99999999])("intToDate(%i) is null (today or malformed)", (n) => {
    expect(intToDate(n)).toBeNull();
  });

  it("shortens a journal name to surname and initial", () => {
    expect(shortName("Иванов Пётр")).toBe("Иванов П.");
    expect(shortName("Иванов")).toBe("Иванов");
  });

  it("keeps texts within Telegram's limit", () => {
    const lines = Array.from({ length: 200 }, (_, i) => `line ${i} ${"x".repeat(50)}`);
    const fitted = fitLines(lines, (n) => `…${n} more`, 1000);
    expect(fitted.length).toBeLessThanOrEqual(1000);
    expect(fitted).toMatch(/…\d+ more$/);
    const chunks = chunkLines(lines, 1000);
    expect(chunks.every((c) => c.length <= 1000)).toBe(true);
    expect(chunks.join("\n")).toBe(lines.join("\n"));
  });
});

describe("grouping", () => {
  const a = (studentId: number, name: string, date: string, slot: number): ClassAbsence => ({
    attendanceId: studentId * 100 + slot,
    studentId,
    studentName: name,
    date,
    lessonId: slot,
    slot,
    subjectShort: "Алг",
    status: "ABSENT",
    reason: null,
    noticeId: null,
  });

  it("groups absences by student and day, the latest day first", () => {
    const groups = groupByStudentDay([
      a(2, "Белова Анна", "2026-11-23", 1),
      a(1, "Алексеев Артём", "2026-11-24", 1),
      a(1, "Алексеев Артём", "2026-11-24", 2),
      a(2, "Белова Анна", "2026-11-24", 3),
    ]);
    expect(groups.map((g) => [g.studentName, g.date, g.items.length])).toEqual([
      ["Алексеев Артём", "2026-11-24", 2],
      ["Белова Анна", "2026-11-24", 1],
      ["Белова Анна", "2026-11-23", 1],
    ]);
  });

  it("R-09: invites unlinked guardians, and the student only once a parent consented", () => {
    const g = (personId: number, linked: boolean, consent: boolean) => ({
      personId,
      name: `P${personId}`,
      relation: null,
      linked,
      consent,
    });
    const plans = planInvites([
      {
        studentId: 1,
        personId: 10,
        no: 1,
        name: "S1",
        linked: false,
        guardians: [g(11, true, true), g(12, false, false)],
      },
      { studentId: 2, personId: 20, no: 2, name: "S2", linked: false, guardians: [g(21, false, false)] },
      { studentId: 3, personId: 30, no: 3, name: "S3", linked: true, guardians: [g(31, true, true)] },
    ]);
    expect(plans.map((p) => p.targets.map((t) => `${t.role}:${t.personId}`))).toEqual([
      ["GUARDIAN:12", "STUDENT:10"],
      ["GUARDIAN:21"],
      [],
    ]);
    expect(plans.map((p) => p.studentWaitsConsent)).toEqual([false, true, false]);
  });
});

describe("the invite sheet renderer", () => {
  it("renders an A4 PDF with a page per few families", async () => {
    const families = Array.from({ length: 30 }, (_, i) => ({
      studentName: `Ученик${i}`,
      people: [{ name: `Родитель${i}`, role: "мать", link: `https://t.me/bot?start=code${i}` }],
    }));
    const pdf = await renderInviteSheet({
      title: "Приглашения — 7Б",
      labels: { student: "Ученик(ца)" },
      instruction: "Откройте ссылку и нажмите «Старт».",
      families,
    });
    const raw = pdf.toString("latin1");
    expect(raw.startsWith("%PDF-")).toBe(true);
    const pages = raw.match(/\/Type \/Page\b/g)?.length ?? 0;
    expect(pages).toBeGreaterThan(1);
    expect(pages).toBeLessThan(30);
    expect(raw).toContain("/MediaBox [0 0 595.28 841.89]");
  });
});
