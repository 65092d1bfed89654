// A small school workbook for import tests, and a snapshot of every table to prove that nothing changed.

import { numberRows, type SchoolWorkbook } from "../../../src/core/import/sheets.ts";
import type { Db } from "../../../src/core/tx.ts";
import { Prisma } from "../../../src/db/generated/client.ts";

export function smallWorkbook(): SchoolWorkbook {
  return {
    periods: numberRows("periods", [
      { year: "2026/2027", kind: "quarter", number: 1, starts: "2026-09-01", ends: "2026-10-25" },
      { year: "2026/2027", kind: "quarter", number: 2, starts: "2026-11-05", ends: "2026-12-28" },
    ]),
    bells: numberRows("bells", [
      { number: 1, starts: "08:30", ends: "09:15" },
      { number: 2, starts: "09:25", ends: "10:10" },
    ]),
    subjects: numberRows("subjects", [
      { name: "Алгебра", short: "Алг." },
      { name: "Английский язык", short: "Англ." },
    ]),
    staff: numberRows("staff", [
      { id: "T1", last_name: "Иванова", first_name: "Мария", middle_name: "Петровна", roles: "teacher" },
      { id: "T2", last_name: "Кузнецов", first_name: "Игорь", middle_name: "", roles: "teacher, deputy" },
      { id: "D1", last_name: "Соколова", first_name: "Елена", middle_name: "Викторовна", roles: "director" },
    ]),
    classes: numberRows("classes", [
      { name: "7А", grade: 7, class_teacher: "T1" },
      { name: "7Б", grade: 7, class_teacher: "T2" },
    ]),
    students: numberRows("students", [
      {
        id: "S1",
        last_name: "Петрова",
        first_name: "Анна",
        middle_name: "",
        class: "7А",
        subgroups: "Английский язык:1",
      },
      {
        id: "S2",
        last_name: "Орлов",
        first_name: "Илья",
        middle_name: "",
        class: "7А",
        subgroups: "Английский язык:2",
      },
      { id: "S3", last_name: "Белова", first_name: "Ольга", middle_name: "", class: "7Б", subgroups: "" },
    ]),
    guardians: numberRows("guardians", [
      { id: "G1", last_name: "Петрова", first_name: "Ольга", middle_name: "", students: "S1", relation: "мать" },
      { id: "T2", last_name: "Кузнецов", first_name: "Игорь", middle_name: "", students: "S3", relation: "отец" },
    ]),
    assignments: numberRows("assignments", [
      { teacher: "T1", subject: "Алгебра", class: "7А", subgroup: "", hours_per_week: 3 },
      { teacher: "T1", subject: "Алгебра", class: "7Б", subgroup: "", hours_per_week: 3 },
      { teacher: "T2", subject: "Английский язык", class: "7А", subgroup: 1, hours_per_week: "1,5" },
      { teacher: "T1", subject: "Английский язык", class: "7А", subgroup: 2, hours_per_week: "1,5" },
    ]),
    timetable: numberRows("timetable", [
      { class: "7А", subgroup: "", weekday: "пн", lesson: 1, subject: "Алгебра", teacher: "T1", room: "12" },
      { class: "7Б", subgroup: "", weekday: "Пн", lesson: 2, subject: "Алгебра", teacher: "T1", room: "12" },
      { class: "7А", subgroup: 1, weekday: 2, lesson: 1, subject: "Английский язык", teacher: "T2", room: "" },
      { class: "7А", subgroup: 2, weekday: "вт", lesson: 1, subject: "Английский язык", teacher: "T1", room: "" },
    ]),
  };
}

const lowerFirst = (s: string) => s[0].toLowerCase() + s.slice(1);

/** Every row of every table, as JSON text per table. */
export async function snapshot(db: Db): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const model of Object.values(Prisma.ModelName)) {
    const delegate = (db as unknown as Record<string, { findMany(): Promise<unknown[]> }>)[lowerFirst(model)];
    const rows = await delegate.findMany();
    out[model] = JSON.stringify(
      rows.map((r) => JSON.stringify(r, (_k, v) => (typeof v === "bigint" ? v.toString() : v))).sort(),
    );
  }
  return out;
}
