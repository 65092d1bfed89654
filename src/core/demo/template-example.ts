// The example row of every sheet of the import template (Russian, as a school fills it in). The template with
// these rows imports successfully.
import { numberRows, type SchoolWorkbook } from "../import/sheets.ts";

/** The example workbook for the academic year starting in September of `startYear`. */
export function templateExample(startYear: number): SchoolWorkbook {
  return {
    periods: numberRows("periods", [
      {
        year: `${startYear}/${startYear + 1}`,
        kind: "quarter",
        number: 1,
        starts: `${startYear}-09-01`,
        ends: `${startYear}-10-25`,
      },
    ]),
    bells: numberRows("bells", [{ number: 1, starts: "08:30", ends: "09:15" }]),
    subjects: numberRows("subjects", [{ name: "Английский язык", short: "Англ." }]),
    staff: numberRows("staff", [
      { id: "T001", last_name: "Иванова", first_name: "Анна", middle_name: "Сергеевна", roles: "teacher, admin" },
    ]),
    classes: numberRows("classes", [{ name: "5А", grade: 5, class_teacher: "T001" }]),
    students: numberRows("students", [
      {
        id: "S0001",
        last_name: "Петров",
        first_name: "Илья",
        middle_name: "Андреевич",
        class: "5А",
        subgroups: "Английский язык:1",
      },
    ]),
    guardians: numberRows("guardians", [
      {
        id: "G0001",
        last_name: "Петрова",
        first_name: "Елена",
        middle_name: "Викторовна",
        students: "S0001",
        relation: "мать",
      },
    ]),
    assignments: numberRows("assignments", [
      { teacher: "T001", subject: "Английский язык", class: "5А", subgroup: 1, hours_per_week: 3 },
    ]),
    timetable: numberRows("timetable", [
      { class: "5А", subgroup: 1, weekday: "пн", lesson: 1, subject: "Английский язык", teacher: "T001", room: "201" },
    ]),
    // The school's defaults, as a school would write them (importing them changes nothing).
    settings: [
      { key: "grace_minutes", value: "10", weight: "", label: "", rights: "" },
      { key: "correction_window_days", value: "7", weight: "", label: "", rights: "" },
      { key: "term_grade_deadline_days", value: "2", weight: "", label: "", rights: "" },
      { key: "threshold", value: "5", weight: "4.6", label: "", rights: "" },
      { key: "threshold", value: "4", weight: "3.6", label: "", rights: "" },
      { key: "threshold", value: "3", weight: "2.6", label: "", rights: "" },
      { key: "threshold", value: "2", weight: "0", label: "", rights: "" },
      { key: "grades_without_marks", value: "1, 2", weight: "", label: "", rights: "" },
    ].map((r, i) => ({ row: i + 2, ...r })),
  };
}
