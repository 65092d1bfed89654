// Validates every row of a SchoolWorkbook and turns it into typed data. All errors are collected (sheet, row,
// column, code, params); references across sheets are checked against the keys the file itself declares.
import type { StaffRole } from "../actor.ts";
import type { IsoDate } from "../dates.ts";
import {
  classKey,
  type PeriodKindName,
  parseClassName,
  parseDate,
  parseDecimal,
  parseIdList,
  parseInteger,
  parsePeriodKind,
  parseRoles,
  parseSubgroups,
  parseTime,
  parseWeekday,
  parseYearName,
} from "./fields.ts";
import type { ImportError, ImportErrorCode, SchoolWorkbook, SheetName } from "./sheets.ts";

export interface PersonData {
  id: string;
  lastName: string;
  firstName: string;
  middleName: string | null;
}

export interface ParsedWorkbook {
  year: { name: string; startsOn: IsoDate; endsOn: IsoDate };
  periods: { kind: PeriodKindName; number: number; startsOn: IsoDate; endsOn: IsoDate }[];
  bells: { number: number; startsAt: string; endsAt: string }[];
  subjects: { name: string; short: string }[];
  staff: (PersonData & { roles: StaffRole[] })[];
  classes: { name: string; grade: number; letter: string; classTeacher: string | null }[];
  students: (PersonData & { className: string; subgroups: { subject: string; number: number }[] })[];
  guardians: (PersonData & { students: string[]; relation: string | null })[];
  assignments: { teacher: string; subject: string; className: string; subgroup: number | null; hours: number }[];
  timetable: {
    className: string;
    subgroup: number | null;
    weekday: number;
    slot: number;
    subject: string;
    teacher: string;
    room: string | null;
  }[];
}

const MAX = { id: 64, name: 100, short: 30, room: 30, relation: 50 } as const;

class Collector {
  readonly errors: ImportError[] = [];
  constructor(private sheet: SheetName) {}
  add(row: number, column: string, code: ImportErrorCode, params: Record<string, string | number> = {}): void {
    this.errors.push({ sheet: this.sheet, row, column, code, params });
  }
  /** A required text cell; reports REQUIRED/TOO_LONG and returns null when it is not usable. */
  text(r: { row: number }, column: string, value: string, max: number, required = true): string | null {
    if (!value) {
      if (required) this.add(r.row, column, "REQUIRED");
      return null;
    }
    if (value.length > max) {
      this.add(r.row, column, "TOO_LONG", { max });
      return null;
    }
    return value;
  }
  int(r: { row: number }, column: string, value: string, min: number, max: number): number | null {
    if (!value) {
      this.add(r.row, column, "REQUIRED");
      return null;
    }
    const n = parseInteger(value);
    if (n === null) {
      this.add(r.row, column, "BAD_NUMBER", { value });
      return null;
    }
    if (n < min || n > max) {
      this.add(r.row, column, "OUT_OF_RANGE", { value, min, max });
      return null;
    }
    return n;
  }
  date(r: { row: number }, column: string, value: string): IsoDate | null {
    if (!value) {
      this.add(r.row, column, "REQUIRED");
      return null;
    }
    const d = parseDate(value);
    if (!d) this.add(r.row, column, "BAD_DATE", { value });
    return d;
  }
  time(r: { row: number }, column: string, value: string): string | null {
    if (!value) {
      this.add(r.row, column, "REQUIRED");
      return null;
    }
    const t = parseTime(value);
    if (!t) this.add(r.row, column, "BAD_TIME", { value });
    return t;
  }
  /** Reports a duplicate key; returns true when the key was seen before. */
  duplicate(seen: Map<string, number>, key: string, r: { row: number }, column: string, value: string): boolean {
    const first = seen.get(key);
    if (first !== undefined) {
      this.add(r.row, column, "DUPLICATE", { value, firstRow: first });
      return true;
    }
    seen.set(key, r.row);
    return false;
  }
}

function person(
  c: Collector,
  r: { row: number; id: string; last_name: string; first_name: string; middle_name: string },
): PersonData | null {
  const id = c.text(r, "id", r.id, MAX.id);
  const lastName = c.text(r, "last_name", r.last_name, MAX.name);
  const firstName = c.text(r, "first_name", r.first_name, MAX.name);
  const middleName = c.text(r, "middle_name", r.middle_name, MAX.name, false);
  if (id === null || lastName === null || firstName === null) return null;
  if (r.middle_name && middleName === null) return null;
  return { id, lastName, firstName, middleName };
}

export function parseWorkbook(wb: SchoolWorkbook): { errors: ImportError[]; data: ParsedWorkbook | null } {
  const errors: ImportError[] = [...(wb.readErrors ?? [])];
  const out: ParsedWorkbook = {
    year: { name: "", startsOn: "", endsOn: "" },
    periods: [],
    bells: [],
    subjects: [],
    staff: [],
    classes: [],
    students: [],
    guardians: [],
    assignments: [],
    timetable: [],
  };

  // periods
  {
    const c = new Collector("periods");
    const seen = new Map<string, number>();
    let yearName: string | null = null;
    if (wb.periods.length === 0) c.add(0, "", "NO_PERIODS");
    for (const r of wb.periods) {
      const y = r.year ? parseYearName(r.year) : null;
      if (!r.year) c.add(r.row, "year", "REQUIRED");
      else if (!y) c.add(r.row, "year", "BAD_YEAR", { value: r.year });
      else if (yearName === null) yearName = y;
      else if (y !== yearName) c.add(r.row, "year", "YEAR_MISMATCH", { value: r.year, expected: yearName });
      const kind = r.kind ? parsePeriodKind(r.kind) : null;
      if (!r.kind) c.add(r.row, "kind", "REQUIRED");
      else if (!kind) c.add(r.row, "kind", "BAD_KIND", { value: r.kind });
      const number = c.int(r, "number", r.number, 1, 4);
      const startsOn = c.date(r, "starts", r.starts);
      const endsOn = c.date(r, "ends", r.ends);
      if (startsOn && endsOn && endsOn < startsOn) c.add(r.row, "ends", "DATES_REVERSED", { value: r.ends });
      if (kind && number !== null) c.duplicate(seen, `${kind}:${number}`, r, "number", r.number);
      if (kind && number !== null && startsOn && endsOn) out.periods.push({ kind, number, startsOn, endsOn });
    }
    if (yearName && out.periods.length) {
      out.year = {
        name: yearName,
        startsOn: out.periods.map((p) => p.startsOn).sort()[0],
        endsOn: out.periods
          .map((p) => p.endsOn)
          .sort()
          .at(-1)!,
      };
    }
    errors.push(...c.errors);
  }

  // bells
  const bellNumbers = new Set<number>();
  {
    const c = new Collector("bells");
    const seen = new Map<string, number>();
    for (const r of wb.bells) {
      const number = c.int(r, "number", r.number, 0, 15);
      const startsAt = c.time(r, "starts", r.starts);
      const endsAt = c.time(r, "ends", r.ends);
      if (startsAt && endsAt && endsAt <= startsAt) c.add(r.row, "ends", "TIMES_REVERSED", { value: r.ends });
      if (number !== null) {
        bellNumbers.add(number);
        c.duplicate(seen, String(number), r, "number", r.number);
      }
      if (number !== null && startsAt && endsAt) out.bells.push({ number, startsAt, endsAt });
    }
    errors.push(...c.errors);
  }

  // subjects
  const subjectNames = new Set<string>();
  {
    const c = new Collector("subjects");
    const seen = new Map<string, number>();
    for (const r of wb.subjects) {
      const name = c.text(r, "name", r.name, MAX.name);
      const short = c.text(r, "short", r.short, MAX.short, false);
      if (name === null) continue;
      subjectNames.add(name);
      if (c.duplicate(seen, name.toLowerCase(), r, "name", r.name)) continue;
      if (r.short && short === null) continue;
      out.subjects.push({ name, short: short ?? name });
    }
    errors.push(...c.errors);
  }

  // staff
  const staffIds = new Map<string, { roles: StaffRole[]; data: PersonData }>();
  {
    const c = new Collector("staff");
    const seen = new Map<string, number>();
    for (const r of wb.staff) {
      const p = person(c, r);
      const { roles, bad } = parseRoles(r.roles);
      for (const value of bad) c.add(r.row, "roles", "BAD_ROLE", { value });
      if (!r.roles) c.add(r.row, "roles", "REQUIRED");
      if (r.id && !seen.has(r.id) && p) staffIds.set(r.id, { roles, data: p });
      if (r.id && c.duplicate(seen, r.id, r, "id", r.id)) continue;
      if (p && bad.length === 0 && roles.length > 0) out.staff.push({ ...p, roles });
    }
    errors.push(...c.errors);
  }

  // classes
  const classNames = new Set<string>();
  {
    const c = new Collector("classes");
    const seen = new Map<string, number>();
    for (const r of wb.classes) {
      const parsed = r.name ? parseClassName(r.name) : null;
      if (!r.name) c.add(r.row, "name", "REQUIRED");
      else if (!parsed) c.add(r.row, "name", "BAD_CLASS_NAME", { value: r.name });
      const grade = c.int(r, "grade", r.grade, 1, 11);
      if (parsed && grade !== null && parsed.grade !== grade) {
        c.add(r.row, "grade", "GRADE_MISMATCH", { value: r.grade, name: parsed.name });
      }
      const teacher = r.class_teacher || null;
      if (teacher && !staffIds.has(teacher)) c.add(r.row, "class_teacher", "UNKNOWN_STAFF", { value: teacher });
      if (!parsed) continue;
      classNames.add(parsed.name);
      if (c.duplicate(seen, parsed.name, r, "name", r.name)) continue;
      if (grade !== null) out.classes.push({ name: parsed.name, grade, letter: parsed.letter, classTeacher: teacher });
    }
    errors.push(...c.errors);
  }

  // students
  const studentIds = new Set<string>();
  const studentRows = new Map<string, number>();
  {
    const c = new Collector("students");
    for (const r of wb.students) {
      const p = person(c, r);
      const className = r.class ? classKey(r.class) : null;
      if (!r.class) c.add(r.row, "class", "REQUIRED");
      else if (!classNames.has(className!)) c.add(r.row, "class", "UNKNOWN_CLASS", { value: r.class });
      let subgroups = r.subgroups ? parseSubgroups(r.subgroups) : [];
      if (subgroups === null) c.add(r.row, "subgroups", "BAD_SUBGROUPS", { value: r.subgroups });
      else {
        const subjects = new Set<string>();
        for (const s of subgroups) {
          if (!subjectNames.has(s.subject)) c.add(r.row, "subgroups", "UNKNOWN_SUBJECT", { value: s.subject });
          if (subjects.has(s.subject)) {
            c.add(r.row, "subgroups", "BAD_SUBGROUPS", { value: r.subgroups });
            subgroups = null;
            break;
          }
          subjects.add(s.subject);
        }
      }
      if (r.id) {
        const first = studentRows.get(r.id);
        if (first !== undefined) {
          c.add(r.row, "id", "DUPLICATE", { value: r.id, firstRow: first });
          continue;
        }
        studentRows.set(r.id, r.row);
        studentIds.add(r.id);
        if (staffIds.has(r.id)) {
          c.add(r.row, "id", "DUPLICATE_ID", { value: r.id, sheet: "staff" });
          continue;
        }
      }
      if (p && className && subgroups) out.students.push({ ...p, className, subgroups });
    }
    errors.push(...c.errors);
  }

  // guardians
  {
    const c = new Collector("guardians");
    const seen = new Map<string, number>();
    for (const r of wb.guardians) {
      const p = person(c, r);
      const relation = c.text(r, "relation", r.relation, MAX.relation, false);
      const students = parseIdList(r.students);
      if (students.length === 0) c.add(r.row, "students", "REQUIRED");
      for (const s of students) {
        if (!studentIds.has(s)) c.add(r.row, "students", "UNKNOWN_STUDENT", { value: s });
      }
      if (r.id && c.duplicate(seen, r.id, r, "id", r.id)) continue;
      if (r.id && studentIds.has(r.id)) {
        c.add(r.row, "id", "DUPLICATE_ID", { value: r.id, sheet: "students" });
        continue;
      }
      // A guardian may also be a member of staff: the same id is the same person, so the names must agree.
      const staff = r.id ? staffIds.get(r.id) : undefined;
      if (staff && p && (staff.data.lastName !== p.lastName || staff.data.firstName !== p.firstName)) {
        c.add(r.row, "id", "ID_NAME_MISMATCH", { value: r.id, sheet: "staff" });
        continue;
      }
      if (p && students.length && (!r.relation || relation !== null)) out.guardians.push({ ...p, students, relation });
    }
    errors.push(...c.errors);
  }

  // assignments
  const assignmentKeys = new Set<string>();
  {
    const c = new Collector("assignments");
    const seen = new Map<string, number>();
    for (const r of wb.assignments) {
      const refs = checkRefs(c, r, r.teacher, r.subject, r.class, staffIds, subjectNames, classNames);
      const staff = staffIds.get(r.teacher);
      if (staff && !staff.roles.includes("TEACHER")) c.add(r.row, "teacher", "NOT_A_TEACHER", { value: r.teacher });
      const subgroup = r.subgroup ? c.int(r, "subgroup", r.subgroup, 1, 9) : null;
      let hours: number | null = null;
      if (!r.hours_per_week) c.add(r.row, "hours_per_week", "REQUIRED");
      else {
        hours = parseDecimal(r.hours_per_week);
        if (hours === null) c.add(r.row, "hours_per_week", "BAD_NUMBER", { value: r.hours_per_week });
        else if (hours <= 0 || hours > 40 || Math.round(hours * 10) !== hours * 10) {
          c.add(r.row, "hours_per_week", "OUT_OF_RANGE", { value: r.hours_per_week, min: 0.5, max: 40 });
          hours = null;
        }
      }
      if (!refs || (r.subgroup && subgroup === null)) continue;
      const key = `${r.teacher}|${r.subject}|${refs.className}|${subgroup ?? ""}`;
      assignmentKeys.add(key);
      if (c.duplicate(seen, key, r, "teacher", r.teacher)) continue;
      if (hours !== null) {
        out.assignments.push({ teacher: r.teacher, subject: r.subject, className: refs.className, subgroup, hours });
      }
    }
    errors.push(...c.errors);
  }

  // timetable
  {
    const c = new Collector("timetable");
    const seen = new Map<string, number>();
    const teacherAt = new Map<string, { key: string; row: number }>();
    const classAt = new Map<string, { whole: boolean; row: number }[]>();
    for (const r of wb.timetable) {
      const refs = checkRefs(c, r, r.teacher, r.subject, r.class, staffIds, subjectNames, classNames);
      const subgroup = r.subgroup ? c.int(r, "subgroup", r.subgroup, 1, 9) : null;
      const weekday = r.weekday ? parseWeekday(r.weekday) : null;
      if (!r.weekday) c.add(r.row, "weekday", "REQUIRED");
      else if (weekday === null) c.add(r.row, "weekday", "BAD_WEEKDAY", { value: r.weekday });
      const slot = c.int(r, "lesson", r.lesson, 0, 15);
      if (slot !== null && !bellNumbers.has(slot)) c.add(r.row, "lesson", "UNKNOWN_BELL", { value: r.lesson });
      const room = c.text(r, "room", r.room, MAX.room, false);
      if (!refs || weekday === null || slot === null || (r.subgroup && subgroup === null)) continue;
      const assignment = `${r.teacher}|${r.subject}|${refs.className}|${subgroup ?? ""}`;
      if (!assignmentKeys.has(assignment)) {
        c.add(r.row, "subject", "NO_ASSIGNMENT", {
          subject: r.subject,
          teacher: r.teacher,
          class: refs.className,
          subgroup: subgroup ?? "—",
        });
        continue;
      }
      if (c.duplicate(seen, `${assignment}|${weekday}|${slot}`, r, "lesson", r.lesson)) continue;
      const busy = teacherAt.get(`${r.teacher}|${weekday}|${slot}`);
      if (busy && busy.key !== assignment) {
        c.add(r.row, "teacher", "TEACHER_BUSY", { value: r.teacher, otherRow: busy.row });
        continue;
      }
      teacherAt.set(`${r.teacher}|${weekday}|${slot}`, { key: assignment, row: r.row });
      const classSlot = `${refs.className}|${weekday}|${slot}`;
      const others = classAt.get(classSlot) ?? [];
      const clash = others.find((o) => o.whole || subgroup === null);
      if (clash) {
        c.add(r.row, "lesson", "CLASS_BUSY", { value: r.lesson, otherRow: clash.row });
        continue;
      }
      others.push({ whole: subgroup === null, row: r.row });
      classAt.set(classSlot, others);
      if (r.room && room === null) continue;
      out.timetable.push({
        className: refs.className,
        subgroup,
        weekday,
        slot,
        subject: r.subject,
        teacher: r.teacher,
        room,
      });
    }
    errors.push(...c.errors);
  }

  return { errors, data: errors.length ? null : out };
}

function checkRefs(
  c: Collector,
  r: { row: number },
  teacher: string,
  subject: string,
  className: string,
  staff: Map<string, unknown>,
  subjects: Set<string>,
  classes: Set<string>,
): { className: string } | null {
  let ok = true;
  const cls = className ? classKey(className) : "";
  if (!teacher) c.add(r.row, "teacher", "REQUIRED");
  else if (!staff.has(teacher)) c.add(r.row, "teacher", "UNKNOWN_STAFF", { value: teacher });
  if (!subject) c.add(r.row, "subject", "REQUIRED");
  else if (!subjects.has(subject)) c.add(r.row, "subject", "UNKNOWN_SUBJECT", { value: subject });
  if (!className) c.add(r.row, "class", "REQUIRED");
  else if (!classes.has(cls)) c.add(r.row, "class", "UNKNOWN_CLASS", { value: className });
  if (!teacher || !staff.has(teacher) || !subjects.has(subject) || !classes.has(cls)) ok = false;
  return ok ? { className: cls } : null;
}

/** Every error of the workbook; an empty list means it can be imported. */
export function validateWorkbook(wb: SchoolWorkbook): ImportError[] {
  return parseWorkbook(wb).errors;
}
