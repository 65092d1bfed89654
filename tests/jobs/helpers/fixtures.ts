// Journal rows for the job tests, written straight with Prisma in the core's data shapes.
import { randomBytes } from "node:crypto";
import { localMoment } from "../../../src/core/dates.ts";
import type { Db } from "../../../src/db/database.ts";

export interface Family {
  studentId: number;
  studentPersonId: number;
  guardians: { personId: number; chatId: bigint; accountId: number }[];
}

export interface SchoolFixture {
  schoolId: number;
  botId: number;
  teacherId: number;
  subjectId: number;
  assignmentId: number;
  timezone: string;
  today: string;
  families: Family[];
  lessons: number[];
}

let chatSeq = 700_000_000 + Math.floor(Math.random() * 1_000_000) * 10;

/** A school with one class, `families` students each with `guardians` consenting, linked guardians. */
export async function seedSchool(
  prisma: Db,
  opts: { families?: number; guardians?: number; lessons?: number; timezone?: string; settings?: object } = {},
): Promise<SchoolFixture> {
  const timezone = opts.timezone ?? "Europe/Moscow";
  const today = localMoment(timezone).date;
  const school = await prisma.school.create({
    data: { name: "Школа №5", timezone, settings: (opts.settings ?? {}) as object },
  });
  const schoolId = school.id;
  const bot = await prisma.bot.create({ data: { schoolId, username: `bot_${randomBytes(4).toString("hex")}` } });
  const year = await prisma.academicYear.create({
    data: { schoolId, name: "2025/2026", startsOn: new Date("2025-09-01"), endsOn: new Date("2026-08-31") },
  });
  const teacher = await prisma.person.create({ data: { schoolId, lastName: "Петрова", firstName: "Анна" } });
  const cls = await prisma.classGroup.create({
    data: { schoolId, yearId: year.id, name: "7Б", grade: 7, letter: "Б" },
  });
  const subject = await prisma.subject.create({ data: { schoolId, name: "Алгебра", short: "Алг" } });
  const assignment = await prisma.teachingAssignment.create({
    data: { schoolId, yearId: year.id, teacherId: teacher.id, subjectId: subject.id, classId: cls.id },
  });
  const lessons: number[] = [];
  for (let slot = 1; slot <= (opts.lessons ?? 1); slot++) {
    const l = await prisma.lesson.create({
      data: { schoolId, assignmentId: assignment.id, date: new Date(`${today}T00:00:00Z`), slot },
    });
    lessons.push(l.id);
  }
  const families: Family[] = [];
  for (let i = 0; i < (opts.families ?? 1); i++) {
    const sp = await prisma.person.create({ data: { schoolId, lastName: "Иванов", firstName: `Пётр${i}` } });
    const student = await prisma.student.create({ data: { schoolId, personId: sp.id } });
    await prisma.enrollment.create({
      data: { schoolId, studentId: student.id, classId: cls.id, fromDate: new Date("2025-09-01") },
    });
    const guardians: Family["guardians"] = [];
    for (let g = 0; g < (opts.guardians ?? 1); g++) {
      const gp = await prisma.person.create({ data: { schoolId, lastName: "Иванова", firstName: `Мария${g}` } });
      await prisma.guardianship.create({
        data: { schoolId, guardianId: gp.id, studentId: student.id, consentGivenAt: new Date() },
      });
      const chatId = BigInt(chatSeq++);
      const acc = await prisma.messengerAccount.create({
        data: { schoolId, personId: gp.id, botId: bot.id, telegramUserId: chatId, chatId, languageCode: "ru" },
      });
      guardians.push({ personId: gp.id, chatId, accountId: acc.id });
    }
    families.push({ studentId: student.id, studentPersonId: sp.id, guardians });
  }
  return {
    schoolId,
    botId: bot.id,
    teacherId: teacher.id,
    subjectId: subject.id,
    assignmentId: assignment.id,
    timezone,
    today,
    families,
    lessons,
  };
}

export async function absent(
  prisma: Db,
  f: SchoolFixture,
  studentId: number,
  lessonId: number,
  status: "ABSENT" | "LATE" = "ABSENT",
) {
  const lesson = await prisma.lesson.findUniqueOrThrow({ where: { id: lessonId } });
  const cls = await prisma.teachingAssignment.findUniqueOrThrow({ where: { id: f.assignmentId } });
  const att = await prisma.attendance.create({
    data: {
      schoolId: f.schoolId,
      studentId,
      lessonId,
      classId: cls.classId,
      date: lesson.date,
      status,
      updatedById: f.teacherId,
    },
  });
  await prisma.outbox.create({
    data: { schoolId: f.schoolId, kind: "attendance.absent", payload: { attendanceId: att.id } },
  });
  return att.id;
}

export async function mark(
  prisma: Db,
  f: SchoolFixture,
  studentId: number,
  value: string,
  extra: { status?: "ACTIVE" | "SUPERSEDED" | "VOIDED"; supersedesId?: number; reason?: string; outbox?: boolean } = {},
) {
  const lesson = await prisma.lesson.findUniqueOrThrow({ where: { id: f.lessons[0] } });
  const m = await prisma.mark.create({
    data: {
      schoolId: f.schoolId,
      studentId,
      lessonId: lesson.id,
      subjectId: f.subjectId,
      date: lesson.date,
      workType: "control",
      weight: 2,
      value,
      authorId: f.teacherId,
      status: extra.status ?? "ACTIVE",
      supersedesId: extra.supersedesId,
      correctionReason: extra.reason,
    },
  });
  if (extra.outbox !== false) {
    // The grace period has already passed: the row is available now.
    await prisma.outbox.create({ data: { schoolId: f.schoolId, kind: "mark.created", payload: { markId: m.id } } });
  }
  return m.id;
}

/**
 * A guardian's preferences. Quiet hours are off unless the test sets them: the tests run at any hour, and the
 * model's default (21:00–07:00) would otherwise hold alerts back whenever the suite runs in a Moscow evening.
 */
export async function preferences(prisma: Db, f: SchoolFixture, personId: number, data: Record<string, unknown>) {
  const create = { quietFrom: "00:00", quietTo: "00:00", ...data };
  await prisma.preference.upsert({
    where: { personId },
    create: { schoolId: f.schoolId, personId, ...create },
    update: data,
  });
}

export async function waitFor<T>(probe: () => Promise<T> | T, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await probe();
    if (ok(v)) return v;
    if (Date.now() - start > timeoutMs)
      throw new Error(
        `condition not met in ${timeoutMs} ms: ${JSON.stringify(v, (_, x) => (typeof x === "bigint" ? String(x) : x))}`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
}
