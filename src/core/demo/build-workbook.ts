// Generates the demo school as an import workbook (seed data): the current academic year around `today` with
// quarters (one running today), 7 bells, the subjects, teachers with Russian names, classes of 25–30 students
// with 1–2 guardians each, assignments with subgroups, and a full Monday–Friday timetable. Deterministic.
import { addDays, type IsoDate } from "../dates.ts";
import { numberRows, type SchoolWorkbook } from "../import/sheets.ts";
import { BELLS, SUBJECTS, type SubjectDef } from "./curriculum.ts";
import {
  between,
  createRng,
  FEMALE_NAMES,
  type FullName,
  femaleSurname,
  MALE_NAMES,
  patronymic,
  pick,
  RELATION,
  randomAdult,
  randomSurname,
} from "./names.ts";

export interface DemoOptions {
  /** Number of classes (grades 1..11 cycled, letters А, Б, В...); default the four classes 2А, 5А, 7Б, 9В. */
  classes?: number;
  /** The classes by name ("3А"), instead of a count. */
  classNames?: string[];
  /** Students per class, inclusive; default 25–30. */
  classSize?: [number, number];
  /** Teaching profiles of the subject teachers hired up front; more are hired when one is overloaded. */
  staffProfiles?: string[];
  /** Split classes into subgroups where the curriculum says so; default true (small classes are not split). */
  subgroups?: boolean;
  seed?: number;
}

export const DEFAULT_CLASSES = ["2А", "5А", "7Б", "9В"];
const LETTERS = "АБВГДЕЖИКЛ";
const MAX_LOAD = 26;
const STAFF_PROFILES = ["ru", "en", "en", "inf", "bio", "phys", "chem", "art", "pe"];

interface Teacher {
  id: string;
  name: FullName;
  roles: string[];
  profile: string;
  load: number;
  room: string;
}

interface Unit {
  subject: SubjectDef;
  teachers: Teacher[]; // one, or one per subgroup
  hours: number;
}

export function demoQuarters(today: IsoDate): { year: string; quarters: [IsoDate, IsoDate][] } {
  const y = Number(today.slice(0, 4));
  const start = Number(today.slice(5, 7)) >= 8 ? y : y - 1;
  const quarters: [IsoDate, IsoDate][] = [
    [`${start}-09-01`, `${start}-10-25`],
    [`${start}-11-05`, `${start}-12-28`],
    [`${start + 1}-01-12`, `${start + 1}-03-21`],
    [`${start + 1}-03-30`, `${start + 1}-05-26`],
  ];
  // One quarter always runs today: stretch the nearest one over the holidays or the summer.
  if (!quarters.some(([a, b]) => a <= today && today <= b)) {
    if (today < quarters[0][0]) quarters[0][0] = addDays(today, -21);
    else if (today > quarters[3][1]) quarters[3][1] = addDays(today, 21);
    else {
      const prev = [...quarters].reverse().find(([, b]) => b < today)!;
      prev[1] = today;
    }
  }
  return { year: `${start}/${start + 1}`, quarters };
}

function classNames(count?: number): string[] {
  if (count === undefined) return DEFAULT_CLASSES;
  return Array.from({ length: count }, (_, i) => `${(i % 11) + 1}${LETTERS[Math.floor(i / 11) % LETTERS.length]}`);
}

export function buildDemoWorkbook(today: IsoDate, opts: DemoOptions = {}): SchoolWorkbook {
  const rng = createRng(opts.seed ?? 20260901);
  const { year, quarters } = demoQuarters(today);
  const classes = (opts.classNames ?? classNames(opts.classes)).map((name) => ({
    name,
    grade: Number(/^\d+/.exec(name)![0]),
  }));

  // --- staff ---
  const teachers: Teacher[] = [];
  let roomNo = 100;
  const newTeacher = (profile: string, roles: string[] = ["teacher"], female = rng() < 0.8): Teacher => {
    roomNo += roomNo % 100 >= 20 ? 81 : 1;
    const t: Teacher = {
      id: `T${String(teachers.length + 1).padStart(3, "0")}`,
      name: randomAdult(rng, female),
      roles,
      profile,
      load: 0,
      room: profile === "pe" ? "спортзал" : String(roomNo),
    };
    teachers.push(t);
    return t;
  };
  newTeacher("hist", ["director", "teacher"], false);
  newTeacher("math", ["deputy", "admin", "teacher"], true);
  for (const profile of opts.staffProfiles ?? STAFF_PROFILES) newTeacher(profile);
  newTeacher("none", ["psychologist"], true);

  const pickTeacher = (profile: string, hours: number, exclude: Teacher[] = []): Teacher => {
    const free = teachers
      .filter((t) => t.profile === profile && !exclude.includes(t) && t.load + hours <= MAX_LOAD)
      .sort((a, b) => a.load - b.load)[0];
    const t = free ?? newTeacher(profile);
    t.load += hours;
    return t;
  };

  // --- classes, units ---
  const classUnits = new Map<string, Unit[]>();
  const classTeacher = new Map<string, Teacher>();
  for (const cls of classes) {
    const units: Unit[] = [];
    const primary = cls.grade <= 4 ? newTeacher("primary") : undefined;
    if (primary) classTeacher.set(cls.name, primary);
    for (const subject of SUBJECTS) {
      const hours = subject.hours[cls.grade] ?? 0;
      if (!hours) continue;
      const core = primary && ["ru", "math", "primary"].includes(subject.profile);
      if (core) {
        primary.load += hours;
        units.push({ subject, teachers: [primary], hours });
      } else if (
        opts.subgroups !== false &&
        subject.subgroupsFrom !== undefined &&
        cls.grade >= subject.subgroupsFrom
      ) {
        const t1 = pickTeacher(subject.profile, hours);
        const t2 = pickTeacher(subject.profile, hours, [t1]);
        units.push({ subject, teachers: [t1, t2], hours });
      } else {
        units.push({ subject, teachers: [pickTeacher(subject.profile, hours)], hours });
      }
    }
    classUnits.set(cls.name, units);
  }
  const leading = new Set([...classTeacher.values()]);
  for (const cls of classes) {
    if (classTeacher.has(cls.name)) continue;
    const candidates = classUnits.get(cls.name)!.flatMap((u) => u.teachers);
    const t = candidates.find((c) => !leading.has(c) && !c.roles.includes("director")) ?? candidates[0];
    classTeacher.set(cls.name, t);
    leading.add(t);
  }

  // --- timetable: greedy, Monday to Friday, no teacher in two places, subjects spread over the week ---
  const busy = new Set<string>();
  const timetable: Array<Record<string, string | number>> = [];
  for (const cls of classes) {
    const maxSlots = cls.grade <= 4 ? 5 : 7;
    const taken = new Set<string>();
    const perDay = [0, 0, 0, 0, 0, 0];
    const units = [...classUnits.get(cls.name)!].sort((a, b) => b.hours - a.hours);
    for (const unit of units) {
      const subjectDays = [0, 0, 0, 0, 0, 0];
      for (let k = 0; k < unit.hours; k++) {
        const days = [1, 2, 3, 4, 5].sort((a, b) => subjectDays[a] - subjectDays[b] || perDay[a] - perDay[b] || a - b);
        let placed = false;
        for (const day of days) {
          for (let slot = 1; slot <= maxSlots && !placed; slot++) {
            if (taken.has(`${day}|${slot}`)) continue;
            if (unit.teachers.some((t) => busy.has(`${t.id}|${day}|${slot}`))) continue;
            taken.add(`${day}|${slot}`);
            perDay[day]++;
            subjectDays[day]++;
            unit.teachers.forEach((t, i) => {
              busy.add(`${t.id}|${day}|${slot}`);
              timetable.push({
                class: cls.name,
                subgroup: unit.teachers.length > 1 ? i + 1 : "",
                weekday: day,
                lesson: slot,
                subject: unit.subject.name,
                teacher: t.id,
                room: t.room,
              });
            });
            placed = true;
          }
          if (placed) break;
        }
      }
    }
  }
  timetable.sort(
    (a, b) =>
      String(a.class).localeCompare(String(b.class)) ||
      Number(a.weekday) - Number(b.weekday) ||
      Number(a.lesson) - Number(b.lesson) ||
      String(a.subgroup).localeCompare(String(b.subgroup)),
  );

  // --- students and guardians ---
  const students: Array<Record<string, string>> = [];
  const guardians: Array<Record<string, string>> = [];
  for (const cls of classes) {
    const roster: { name: FullName; female: boolean; family: string; father: string }[] = [];
    const [minSize, maxSize] = opts.classSize ?? [25, 30];
    const size = between(rng, minSize, maxSize);
    for (let i = 0; i < size; i++) {
      const female = rng() < 0.5;
      const family = randomSurname(rng);
      const father = pick(rng, MALE_NAMES);
      roster.push({
        female,
        family,
        father,
        name: {
          lastName: female ? femaleSurname(family) : family,
          firstName: pick(rng, female ? FEMALE_NAMES : MALE_NAMES),
          middleName: patronymic(father, female),
        },
      });
    }
    roster.sort((a, b) =>
      `${a.name.lastName} ${a.name.firstName}`.localeCompare(`${b.name.lastName} ${b.name.firstName}`, "ru"),
    );
    const split = classUnits.get(cls.name)!.filter((u) => u.teachers.length > 1);
    roster.forEach((s, i) => {
      const id = `S${String(students.length + 1).padStart(4, "0")}`;
      const subgroups = split.map((u, k) => {
        const n = k % 2 === 0 ? (i % 2) + 1 : i < roster.length / 2 ? 1 : 2;
        return `${u.subject.name}:${n}`;
      });
      students.push({
        id,
        last_name: s.name.lastName,
        first_name: s.name.firstName,
        middle_name: s.name.middleName,
        class: cls.name,
        subgroups: subgroups.join("; "),
      });
      const roll = rng();
      const kinds: (keyof typeof RELATION)[] =
        roll < 0.45 ? ["mother", "father"] : roll < 0.8 ? ["mother"] : roll < 0.9 ? ["father"] : ["grandmother"];
      for (const kind of kinds) {
        const female = kind !== "father";
        const g = randomAdult(rng, female, s.family);
        if (kind === "father") {
          g.firstName = s.father;
        }
        guardians.push({
          id: `G${String(guardians.length + 1).padStart(4, "0")}`,
          last_name: g.lastName,
          first_name: g.firstName,
          middle_name: g.middleName,
          students: id,
          relation: RELATION[kind],
        });
      }
    });
  }

  return {
    periods: numberRows(
      "periods",
      quarters.map(([starts, ends], i) => ({ year, kind: "quarter", number: i + 1, starts, ends })),
    ),
    bells: numberRows(
      "bells",
      BELLS.map(([starts, ends], i) => ({ number: i + 1, starts, ends })),
    ),
    subjects: numberRows(
      "subjects",
      SUBJECTS.map((s) => ({ name: s.name, short: s.short })),
    ),
    staff: numberRows("staff", [
      ...teachers.map((t) => ({
        id: t.id,
        last_name: t.name.lastName,
        first_name: t.name.firstName,
        middle_name: t.name.middleName,
        roles: t.roles.join(", "),
      })),
    ]),
    classes: numberRows(
      "classes",
      classes.map((c) => ({ name: c.name, grade: c.grade, class_teacher: classTeacher.get(c.name)!.id })),
    ),
    students: numberRows("students", students),
    guardians: numberRows("guardians", guardians),
    assignments: numberRows(
      "assignments",
      classes.flatMap((c) =>
        classUnits.get(c.name)!.flatMap((u) =>
          u.teachers.map((t, i) => ({
            teacher: t.id,
            subject: u.subject.name,
            class: c.name,
            subgroup: u.teachers.length > 1 ? i + 1 : "",
            hours_per_week: u.hours,
          })),
        ),
      ),
    ),
    timetable: numberRows("timetable", timetable),
  };
}
