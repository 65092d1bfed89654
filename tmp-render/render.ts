import { writeFileSync } from "node:fs";
import type { PrintedJournal } from "../src/core/reports/printed-journal.ts";
import { journalLabels } from "../src/jobs/reports/build-file.ts";
import { renderPrintedJournal } from "../src/jobs/reports/printed-journal-pdf.ts";
import { reportDocument } from "../src/jobs/reports/report-content.ts";
import { renderReportPdf, renderReportXlsx } from "../src/jobs/reports/report-document.ts";
import { translator } from "../src/i18n.ts";

const t = translator("ru") as never;
const names = ["Алексеев Артём", "Белова Анастасия", "Васильев Константин", "Григорьева Мария-Антуанетта", "Дмитриев Иван"];
const students = Array.from({ length: 30 }, (_, i) => ({ no: i + 1, studentId: i + 1, label: `${names[i % 5]}${i >= 5 ? ` ${i}` : ""}` }));
const dates = (n: number, start = 1) => Array.from({ length: n }, (_, i) => { const d = new Date(Date.UTC(2025, 8, start + Math.floor(i * 56 / n))); return d.toISOString().slice(0, 10); });
const subj = (name: string, n: number, subgroup: number | null = null) => {
  const ds = dates(n);
  return {
    subjectName: name, subgroup, teacher: "Иванова М. И.", students,
    lessons: ds.map((date, i) => ({ date, topic: i % 7 === 3 ? "Решение задач на движение по реке: скорость течения, собственная скорость лодки и время в пути туда и обратно" : `Тема урока ${i + 1}`, homework: i % 3 ? `§${i + 1}, № ${i * 3}–${i * 3 + 5}` : "" })),
    cells: students.map((_, r) => ds.map((_, c) => ((r + c) % 11 === 0 ? "н" : (r * c) % 5 === 0 ? String(2 + ((r + c) % 4)) : (r + c) % 17 === 0 ? "н 4" : (r+c)%23===0 ? "4/5" : ""))),
    termMarks: students.map((_, r) => (r % 9 === 0 ? "н/а" : r % 13 === 0 ? "осв" : String(3 + (r % 3)))),
  };
};
const subjects = [subj("Алгебра", 36), subj("Английский язык", 27, 1), subj("Русский язык", 45), subj("Физическая культура", 18)];
const summarySubjects = ["Алгебра", "Английский язык", "Биология", "География", "Геометрия", "Изобразительное искусство", "Информатика", "История", "Литература", "Музыка", "Обществознание", "ОБЖ", "Русский язык", "Технология", "Физика", "Физическая культура", "Химия"];
const j: PrintedJournal = {
  schoolName: "МБОУ «Средняя общеобразовательная школа № 7»", className: "7Б", yearName: "2025/2026",
  period: { kind: "QUARTER", number: 1, from: "2025-09-01", to: "2025-10-26" },
  classTeacher: "Петров О. С.", director: "Директорова А. П.", students, subjects,
  summary: { subjects: summarySubjects, marks: students.map((_, r) => summarySubjects.map((_, c) => (r + c) % 19 === 0 ? "н/а" : (r+c)%29===0 ? "осв" : (r+c)%31===0 ? "" : String(3 + ((r + c) % 3)))) },
};
writeFileSync("tmp-render/journal.pdf", await renderPrintedJournal(j, journalLabels(t, j)));
const header = { schoolName: "Школа № 7", span: { span: "week", from: "2025-10-06", to: "2025-10-12", periodId: null, yearId: 1, periodKind: null, periodNumber: null, yearName: "2025/2026", today: "2025-10-20" }, scope: { kind: "school" }, scopeLabel: "", from: "2025-10-06", to: "2025-10-12" } as never;
const row = (label: string) => ({ id: 1, label, attested: 20, n5: 5, n4: 8, n3: 5, n2: 1, nNa: 1, nPass: 0, nFail: 0, nExempt: 1, nMissing: 2, successPct: 90, qualityPct: 65, souPct: 57.3, averageMark: 3.9 });
const perf = { kind: "performance", header, performance: { source: "term", asOf: "2025-10-26", byClass: ["5А","5Б","6А"].map(row), bySubject: ["Математика","Изобразительное искусство и художественный труд"].map(row), byTeacher: [row("Иванова М. И.")], total: row(""), systematicAbsence: [{ studentId: 1, label: "Васильев Константин", className: "5А", days: 4, from: "2025-10-06", to: "2025-10-19" }], systematicFailing: [] } } as never;
writeFileSync("tmp-render/performance.pdf", await renderReportPdf(reportDocument(t, perf)));
writeFileSync("tmp-render/performance.xlsx", await renderReportXlsx(reportDocument(t, perf)));
const fill = { kind: "filling", header, filling: { from: "2025-10-06", to: "2025-10-12", lessons: { total: 40, withoutTopic: 3, withoutHomework: 5, withoutAttendance: 2 }, teachers: { total: 3, withEntries: 2, withEntriesPct: 66.7 }, marks: { total: 90, late: 4 }, byTeacher: [{ teacherId: 1, label: "Иванова М. И.", lessons: 20, withoutTopic: 1, withoutHomework: 2, withoutAttendance: 0, lateMarks: 3, hasEntries: true }], studentsWithoutMarks: Array.from({length: 60}, (_, i) => ({ studentId: i, label: `Ученик ${i} Очень-Длинная-Фамилия-Через-Дефис`, classId: 1, className: "5А", subjectId: 1, subjectName: "Основы духовно-нравственной культуры народов России", marks: 0 })), studentsWithOneMark: [] }, diary: { students: 2, studentsUsing: 1, studentsUsingPct: 50, parents: 2, parentsUsing: 1, parentsUsingPct: 50, families: [{ studentId: 1, label: "Алексеев Артём", classId: 1, className: "5А", studentViews: 2, guardians: [{ guardianId: 1, label: "Алексеева М. И.", relation: "мать", views: 5, days: 3, lastView: "2025-10-10" }] }] } } as never;
writeFileSync("tmp-render/filling.pdf", await renderReportPdf(reportDocument(t, fill)));
console.log("ok");
