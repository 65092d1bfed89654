// A small hand-made school for the report tests: two classes, three subjects, English in two subgroups,
// one student who left before the period end and one who came after it, plus a second school that must
// never show up.
import type { Actor } from "../../../src/core/actor.ts";
import { fromIsoDate } from "../../../src/core/dates.ts";
import type { Db } from "../../../src/core/tx.ts";

const d = fromIsoDate;

export async function seedReportSchool(db: Db) {
  const school = await db.school.create({ data: { name: "Школа №7" } });
  const schoolId = school.id;
  const year = await db.academicYear.create({
    data: { schoolId, name: "2025/2026", startsOn: d("2025-09-01"), endsOn: d("2026-05-31") },
  });
  const q1 = await db.period.create({
    data: { schoolId, yearId: year.id, kind: "QUARTER", number: 1, startsOn: d("2025-09-01"), endsOn: d("2025-10-26") },
  });
  const q2 = await db.period.create({
    data: { schoolId, yearId: year.id, kind: "QUARTER", number: 2, startsOn: d("2025-11-05"), endsOn: d("2025-12-28") },
  });
  const person = (lastName: string, firstName: string, middleName?: string) =>
    db.person.create({ data: { schoolId, lastName, firstName, middleName } });
  const director = await person("Директорова", "Анна", "Петровна");
  await db.staffRole.create({ data: { schoolId, personId: director.id, role: "DEPUTY" } });
  const t1 = await person("Иванова", "Мария", "Ивановна"); // mathematics
  const t2 = await person("Петров", "Олег", "Сергеевич"); // Russian
  const t3 = await person("Смит", "Джон"); // English, group 1
  const t4 = await person("Сидорова", "Елена", "Андреевна"); // English, group 2
  for (const t of [t1, t2, t3, t4]) await db.staffRole.create({ data: { schoolId, personId: t.id, role: "TEACHER" } });

  const c5 = await db.classGroup.create({
    data: { schoolId, yearId: year.id, name: "5А", grade: 5, letter: "А", classTeacherId: t2.id },
  });
  const c6 = await db.classGroup.create({ data: { schoolId, yearId: year.id, name: "6Б", grade: 6, letter: "Б" } });
  const math = await db.subject.create({ data: { schoolId, name: "Математика", short: "мат" } });
  const rus = await db.subject.create({ data: { schoolId, name: "Русский язык", short: "рус" } });
  const eng = await db.subject.create({ data: { schoolId, name: "Английский язык", short: "англ" } });
  const g1 = await db.subgroup.create({ data: { schoolId, classId: c5.id, subjectId: eng.id, number: 1 } });
  const g2 = await db.subgroup.create({ data: { schoolId, classId: c5.id, subjectId: eng.id, number: 2 } });

  const student = async (lastName: string, classId: number, fromDate: string, toDate?: string) => {
    const p = await person(lastName, "Ученик");
    const s = await db.student.create({ data: { schoolId, personId: p.id } });
    await db.enrollment.create({
      data: { schoolId, studentId: s.id, classId, fromDate: d(fromDate), toDate: toDate ? d(toDate) : null },
    });
    return s.id;
  };
  const s1 = await student("Алексеев", c5.id, "2025-09-01");
  const s2 = await student("Борисов", c5.id, "2025-09-01");
  const s3 = await student("Васильев", c5.id, "2025-09-01");
  const s4 = await student("Григорьев", c5.id, "2025-09-01", "2025-10-01"); // left before the end of Q1
  const s5 = await student("Дмитриев", c5.id, "2025-10-27"); // came after Q1
  const s6 = await student("Егоров", c6.id, "2025-09-01");
  const s7 = await student("Жуков", c6.id, "2025-09-01");
  for (const [subgroupId, studentId] of [
    [g1.id, s1],
    [g1.id, s2],
    [g2.id, s3],
  ]) {
    await db.subgroupMember.create({ data: { schoolId, subgroupId, studentId, fromDate: d("2025-09-01") } });
  }

  const assign = (teacherId: number, classId: number, subjectId: number, subgroupId: number | null = null) =>
    db.teachingAssignment.create({ data: { schoolId, yearId: year.id, teacherId, classId, subjectId, subgroupId } });
  const a5math = await assign(t1.id, c5.id, math.id);
  const a5rus = await assign(t2.id, c5.id, rus.id);
  const a5eng1 = await assign(t3.id, c5.id, eng.id, g1.id);
  await assign(t4.id, c5.id, eng.id, g2.id);
  const a6math = await assign(t1.id, c6.id, math.id);

  return {
    schoolId,
    q1: q1.id,
    q2: q2.id,
    people: { director: director.id, t1: t1.id, t2: t2.id, t3: t3.id, t4: t4.id },
    classes: { c5: c5.id, c6: c6.id },
    subjects: { math: math.id, rus: rus.id, eng: eng.id },
    students: { s1, s2, s3, s4, s5, s6, s7 },
    assignments: { a5math: a5math.id, a5rus: a5rus.id, a5eng1: a5eng1.id, a6math: a6math.id },
    deputy: { personId: director.id, schoolId, roles: ["DEPUTY"] } satisfies Actor,
    teacher: { personId: t1.id, schoolId, roles: ["TEACHER"] } satisfies Actor,
  };
}

export type ReportSchool = Awaited<ReturnType<typeof seedReportSchool>>;

/** A second school with a class, a lesson in October 2025 and a term mark: never in the first school's reports. */
export async function seedOtherSchool(db: Db) {
  const school = await db.school.create({ data: { name: "Другая школа" } });
  const schoolId = school.id;
  const year = await db.academicYear.create({
    data: { schoolId, name: "2025/2026", startsOn: d("2025-09-01"), endsOn: d("2026-05-31") },
  });
  const period = await db.period.create({
    data: { schoolId, yearId: year.id, kind: "QUARTER", number: 1, startsOn: d("2025-09-01"), endsOn: d("2025-10-26") },
  });
  const t = await db.person.create({ data: { schoolId, lastName: "Чужой", firstName: "Учитель" } });
  const p = await db.person.create({ data: { schoolId, lastName: "Чужой", firstName: "Ученик" } });
  const s = await db.student.create({ data: { schoolId, personId: p.id } });
  const c = await db.classGroup.create({ data: { schoolId, yearId: year.id, name: "5А", grade: 5, letter: "А" } });
  await db.enrollment.create({ data: { schoolId, studentId: s.id, classId: c.id, fromDate: d("2025-09-01") } });
  const subj = await db.subject.create({ data: { schoolId, name: "Математика", short: "мат" } });
  const a = await db.teachingAssignment.create({
    data: { schoolId, yearId: year.id, teacherId: t.id, classId: c.id, subjectId: subj.id },
  });
  await db.lesson.create({ data: { schoolId, assignmentId: a.id, date: d("2025-10-07"), slot: 1 } });
  await db.termGrade.create({
    data: { schoolId, studentId: s.id, subjectId: subj.id, periodId: period.id, value: "2", authorId: t.id },
  });
  return { schoolId, periodId: period.id };
}
