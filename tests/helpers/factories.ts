// A small, complete school for tests: one year with quarters, two classes with students and guardians,
// teachers with assignments (one subgroup split), bells, a timetable and lessons for a few days.
import type { Actor, StaffRole } from "../../src/core/actor.ts";
import { addDays, fromIsoDate, type IsoDate, isoWeekday, weekStart } from "../../src/core/dates.ts";
import { materializeLessons } from "../../src/core/lessons/materialize.ts";
import type { Db } from "../../src/db/database.ts";

export interface TestSchool {
  schoolId: number;
  yearId: number;
  periodId: number;
  /** Monday of the fixture's week; lessons exist Mon..Fri of this week and the previous one. */
  monday: IsoDate;
  people: {
    director: number;
    deputy: number;
    mathTeacher: number; // teaches Алгебра in 7Б and 8А, class teacher of 7Б
    russianTeacher: number; // teaches Русский язык in 7Б and 8А, class teacher of 8А
    englishTeacher1: number; // Английский язык 7Б subgroup 1
    englishTeacher2: number; // Английский язык 7Б subgroup 2
    otherTeacher: number; // teaches nothing in these classes
    psychologist: number;
  };
  classes: { c7b: number; c8a: number; c2a: number };
  subjects: { algebra: number; russian: number; english: number; reading: number };
  assignments: {
    algebra7b: number;
    algebra8a: number;
    russian7b: number;
    russian8a: number;
    eng7b1: number;
    eng7b2: number;
    reading2a: number;
  };
  /** Student ids per class in journal order. */
  students: { c7b: number[]; c8a: number[]; c2a: number[] };
  /** studentId → guardian person ids (first guardian has consent given). */
  guardians: Map<number, number[]>;
  studentPerson: Map<number, number>;
  actor(personId: number): Promise<Actor>;
}

const SURNAMES = [
  "Алексеев",
  "Белова",
  "Васильев",
  "Григорьева",
  "Дмитриев",
  "Егорова",
  "Жуков",
  "Зайцева",
  "Иванов",
  "Киселёва",
  "Лебедев",
  "Морозова",
];
const NAMES = ["Артём", "Анна", "Борис", "Вера", "Глеб", "Дарья", "Егор", "Ева", "Иван", "Ксения", "Лев", "Мария"];

export async function buildSchool(
  prisma: Db,
  opts: { today?: IsoDate; studentsPerClass?: number } = {},
): Promise<TestSchool> {
  const today = opts.today ?? new Date().toISOString().slice(0, 10);
  const monday = weekStart(today);
  const n = opts.studentsPerClass ?? 6;
  const school = await prisma.school.create({ data: { name: "Тестовая школа", timezone: "Europe/Moscow" } });
  const schoolId = school.id;
  const year = await prisma.academicYear.create({
    data: {
      schoolId,
      name: "test",
      startsOn: fromIsoDate(addDays(monday, -60)),
      endsOn: fromIsoDate(addDays(monday, 240)),
    },
  });
  const period = await prisma.period.create({
    data: {
      schoolId,
      yearId: year.id,
      kind: "QUARTER",
      number: 2,
      startsOn: fromIsoDate(addDays(monday, -30)),
      endsOn: fromIsoDate(addDays(monday, 30)),
    },
  });
  await prisma.period.create({
    data: {
      schoolId,
      yearId: year.id,
      kind: "QUARTER",
      number: 1,
      startsOn: fromIsoDate(addDays(monday, -60)),
      endsOn: fromIsoDate(addDays(monday, -31)),
    },
  });

  const person = async (lastName: string, firstName: string, roles: StaffRole[] = []) => {
    const p = await prisma.person.create({ data: { schoolId, lastName, firstName, middleName: "Тестович" } });
    for (const role of roles) await prisma.staffRole.create({ data: { schoolId, personId: p.id, role } });
    return p.id;
  };
  const people = {
    director: await person("Директорова", "Ольга", ["DIRECTOR"]),
    deputy: await person("Завучева", "Нина", ["DEPUTY", "ADMIN"]),
    mathTeacher: await person("Математиков", "Пётр", ["TEACHER"]),
    russianTeacher: await person("Русакова", "Елена", ["TEACHER"]),
    englishTeacher1: await person("Инглишева", "Анна", ["TEACHER"]),
    englishTeacher2: await person("Британов", "Олег", ["TEACHER"]),
    otherTeacher: await person("Посторонний", "Игорь", ["TEACHER"]),
    psychologist: await person("Психологова", "Юлия", ["PSYCHOLOGIST"]),
  };

  const mkClass = (name: string, grade: number, classTeacherId: number) =>
    prisma.classGroup.create({
      data: { schoolId, yearId: year.id, name, grade, letter: name.slice(-1), classTeacherId },
    });
  const c7b = (await mkClass("7Б", 7, people.mathTeacher)).id;
  const c8a = (await mkClass("8А", 8, people.russianTeacher)).id;
  const c2a = (await mkClass("2А", 2, people.russianTeacher)).id;

  const subj = (name: string, short: string) => prisma.subject.create({ data: { schoolId, name, short } });
  const subjects = {
    algebra: (await subj("Алгебра", "Алг")).id,
    russian: (await subj("Русский язык", "Рус")).id,
    english: (await subj("Английский язык", "Англ")).id,
    reading: (await subj("Литературное чтение", "Лит")).id,
  };
  const sg1 = await prisma.subgroup.create({
    data: { schoolId, classId: c7b, subjectId: subjects.english, number: 1 },
  });
  const sg2 = await prisma.subgroup.create({
    data: { schoolId, classId: c7b, subjectId: subjects.english, number: 2 },
  });

  const from = fromIsoDate(addDays(monday, -60));
  const guardians = new Map<number, number[]>();
  const studentPerson = new Map<number, number>();
  const students = { c7b: [] as number[], c8a: [] as number[], c2a: [] as number[] };
  let k = 0;
  for (const [key, classId] of [
    ["c7b", c7b],
    ["c8a", c8a],
    ["c2a", c2a],
  ] as const) {
    for (let i = 0; i < n; i++, k++) {
      const sp = await person(
        `${SURNAMES[k % SURNAMES.length]}${k >= SURNAMES.length ? k : ""}`,
        NAMES[k % NAMES.length],
      );
      const st = await prisma.student.create({ data: { schoolId, personId: sp } });
      studentPerson.set(st.id, sp);
      await prisma.enrollment.create({ data: { schoolId, studentId: st.id, classId, fromDate: from } });
      if (classId === c7b) {
        await prisma.subgroupMember.create({
          data: { schoolId, subgroupId: i % 2 === 0 ? sg1.id : sg2.id, studentId: st.id, fromDate: from },
        });
      }
      const g1 = await person(`Родитель${k}`, "Мария");
      const g2 = await person(`Родитель${k}`, "Сергей");
      await prisma.guardianship.create({
        data: { schoolId, guardianId: g1, studentId: st.id, relation: "мать", consentGivenAt: new Date() },
      });
      await prisma.guardianship.create({ data: { schoolId, guardianId: g2, studentId: st.id, relation: "отец" } });
      guardians.set(st.id, [g1, g2]);
      students[key].push(st.id);
    }
  }
  // journal order is by surname; the generated surnames are already alphabetical per class

  const assign = (teacherId: number, subjectId: number, classId: number, subgroupId: number | null = null, hours = 3) =>
    prisma.teachingAssignment.create({
      data: { schoolId, yearId: year.id, teacherId, subjectId, classId, subgroupId, hoursPerWeek: hours },
    });
  const assignments = {
    algebra7b: (await assign(people.mathTeacher, subjects.algebra, c7b)).id,
    algebra8a: (await assign(people.mathTeacher, subjects.algebra, c8a)).id,
    russian7b: (await assign(people.russianTeacher, subjects.russian, c7b)).id,
    russian8a: (await assign(people.russianTeacher, subjects.russian, c8a)).id,
    eng7b1: (await assign(people.englishTeacher1, subjects.english, c7b, sg1.id, 2)).id,
    eng7b2: (await assign(people.englishTeacher2, subjects.english, c7b, sg2.id, 2)).id,
    reading2a: (await assign(people.russianTeacher, subjects.reading, c2a)).id,
  };
  const bells = ["08:30", "09:25", "10:20", "11:25", "12:20", "13:15"];
  for (const [i, start] of bells.entries()) {
    const [h, m] = start.split(":").map(Number);
    const end = `${String(h + Math.floor((m + 45) / 60)).padStart(2, "0")}:${String((m + 45) % 60).padStart(2, "0")}`;
    await prisma.bellSlot.create({ data: { schoolId, number: i + 1, startsAt: start, endsAt: end } });
  }
  // Every weekday: 7Б algebra 1st, russian 2nd, english (both subgroups) 3rd; 8А russian 1st, algebra 2nd; 2А reading 3rd.
  const tt: [number, number][] = [
    [assignments.algebra7b, 1],
    [assignments.russian7b, 2],
    [assignments.eng7b1, 3],
    [assignments.eng7b2, 3],
    [assignments.russian8a, 1],
    [assignments.algebra8a, 2],
    [assignments.reading2a, 3],
  ];
  for (let weekday = 1; weekday <= 5; weekday++) {
    for (const [assignmentId, slot] of tt) {
      await prisma.timetableEntry.create({
        data: { schoolId, assignmentId, weekday, slot, validFrom: from, room: "101" },
      });
    }
  }
  await materializeLessons(prisma, schoolId, addDays(monday, -7), addDays(monday, 11));

  const actor = async (personId: number): Promise<Actor> => {
    const roles = await prisma.staffRole.findMany({ where: { personId }, select: { role: true } });
    return { personId, schoolId, roles: roles.map((r) => r.role) };
  };
  return {
    schoolId,
    yearId: year.id,
    periodId: period.id,
    monday,
    people,
    classes: { c7b, c8a, c2a },
    subjects,
    assignments,
    students,
    guardians,
    studentPerson,
    actor,
  };
}

/** The lesson of an assignment on a date (the fixture has one a day). */
export async function lessonOf(prisma: Db, assignmentId: number, date: IsoDate): Promise<number> {
  const l = await prisma.lesson.findFirstOrThrow({ where: { assignmentId, date: fromIsoDate(date) } });
  return l.id;
}

export { isoWeekday };
