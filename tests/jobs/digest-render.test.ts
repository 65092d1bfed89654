// Rendering of digests: Telegram's 4096-character limit with «…и ещё N», English, plurals.
import { describe, expect, it } from "vitest";
import type { DailyDigest } from "../../src/core/digest/index.ts";
import { renderDailyDigest } from "../../src/jobs/digest/render.ts";

const base: DailyDigest = {
  schoolId: 1,
  guardianId: 2,
  studentId: 3,
  date: "2026-11-27",
  student: { studentId: 3, lastName: "Иванов", firstName: "Иван", className: "7Б" },
  marks: [],
  withdrawn: [],
  attendance: [],
  homeworkDate: "2026-11-30",
  homework: [],
  notices: [],
  empty: false,
};

describe("digest rendering", () => {
  it("a digest that would exceed 4096 characters is cut with «…и ещё N», every section keeps its head", () => {
    const d: DailyDigest = {
      ...base,
      marks: [
        {
          markId: 1,
          subjectId: 1,
          subjectName: "Алгебра",
          date: "2026-11-27",
          late: false,
          workType: "oral",
          value: "5",
          comment: null,
          corrections: [],
        },
      ],
      homework: Array.from({ length: 60 }, (_, i) => ({
        homeworkId: i + 1,
        subjectName: `Предмет ${i + 1}`,
        text: "Прочитать параграф и ответить на вопросы. ".repeat(10),
        files: i % 3,
        individual: false,
      })),
      notices: Array.from({ length: 10 }, (_, i) => ({
        announcementId: i + 1,
        scope: "CLASS" as const,
        text: `Объявление ${i + 1}: ${"подробности ".repeat(50)}`,
        hasFile: false,
        at: "2026-11-27T10:00:00.000Z",
      })),
    };
    const text = renderDailyDigest(d, "ru");
    expect(text.length).toBeLessThanOrEqual(4096);
    expect(text).toMatch(/^Сводка за 27 ноября: Иванов Иван\n\nОценки:\n• Алгебра — 5 \(ответ на уроке\)\n\n/);
    expect(text).toContain("Домашнее задание на понедельник (30 ноября):");
    expect(text).toContain("Объявления:");
    expect(text).toMatch(/…и ещё \d+\n\nОбъявления:/);
    expect(text).toMatch(/…и ещё \d+$/);
  });

  it("English, plurals of attached files, corrections of an earlier day, lateness without reason", () => {
    const d: DailyDigest = {
      ...base,
      marks: [
        {
          markId: 1,
          subjectId: 1,
          subjectName: "Algebra",
          date: "2026-11-20",
          late: true,
          workType: "control",
          value: "5",
          comment: null,
          corrections: [{ from: "4", to: "5", reason: "typo", at: "2026-11-27T10:00:00.000Z" }],
        },
      ],
      attendance: [{ lessonId: 1, slot: 3, subjectName: "History", status: "LATE", reason: null }],
      homeworkDate: "2026-11-28",
      homework: [{ homeworkId: 1, subjectName: "Algebra", text: "No. 5", files: 1, individual: true }],
    };
    expect(renderDailyDigest({ ...d, date: "2026-11-27" }, "en")).toBe(
      [
        "Summary for November 27: Иванов Иван",
        "",
        "Marks:",
        "• Algebra — mark for 20.11.2026: 4 → 5 (test paper), corrected: typo",
        "",
        "Absences and lateness:",
        "• Lesson 3, History — late",
        "",
        "Homework for tomorrow (November 28):",
        "• Algebra: No. 5 (individual task, 1 file attached)",
      ].join("\n"),
    );
    const ru = renderDailyDigest({ ...d, homework: [{ ...d.homework[0], files: 5, individual: false }] }, "ru");
    expect(ru).toContain("• Algebra: No. 5 (прикреплено 5 файлов)");
    expect(ru).toContain("оценка за 20.11.2026: 4 → 5 (контрольная работа), исправлено: typo");
  });
});
