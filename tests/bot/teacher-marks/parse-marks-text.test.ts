// The typed-list parser of the marks screen: journal order vs by name, «-», «н», namesakes, every problem listed.
import { describe, expect, it } from "vitest";
import { parseMarksText, type RosterEntry } from "../../../src/bot/features/teacher-marks/parse-marks-text.ts";
import { lessonMarkValue } from "../../../src/core/journal/marks.ts";
import { defaultSettings } from "../../../src/core/settings.ts";

const roster: RosterEntry[] = ["Иванов Артём", "Иванова Белла", "Петров Глеб", "Петров Дмитрий", "Сидорова Ёлка"].map(
  (name, i) => ({ studentId: 100 + i, no: i + 1, name }),
);
const toValue = (token: string) => lessonMarkValue(token, defaultSettings);
const parse = (text: string) => parseMarksText(text, roster, toValue);
const values = (text: string) => parse(text).entries.map((e) => `${e.no}:${e.value}`);

describe("parseMarksText", () => {
  it.each([
    ["5 4 - 3 н/а", ["1:5", "2:4", "4:3", "5:н/а"]],
    ["5, 4, —, 3, на", ["1:5", "2:4", "4:3", "5:н/а"]],
    ["Иванов 5", ["1:5"]],
    ["иванова 4, Сидорова 3", ["2:4", "5:3"]],
    ["Петров Д. 5 Петров Г 2", ["3:2", "4:5"]],
    ["Сид 5; Иванов -", ["5:5"]],
    ["Сидорова н/а", ["5:н/а"]],
  ])("%s", (text, expected) => {
    expect(parse(text).problems).toEqual([]);
    expect(values(text)).toEqual(expected);
  });

  it.each([
    ["5 4 3", [{ kind: "count", got: 3, expected: 5 }]],
    [
      "5 4 6 н 5",
      [
        { kind: "value", no: 3, name: "Петров Глеб", value: "6" },
        { kind: "absent", no: 4, name: "Петров Дмитрий" },
      ],
    ],
    ["5 4 3 2 5 4", [{ kind: "count", got: 6, expected: 5 }]],
    ["- - - - -", [{ kind: "nothing" }]],
    ["", [{ kind: "empty" }]],
    ["Смирнов 5", [{ kind: "unknown", query: "Смирнов" }]],
    [
      "Петров 5",
      [{ kind: "ambiguous", query: "Петров", names: ["Петров Глеб", "Петров Дмитрий"], example: "Петров Г." }],
    ],
    ["Иванов 5, Иванов 4", [{ kind: "duplicate", name: "Иванов Артём" }]],
    ["Иванов", [{ kind: "noValue", query: "Иванов" }]],
    ["Иванов 5 4", [{ kind: "orphan", value: "4" }]],
    ["Иванов н", [{ kind: "absent", no: null, name: "Иванов Артём" }]],
    ["Иванов осв", [{ kind: "value", no: null, name: "Иванов Артём", value: "осв" }]],
  ])("%s → problems", (text, problems) => {
    expect(parse(text).problems).toEqual(expect.arrayContaining(problems));
  });

  it("reports every wrong value of a journal-order list, with positions", () => {
    const res = parse("5 6 7 н");
    expect(res.problems.map((p) => p.kind)).toEqual(["count", "value", "value", "absent"]);
  });
});
