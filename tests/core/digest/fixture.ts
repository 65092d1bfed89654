// A school day for digest tests (buildSchool + journal rows written straight with Prisma in the core's shapes).
// The day is a Wednesday in the future and `now` is 19:05 school time on it, so grace periods are decided by
// the rows' createdAt whatever the wall clock says; marks meant to be visible are an hour older than the real
// now (visible at send time too).
import { randomBytes } from "node:crypto";
import { addDays, type IsoDate, isoWeekday, localMoment, zonedInstant } from "../../../src/core/dates.ts";
import type { Db } from "../../../src/db/database.ts";
import { buildSchool, lessonOf, type TestSchool } from "../../helpers/factories.ts";

export const TZ = "Europe/Moscow";

export interface DigestFixture {
  s: TestSchool;
  botId: number;
  date: IsoDate;
  tomorrow: IsoDate;
  /** 19:05 school time on `date`. */
  now: Date;
  /** The child with a full day (7Б, first student) and their consenting guardian. */
  child: number;
  guardian: number;
  /** The same child's second guardian, who never gave consent. */
  noConsent: number;
  /** An 8А child with no marks or absences (nothing at all a week after `date`), and their guardian. */
  quietChild: number;
  quietGuardian: number;
  marks: { algebra: number; russianOld: number; russian: number; grace: number };
  chatOf(personId: number): bigint;
}

/** The next Wednesday at least a day after today (Moscow time). */
export function futureWednesday(): IsoDate {
  let d = addDays(localMoment(TZ).date, 1);
  while (isoWeekday(d) !== 3) d = addDays(d, 1);
  return d;
}

let chatSeq = 800_000_000 + Math.floor(Math.random() * 1_000_000) * 10;

export async function digestFixture(
  prisma: Db,
  opts: { date?: IsoDate; accounts?: boolean } = {},
): Promise<DigestFixture> {
  const date = opts.date ?? futureWednesday();
  const s = await buildSchool(prisma, { today: date });
  const { schoolId } = s;
  const now = zonedInstant(TZ, date, "19:05");
  const hourAgo = new Date(Date.now() - 3_600_000);
  const bot = await prisma.bot.create({ data: { schoolId, username: `digest_${randomBytes(4).toString("hex")}` } });
  const chats = new Map<number, bigint>();
  if (opts.accounts !== false) {
    // Every guardian of record gets a linked account (consent is what decides).
    for (const ids of s.guardians.values()) {
      for (const personId of ids) {
        const chatId = BigInt(chatSeq++);
        await prisma.messengerAccount.create({
          data: { schoolId, personId, botId: bot.id, telegramUserId: chatId, chatId, languageCode: "ru" },
        });
        chats.set(personId, chatId);
      }
    }
  }
  const child = s.students.c7b[0];
  const [guardian, noConsent] = s.guardians.get(child)!;
  const quietChild = s.students.c8a[1];
  const quietGuardian = s.guardians.get(quietChild)![0];

  const algebraLesson = await lessonOf(prisma, s.assignments.algebra7b, date);
  const russianLesson = await lessonOf(prisma, s.assignments.russian7b, date);
  const englishLesson = await lessonOf(prisma, s.assignments.eng7b1, date);
  const mark = (lessonId: number, subjectId: number, value: string, extra: Record<string, unknown> = {}) =>
    prisma.mark.create({
      data: {
        schoolId,
        studentId: child,
        lessonId,
        subjectId,
        date: new Date(`${date}T00:00:00Z`),
        workType: "control",
        weight: 2,
        value,
        authorId: s.people.mathTeacher,
        createdAt: hourAgo,
        ...extra,
      },
    });
  const algebra = await mark(algebraLesson, s.subjects.algebra, "5");
  const russianOld = await mark(russianLesson, s.subjects.russian, "3", {
    workType: "oral",
    weight: 1,
    status: "SUPERSEDED",
    authorId: s.people.russianTeacher,
    createdAt: new Date(hourAgo.getTime() - 3_600_000),
  });
  const russian = await mark(russianLesson, s.subjects.russian, "4", {
    workType: "oral",
    weight: 1,
    supersedesId: russianOld.id,
    correctionReason: "ошибка при вводе",
    authorId: s.people.russianTeacher,
  });
  // Entered a minute before `now`: still in its author's grace period (10 minutes).
  const grace = await mark(englishLesson, s.subjects.english, "2", {
    authorId: s.people.englishTeacher1,
    createdAt: new Date(now.getTime() - 60_000),
  });

  const c7b = s.classes.c7b;
  await prisma.attendance.createMany({
    data: [
      {
        schoolId,
        studentId: child,
        lessonId: algebraLesson,
        classId: c7b,
        date: new Date(`${date}T00:00:00Z`),
        status: "LATE",
        updatedById: s.people.mathTeacher,
      },
      {
        schoolId,
        studentId: child,
        lessonId: russianLesson,
        classId: c7b,
        date: new Date(`${date}T00:00:00Z`),
        status: "ABSENT",
        reason: "ILLNESS",
        updatedById: s.people.mathTeacher,
      },
    ],
  });
  const tomorrow = addDays(date, 1);
  const english2Lesson = await lessonOf(prisma, s.assignments.eng7b2, date);
  await prisma.homework.createMany({
    data: [
      {
        schoolId,
        lessonId: algebraLesson,
        text: "№ 245, 247",
        files: [
          { kind: "photo", fileId: "AgAD1" },
          { kind: "document", fileId: "BQAD2", name: "задачи.pdf" },
        ],
        dueDate: new Date(`${tomorrow}T00:00:00Z`),
        authorId: s.people.mathTeacher,
      },
      // the other English subgroup's homework: not this child's
      {
        schoolId,
        lessonId: english2Lesson,
        text: "Workbook p. 12",
        dueDate: new Date(`${tomorrow}T00:00:00Z`),
        authorId: s.people.englishTeacher2,
      },
      // individual homework for another child
      {
        schoolId,
        lessonId: russianLesson,
        text: "Исправить ошибки в диктанте",
        dueDate: new Date(`${tomorrow}T00:00:00Z`),
        studentIds: [s.students.c7b[2]],
        authorId: s.people.russianTeacher,
      },
      // due next week: not for tomorrow
      {
        schoolId,
        lessonId: russianLesson,
        text: "Сочинение",
        dueDate: new Date(`${addDays(date, 7)}T00:00:00Z`),
        authorId: s.people.russianTeacher,
      },
    ],
  });
  const sentAt = new Date(now.getTime() - 2 * 3_600_000);
  await prisma.announcement.createMany({
    data: [
      {
        schoolId,
        authorId: s.people.mathTeacher,
        scope: "CLASS",
        classId: c7b,
        audience: "PARENTS",
        text: "Родительское собрание в четверг в 18:00, кабинет 101.",
        sentAt,
      },
      {
        schoolId,
        authorId: s.people.director,
        scope: "SCHOOL",
        audience: "BOTH",
        text: "В пятницу уроки по 30 минут.",
        file: { kind: "document", fileId: "BQAD3", name: "расписание.pdf" },
        sentAt,
      },
      // for students only, for another class, and yesterday's: not in the digest
      {
        schoolId,
        authorId: s.people.mathTeacher,
        scope: "CLASS",
        classId: c7b,
        audience: "STUDENTS",
        text: "x",
        sentAt,
      },
      {
        schoolId,
        authorId: s.people.russianTeacher,
        scope: "CLASS",
        classId: s.classes.c8a,
        audience: "PARENTS",
        text: "y",
        sentAt,
      },
      {
        schoolId,
        authorId: s.people.mathTeacher,
        scope: "CLASS",
        classId: c7b,
        audience: "PARENTS",
        text: "z",
        sentAt: new Date(sentAt.getTime() - 86_400_000),
      },
    ],
  });
  return {
    s,
    botId: bot.id,
    date,
    tomorrow,
    now,
    child,
    guardian,
    noConsent,
    quietChild,
    quietGuardian,
    marks: { algebra: algebra.id, russianOld: russianOld.id, russian: russian.id, grace: grace.id },
    chatOf: (personId) => {
      const c = chats.get(personId);
      if (c === undefined) throw new Error(`no chat for ${personId}`);
      return c;
    },
  };
}

/** "26 ноября" as the digest writes it. */
export function ruDate(date: IsoDate): string {
  return new Intl.DateTimeFormat("ru", { day: "numeric", month: "long", timeZone: "UTC" }).format(
    new Date(`${date}T00:00:00Z`),
  );
}

/** "23–29 ноября" as the weekly summary writes it. */
export function ruRange(from: IsoDate, to: IsoDate): string {
  return new Intl.DateTimeFormat("ru", { day: "numeric", month: "long", timeZone: "UTC" }).formatRange(
    new Date(`${from}T00:00:00Z`),
    new Date(`${to}T00:00:00Z`),
  );
}
