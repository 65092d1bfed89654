// Seeds a demo school: the generated workbook goes through the real import, lessons are materialised for
// the past and coming two weeks, then every assignment gets its thematic plan and the past days get
// topics from it in order, homework, marks and absences (one transaction, one audit event "demo.seed"), and the
// school's sandbox bot row is created. seedDemoSchools seeds every school of DEMO_SCHOOLS.
import { systemActor } from "../actor.ts";
import { appendAudit } from "../audit.ts";
import { addDays, fromIsoDate, type IsoDate, localMoment, toIsoDate } from "../dates.ts";
import { importSchool } from "../import/import-school.ts";
import { materializeLessons } from "../lessons/materialize.ts";
import { getSchool, type SchoolSettings, workTypeOf } from "../settings.ts";
import type { Db, Tx } from "../tx.ts";
import { buildDemoWorkbook, type DemoOptions } from "./build-workbook.ts";
import { demoPlan, HOMEWORK_TEXTS, SUBJECTS } from "./curriculum.ts";
import { between, createRng, pick, type Rng } from "./names.ts";
import { DEMO_SCHOOLS, type DemoSchool } from "./schools.ts";

/** The first demo school's bot. */
export const SANDBOX_BOT_USERNAME = DEMO_SCHOOLS[0].botUsername;
export const DEMO_TIMEZONE = DEMO_SCHOOLS[0].timezone;
const WINDOW_DAYS = 14;

export interface SeedDemoOptions extends DemoOptions {
  /** The school-local date the demo is built around; default today in the school's time zone. */
  today?: IsoDate;
  /** Which demo school; default the first of DEMO_SCHOOLS. Its workbook options give way to the ones above. */
  school?: DemoSchool;
}

export interface SeedDemoResult {
  schoolId: number;
}

export async function seedDemoSchool(db: Db, opts: SeedDemoOptions = {}): Promise<SeedDemoResult> {
  const { school: def = DEMO_SCHOOLS[0], today: day, ...workbook } = opts;
  const today = day ?? localMoment(def.timezone).date;
  const wb = buildDemoWorkbook(today, { ...def, ...workbook });
  const periods = wb.periods.map((p) => ({ starts: p.starts, ends: p.ends }));
  const { schoolId } = await importSchool(db, wb, {
    schoolName: def.name,
    timezone: def.timezone,
    effectiveDate: periods[0].starts,
  });

  // School holidays between the quarters, so no lessons are planned on them.
  const holidays: { schoolId: number; date: Date; kind: "HOLIDAY" }[] = [];
  for (let i = 0; i + 1 < periods.length; i++) {
    for (let d = addDays(periods[i].ends, 1); d < periods[i + 1].starts; d = addDays(d, 1)) {
      holidays.push({ schoolId, date: fromIsoDate(d), kind: "HOLIDAY" });
    }
  }
  if (holidays.length) await db.calendarDay.createMany({ data: holidays, skipDuplicates: true });
  await materializeLessons(db, schoolId, addDays(today, -WINDOW_DAYS), addDays(today, WINDOW_DAYS));

  const { settings } = await getSchool(db, schoolId);
  await db.$transaction(
    async (tx) => {
      const plans = await createPlans(tx, schoolId);
      const counts = await fillJournal(tx, schoolId, today, settings, plans, createRng(def.journalSeed));
      await tx.guardianship.updateMany({
        where: { schoolId, consentGivenAt: null },
        data: { consentGivenAt: new Date() },
      });
      const bot = await tx.bot.findUnique({ where: { username: def.botUsername } });
      if (!bot) await tx.bot.create({ data: { schoolId, username: def.botUsername } });
      await appendAudit(tx, systemActor(schoolId), {
        action: "demo.seed",
        entity: "School",
        entityId: schoolId,
        data: { today, planItems: [...plans.values()].reduce((n, p) => n + p.length, 0), ...counts },
      });
    },
    { timeout: 5 * 60_000, maxWait: 30_000 },
  );
  return { schoolId };
}

type Plans = Map<number, { id: number; topic: string }[]>;

/** every teaching assignment gets the demo's plan for its subject and grade; returns the items by assignment. */
async function createPlans(tx: Tx, schoolId: number): Promise<Plans> {
  const assignments = await tx.teachingAssignment.findMany({
    where: { schoolId },
    select: { id: true, class: { select: { grade: true } }, subject: { select: { name: true } } },
  });
  const data = assignments.flatMap((a) => {
    const def = SUBJECTS.find((s) => s.name === a.subject.name);
    const topics = def ? demoPlan(def, a.class.grade) : [];
    return topics.map((topic, i) => ({ schoolId, assignmentId: a.id, number: i + 1, topic, hours: 1 }));
  });
  if (data.length) await tx.planItem.createMany({ data });
  const items = await tx.planItem.findMany({
    where: { schoolId },
    select: { id: true, assignmentId: true, topic: true },
    orderBy: [{ assignmentId: "asc" }, { number: "asc" }],
  });
  const plans: Plans = new Map();
  for (const { assignmentId, ...item } of items) {
    const list = plans.get(assignmentId);
    if (list) list.push(item);
    else plans.set(assignmentId, [item]);
  }
  return plans;
}

interface JournalCounts {
  lessonsHeld: number;
  marks: number;
  absences: number;
  homework: number;
}

async function fillJournal(
  tx: Tx,
  schoolId: number,
  today: IsoDate,
  settings: SchoolSettings,
  plans: Plans,
  rng: Rng,
): Promise<JournalCounts> {
  const weight = (code: string) => workTypeOf(settings, code)?.weight ?? 1;
  const lessons = await tx.lesson.findMany({
    where: { schoolId, date: { gte: fromIsoDate(addDays(today, -WINDOW_DAYS)), lte: fromIsoDate(today) } },
    include: { assignment: { include: { class: true, subject: true } } },
    orderBy: [{ date: "asc" }, { slot: "asc" }],
  });
  const allLessons = await tx.lesson.findMany({
    where: { schoolId, date: { gte: fromIsoDate(addDays(today, -WINDOW_DAYS)) } },
    select: { assignmentId: true, date: true },
    orderBy: { date: "asc" },
  });
  const [enrollments, members] = await Promise.all([
    tx.enrollment.findMany({ where: { schoolId, toDate: null }, select: { studentId: true, classId: true } }),
    tx.subgroupMember.findMany({ where: { schoolId, toDate: null }, select: { studentId: true, subgroupId: true } }),
  ]);
  const byClass = groupBy(enrollments, (e) => e.classId);
  const bySubgroup = groupBy(members, (m) => m.subgroupId);

  // Each student has an "ability" that makes their marks consistent; some are ill on some days.
  const ability = new Map<number, number>();
  const absentDays = new Map<string, "ILLNESS" | "EXCUSED" | "UNEXCUSED" | null>();
  for (const e of enrollments) {
    ability.set(e.studentId, 2.8 + rng() * 2.2);
    for (let d = addDays(today, -WINDOW_DAYS); d < today; d = addDays(d, 1)) {
      if (rng() < 0.035)
        absentDays.set(`${e.studentId}|${d}`, pick(rng, ["ILLNESS", "ILLNESS", "EXCUSED", "UNEXCUSED", null]));
    }
  }
  const topicIndex = new Map<number, number>();
  const counts: JournalCounts = { lessonsHeld: 0, marks: 0, absences: 0, homework: 0 };
  const marks = [];
  const attendance = [];
  const homework = [];

  for (const lesson of lessons) {
    const date = toIsoDate(lesson.date);
    const a = lesson.assignment;
    const roster = a.subgroupId ? (bySubgroup.get(a.subgroupId) ?? []) : (byClass.get(a.classId) ?? []);
    const past = date < today;

    if (past) {
      // the past lessons of an assignment went through its plan in order, one item each
      const n = topicIndex.get(a.id) ?? 0;
      topicIndex.set(a.id, n + 1);
      const item = plans.get(a.id)?.[n];
      await tx.lesson.update({
        where: { id: lesson.id },
        data: {
          status: "HELD",
          topic: item?.topic ?? "Повторение изученного",
          planItemId: item?.id ?? null,
          topicSetAt: lesson.date,
          attendanceTakenAt: lesson.date,
        },
      });
      counts.lessonsHeld++;
      const present: number[] = [];
      for (const { studentId } of roster) {
        const key = `${studentId}|${date}`;
        if (absentDays.has(key)) {
          attendance.push({
            schoolId,
            studentId,
            lessonId: lesson.id,
            classId: a.classId,
            date: lesson.date,
            status: "ABSENT" as const,
            reason: absentDays.get(key) ?? null,
            updatedById: a.teacherId,
          });
          counts.absences++;
        } else if (rng() < 0.01) {
          attendance.push({
            schoolId,
            studentId,
            lessonId: lesson.id,
            classId: a.classId,
            date: lesson.date,
            status: "LATE" as const,
            reason: null,
            updatedById: a.teacherId,
          });
          present.push(studentId);
        } else present.push(studentId);
      }
      if (!settings.gradesWithoutMarks.includes(a.class.grade) && present.length) {
        const control = rng() < 0.08;
        const who = control ? present : shuffle(rng, present).slice(0, between(rng, 2, 5));
        const workType = control
          ? a.subject.name === "Русский язык"
            ? "dictation"
            : "control"
          : pick(rng, ["oral", "oral", "classwork", "classwork", "homework"]);
        const givenAt = new Date(lesson.date.getTime() + 12 * 3600_000);
        for (const studentId of who) {
          const v = Math.max(2, Math.min(5, Math.round(ability.get(studentId)! + (rng() - 0.5) * 1.6)));
          marks.push({
            schoolId,
            studentId,
            lessonId: lesson.id,
            subjectId: a.subjectId,
            date: lesson.date,
            workType,
            weight: weight(workType),
            value: String(v),
            authorId: a.teacherId,
            // given on that day, long past the grace period: families see them at once, edits are corrections
            createdAt: givenAt,
            updatedAt: givenAt,
          });
        }
      }
    }
    if (rng() < 0.75) {
      const next = allLessons.find((l) => l.assignmentId === a.id && toIsoDate(l.date) > date);
      const text = pick(rng, HOMEWORK_TEXTS)
        .replace("{n}", String(between(rng, 1, 40)))
        .replace("{m}", String(between(rng, 41, 300)))
        .replace("{p}", String(between(rng, 5, 180)));
      homework.push({
        schoolId,
        lessonId: lesson.id,
        text,
        dueDate: next ? next.date : fromIsoDate(addDays(date, 7)),
        studentIds: [],
        authorId: a.teacherId,
      });
      counts.homework++;
    }
  }
  if (attendance.length) await tx.attendance.createMany({ data: attendance });
  if (marks.length) await tx.mark.createMany({ data: marks });
  if (homework.length) await tx.homework.createMany({ data: homework });
  counts.marks = marks.length;
  return counts;
}

function groupBy<T, K>(list: T[], key: (t: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const item of list) {
    const k = key(item);
    const arr = out.get(k);
    if (arr) arr.push(item);
    else out.set(k, [item]);
  }
  return out;
}

function shuffle<T>(rng: Rng, list: T[]): T[] {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

export interface SeedDemoSchoolsResult {
  /** In the order of DEMO_SCHOOLS. */
  schoolIds: number[];
}

/** Seeds every demo school, one after the other, each with its own bot. */
export async function seedDemoSchools(
  db: Db,
  opts: Pick<SeedDemoOptions, "today"> = {},
): Promise<SeedDemoSchoolsResult> {
  const schoolIds: number[] = [];
  for (const school of DEMO_SCHOOLS) schoolIds.push((await seedDemoSchool(db, { ...opts, school })).schoolId);
  return { schoolIds };
}

/** Seeds the demo schools when the database holds no school at all; schoolId is the first of them. */
export async function seedDemoIfEmpty(
  db: Db,
  today?: IsoDate,
): Promise<{ seeded: boolean; schoolId: number | null; schoolIds: number[] }> {
  if ((await db.school.count()) > 0) return { seeded: false, schoolId: null, schoolIds: [] };
  const { schoolIds } = await seedDemoSchools(db, { today });
  return { seeded: true, schoolId: schoolIds[0], schoolIds };
}
