// The daily digest (issue 5 item 3) for guardian × child × school-local date, as plain data: the day's marks
// (corrections as corrections, entries made that day for earlier lessons flagged as late, marks still in their
// author's grace period left out exactly as the family diary leaves them out), absences and lateness, homework
// for the next school day, and the day's class notices for parents.
//
// The batch version is what the fan-out uses: a fixed number of queries for any number of pairs (no N+1).
import { z } from "zod";
import type { AnyActor } from "../actor.ts";
import { addDays, fromIsoDate, type IsoDate, toIsoDate, zonedInstant } from "../dates.ts";
import { displayMarks, FAMILY_MARK_SELECT, type MarkRowForFamily } from "../family/mark-display.ts";
import { type ClockOptions, idSchema, isoDateSchema, parseInput } from "../journal/common.ts";
import { CURRENT_NOTICE_DAYS } from "../school-year/news.ts";
import { getSchool, type SchoolInfo } from "../settings.ts";
import type { DbOrTx } from "../tx.ts";
import { requireSystemFor } from "./access.ts";
import { classesOn, eligiblePairs } from "./eligible-pairs.ts";
import type {
  DailyDigest,
  DigestAttendance,
  DigestHomework,
  DigestMark,
  DigestNotice,
  DigestPair,
  DigestWithdrawnMark,
} from "./types.ts";

/** How far ahead the next school day is looked for (holidays included). */
const NEXT_DAY_HORIZON = 14;
export const MAX_DIGEST_BATCH = 2000;

const pairSchema = z.object({ guardianId: idSchema, studentId: idSchema });
const batchSchema = z.object({
  schoolId: idSchema,
  date: isoDateSchema,
  pairs: z.array(pairSchema).max(MAX_DIGEST_BATCH),
});
const oneSchema = z.object({ schoolId: idSchema, guardianId: idSchema, studentId: idSchema, date: isoDateSchema });

export interface ComposeOptions extends ClockOptions {
  /** The school, when the caller already read it (saves a query per batch). */
  school?: SchoolInfo;
}

/** One guardian's digest for one child, or null when that guardian may not receive it. */
export async function composeDailyDigest(
  db: DbOrTx,
  actor: AnyActor,
  input: { schoolId: number; guardianId: number; studentId: number; date: IsoDate },
  opts: ComposeOptions = {},
): Promise<DailyDigest | null> {
  requireSystemFor(actor, Number(input?.schoolId));
  const { schoolId, guardianId, studentId, date } = parseInput(oneSchema, input);
  const [digest] = await composeDailyDigests(db, actor, { schoolId, date, pairs: [{ guardianId, studentId }] }, opts);
  return digest ?? null;
}

/** Digests for many pairs of one school and date; pairs that may not receive one are left out. */
export async function composeDailyDigests(
  db: DbOrTx,
  actor: AnyActor,
  input: { schoolId: number; date: IsoDate; pairs: DigestPair[] },
  opts: ComposeOptions = {},
): Promise<DailyDigest[]> {
  requireSystemFor(actor, Number(input?.schoolId));
  const { schoolId, date, pairs } = parseInput(batchSchema, input);
  if (pairs.length === 0) return [];
  const school = opts.school?.id === schoolId ? opts.school : await getSchool(db, schoolId);
  const now = opts.now ?? new Date();
  const pairsOk = await eligiblePairs(db, schoolId, date, pairs);
  if (pairsOk.length === 0) return [];
  const studentIds = [...new Set(pairsOk.map((p) => p.studentId))];
  const day = fromIsoDate(date);
  const windowFrom = zonedInstant(school.timezone, date, "00:00");
  const windowTo = zonedInstant(school.timezone, addDays(date, 1), "00:00");
  const inWindow = (iso: string) => {
    const t = Date.parse(iso);
    return t >= windowFrom.getTime() && t < windowTo.getTime();
  };
  // a guardian's first digest also brings the notices still current, sent before they joined
  const newcomers = await firstDigestGuardians(
    db,
    schoolId,
    [...new Set(pairsOk.map((p) => p.guardianId))],
    windowFrom,
  );
  const noticesFrom =
    newcomers.size > 0 ? new Date(windowFrom.getTime() - CURRENT_NOTICE_DAYS * 86_400_000) : windowFrom;
  const classOf = await classesOn(db, schoolId, studentIds, date);
  const classIds = [...new Set([...classOf.values()].map((c) => c.classId))];
  const grades = [...new Set([...classOf.values()].map((c) => c.grade))];
  const horizon = fromIsoDate(addDays(date, NEXT_DAY_HORIZON));

  const [memberships, lessons, markRows, attendance, subjects, notices] = await Promise.all([
    db.subgroupMember.findMany({
      where: {
        schoolId,
        studentId: { in: studentIds },
        fromDate: { lte: horizon },
        OR: [{ toDate: null }, { toDate: { gt: day } }],
      },
      select: { studentId: true, subgroupId: true, fromDate: true, toDate: true },
    }),
    classIds.length
      ? db.lesson.findMany({
          where: { schoolId, date: { gte: day, lte: horizon }, assignment: { classId: { in: classIds } } },
          select: {
            id: true,
            date: true,
            slot: true,
            status: true,
            assignment: { select: { classId: true, subgroupId: true, subjectId: true } },
          },
        })
      : Promise.resolve([]),
    db.mark.findMany({
      where: {
        schoolId,
        studentId: { in: studentIds },
        OR: [{ date: day }, { createdAt: { gte: windowFrom, lt: windowTo } }],
      },
      select: { ...FAMILY_MARK_SELECT, studentId: true },
      orderBy: [{ date: "asc" }, { id: "asc" }],
    }),
    db.attendance.findMany({
      where: { schoolId, studentId: { in: studentIds }, date: day },
      select: { studentId: true, lessonId: true, status: true, reason: true },
    }),
    db.subject.findMany({ where: { schoolId }, select: { id: true, name: true } }),
    db.announcement.findMany({
      where: {
        schoolId,
        audience: { in: ["PARENTS", "BOTH"] },
        AND: [
          {
            OR: [
              { sentAt: { gte: noticesFrom, lt: windowTo } },
              { sentAt: null, createdAt: { gte: noticesFrom, lt: windowTo } },
            ],
          },
          {
            OR: [
              { scope: "SCHOOL" },
              { scope: "CLASS", classId: { in: classIds } },
              { scope: "PARALLEL", grade: { in: grades } },
            ],
          },
        ],
      },
      select: {
        id: true,
        scope: true,
        classId: true,
        grade: true,
        text: true,
        file: true,
        createdAt: true,
        sentAt: true,
      },
      orderBy: { id: "asc" },
    }),
  ]);

  // Earlier versions of marks corrected today for older lessons (one query, only when there are any).
  const loaded = new Set(markRows.map((m) => m.id));
  const missing = [...new Set(markRows.map((m) => m.supersedesId).filter((id): id is number => id !== null))].filter(
    (id) => !loaded.has(id),
  );
  const priors = missing.length
    ? await db.mark.findMany({
        where: { schoolId, id: { in: missing } },
        select: { ...FAMILY_MARK_SELECT, studentId: true },
      })
    : [];

  // The next school day of each class: its first day after `date` with a lesson that is not cancelled.
  const nextDayOf = new Map<number, IsoDate>();
  const lessonById = new Map<number, (typeof lessons)[number]>();
  for (const l of lessons) {
    lessonById.set(l.id, l);
    const d = toIsoDate(l.date);
    if (d <= date || l.status === "CANCELLED") continue;
    const cur = nextDayOf.get(l.assignment.classId);
    if (!cur || d < cur) nextDayOf.set(l.assignment.classId, d);
  }
  const nextDays = [...new Set(nextDayOf.values())];
  const homework = nextDays.length
    ? await db.homework.findMany({
        where: {
          schoolId,
          dueDate: { in: nextDays.map(fromIsoDate) },
          lesson: { assignment: { classId: { in: classIds } } },
        },
        select: {
          id: true,
          text: true,
          files: true,
          dueDate: true,
          studentIds: true,
          lesson: {
            select: { date: true, assignment: { select: { classId: true, subgroupId: true, subjectId: true } } },
          },
        },
        orderBy: { id: "asc" },
      })
    : [];

  const subjectName = new Map(subjects.map((s) => [s.id, s.name]));
  const nameOf = (id: number) => subjectName.get(id) ?? "";
  const graceCut = new Date(now.getTime() - school.settings.graceMinutes * 60_000);

  const marksOf = groupBy([...markRows, ...priors], (m) => m.studentId);
  const attendanceOf = groupBy(attendance, (a) => a.studentId);
  const membershipsOf = groupBy(memberships, (m) => m.studentId);
  const homeworkOf = groupBy(homework, (h) => h.lesson.assignment.classId);
  const inSubgroup = (studentId: number, subgroupId: number, on: IsoDate) =>
    (membershipsOf.get(studentId) ?? []).some(
      (m) => m.subgroupId === subgroupId && toIsoDate(m.fromDate) <= on && (!m.toDate || toIsoDate(m.toDate) > on),
    );

  const noticesOf = (cls: { classId: number; grade: number } | null, today: boolean) =>
    notices.filter(
      (n) =>
        inWindow((n.sentAt ?? n.createdAt).toISOString()) === today &&
        (n.scope === "SCHOOL" ||
          (n.scope === "CLASS" && cls !== null && n.classId === cls.classId) ||
          (n.scope === "PARALLEL" && cls !== null && n.grade === cls.grade)),
    );
  const perStudent = new Map<number, Omit<DailyDigest, "guardianId">>();
  const build = (studentId: number, p: { lastName: string; firstName: string }): Omit<DailyDigest, "guardianId"> => {
    const cls = classOf.get(studentId) ?? null;
    const shown = displayMarks((marksOf.get(studentId) ?? []) as MarkRowForFamily[], { hideGraceBefore: graceCut });
    const marks: DigestMark[] = shown.marks
      .filter((m) => m.date === date || inWindow(m.enteredAt) || m.corrections.some((c) => inWindow(c.at)))
      .map((m) => ({
        markId: m.markId,
        subjectId: m.subjectId,
        subjectName: nameOf(m.subjectId),
        date: m.date,
        late: m.date !== date,
        workType: m.workType,
        value: m.value,
        comment: m.comment,
        corrections: m.corrections,
      }));
    const withdrawn: DigestWithdrawnMark[] = shown.withdrawn
      .filter((w) => w.date === date || inWindow(w.withdrawnAt))
      .map((w) => ({
        markId: w.markId,
        subjectName: nameOf(w.subjectId),
        date: w.date,
        workType: w.workType,
        value: w.value,
        reason: w.reason,
      }));
    const att: DigestAttendance[] = (attendanceOf.get(studentId) ?? [])
      .map((a) => {
        const l = lessonById.get(a.lessonId);
        return {
          lessonId: a.lessonId,
          slot: l?.slot ?? null,
          subjectName: l ? nameOf(l.assignment.subjectId) : "",
          status: a.status,
          reason: a.reason,
        };
      })
      .sort((a, b) => (a.slot ?? 99) - (b.slot ?? 99));
    const homeworkDate = cls ? (nextDayOf.get(cls.classId) ?? null) : null;
    const hw: DigestHomework[] =
      homeworkDate && cls
        ? (homeworkOf.get(cls.classId) ?? [])
            .filter((h) => {
              const a = h.lesson.assignment;
              if (toIsoDate(h.dueDate) !== homeworkDate) return false;
              if (a.subgroupId !== null && !inSubgroup(studentId, a.subgroupId, toIsoDate(h.lesson.date))) return false;
              return h.studentIds.length === 0 || h.studentIds.includes(studentId);
            })
            .map((h) => ({
              homeworkId: h.id,
              subjectName: nameOf(h.lesson.assignment.subjectId),
              text: h.text,
              files: Array.isArray(h.files) ? h.files.length : 0,
              individual: h.studentIds.length > 0,
            }))
        : [];
    const ns: DigestNotice[] = noticesOf(cls, true).map((n) => ({
      announcementId: n.id,
      scope: n.scope,
      text: n.text,
      hasFile: n.file !== null && n.file !== undefined,
      at: (n.sentAt ?? n.createdAt).toISOString(),
    }));
    return {
      schoolId,
      studentId,
      date,
      student: { studentId, lastName: p.lastName, firstName: p.firstName, className: cls?.name ?? null },
      marks,
      withdrawn,
      attendance: att,
      homeworkDate,
      homework: hw,
      notices: ns,
      empty: marks.length + withdrawn.length + att.length + hw.length + ns.length === 0,
    };
  };

  return pairsOk.map((p) => {
    let d = perStudent.get(p.studentId);
    if (!d) {
      d = build(p.studentId, p);
      perStudent.set(p.studentId, d);
    }
    const joined = newcomers.get(p.guardianId);
    if (joined) {
      const missed = noticesOf(classOf.get(p.studentId) ?? null, false).filter((n) => n.createdAt < joined);
      const earlier = missed.map(
        (n): DigestNotice => ({
          announcementId: n.id,
          scope: n.scope,
          text: n.text,
          hasFile: n.file !== null && n.file !== undefined,
          at: (n.sentAt ?? n.createdAt).toISOString(),
        }),
      );
      if (earlier.length) return { ...d, notices: [...earlier, ...d.notices], empty: false, guardianId: p.guardianId };
    }
    return { ...d, guardianId: p.guardianId };
  });
}

/**
 * Guardians who have never been sent a daily digest before this day, with when they first linked the bot: the
 * notices made before that moment never reached them.
 */
async function firstDigestGuardians(
  db: DbOrTx,
  schoolId: number,
  guardianIds: number[],
  before: Date,
): Promise<Map<number, Date>> {
  if (guardianIds.length === 0) return new Map();
  const [had, linked] = await Promise.all([
    db.delivery.findMany({
      where: { schoolId, personId: { in: guardianIds }, kind: "digest.daily", status: "SENT", sentAt: { lt: before } },
      select: { personId: true },
      distinct: ["personId"],
    }),
    db.messengerAccount.groupBy({
      by: ["personId"],
      where: { schoolId, personId: { in: guardianIds } },
      _min: { linkedAt: true },
    }),
  ]);
  const old = new Set(had.map((d) => d.personId));
  const out = new Map<number, Date>();
  for (const l of linked) if (!old.has(l.personId) && l._min.linkedAt) out.set(l.personId, l._min.linkedAt);
  return out;
}

export function groupBy<T, K>(rows: T[], key: (r: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return out;
}
