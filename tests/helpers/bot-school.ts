// A tiny school for bot and sandbox tests: a director, a teacher who leads 7Б, a student of 7Б and her mother.
import type { Db } from "../../src/core/tx.ts";

export interface BotSchool {
  schoolId: number;
  classId: number;
  directorId: number;
  teacherId: number;
  otherTeacherId: number;
  studentId: number; // Person id of the student
  guardianId: number;
}

export async function seedBotSchool(prisma: Db): Promise<BotSchool> {
  const school = await prisma.school.create({ data: { name: "Школа № 1", timezone: "Europe/Moscow" } });
  const schoolId = school.id;
  const year = await prisma.academicYear.create({
    data: { schoolId, name: "2025/2026", startsOn: new Date("2025-09-01"), endsOn: new Date("2026-08-31") },
  });
  const person = (lastName: string, firstName: string, middleName: string) =>
    prisma.person.create({ data: { schoolId, lastName, firstName, middleName } });
  const director = await person("Соколова", "Елена", "Викторовна");
  const teacher = await person("Иванова", "Мария", "Петровна");
  const other = await person("Кузнецов", "Игорь", "Андреевич");
  const studentPerson = await person("Петрова", "Анна", "Сергеевна");
  const guardian = await person("Петрова", "Ольга", "Николаевна");
  await prisma.staffRole.createMany({
    data: [
      { schoolId, personId: director.id, role: "DIRECTOR" },
      { schoolId, personId: teacher.id, role: "TEACHER" },
      { schoolId, personId: other.id, role: "TEACHER" },
    ],
  });
  const klass = await prisma.classGroup.create({
    data: { schoolId, yearId: year.id, name: "7Б", grade: 7, letter: "Б", classTeacherId: teacher.id },
  });
  const student = await prisma.student.create({ data: { schoolId, personId: studentPerson.id } });
  await prisma.enrollment.create({
    data: { schoolId, studentId: student.id, classId: klass.id, fromDate: new Date("2025-09-01"), journalNo: 1 },
  });
  await prisma.guardianship.create({
    data: { schoolId, guardianId: guardian.id, studentId: student.id, relation: "мать" },
  });
  return {
    schoolId,
    classId: klass.id,
    directorId: director.id,
    teacherId: teacher.id,
    otherTeacherId: other.id,
    studentId: studentPerson.id,
    guardianId: guardian.id,
  };
}
