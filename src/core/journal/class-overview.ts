// The class teacher's view of their class: who is missing from which lessons today, the roster with
// each family's link to the bot and consent (R-09, for invites), and the classes they lead.
import { z } from "zod";
import { can, logAccess, requireClassManage, resolveClass } from "../access/index.ts";
import type { AnyActor } from "../actor.ts";
import { fromIsoDate, type IsoDate } from "../dates.ts";
import { forbidden } from "../errors.ts";
import { type ClassRef, currentClasses } from "../school-year/students-read.ts";
import type { DbOrTx } from "../tx.ts";
import type { AbsenceReason } from "./absence-reasons.ts";
import {
  type ClockOptions,
  fullName,
  idSchema,
  isoDateSchema,
  parseInput,
  requirePerson,
  schoolNow,
} from "./common.ts";
import { rosterOf } from "./roster.ts";

export interface ClassTodayLesson {
  lessonId: number;
  slot: number;
  subjectShort: string;
  subgroupNo: number | null;
  status: "SCHEDULED" | "HELD" | "CANCELLED";
  attendanceTaken: boolean;
}

export interface ClassTodayStudent {
  studentId: number;
  name: string;
  entries: {
    attendanceId: number;
    lessonId: number;
    slot: number;
    subjectShort: string;
    status: "ABSENT" | "LATE";
    reason: AbsenceReason | null;
  }[];
  notice: { noticeId: number; reason: AbsenceReason; confirmed: boolean } | null;
}

export interface ClassToday {
  classId: number;
  className: string;
  date: IsoDate;
  rosterSize: number;
  lessons: ClassTodayLesson[];
  /** Students absent or late from at least one lesson, or with a notice covering the day, in journal order. */
  students: ClassTodayStudent[];
}

const todayInput = z.object({ classId: idSchema, date: isoDateSchema.optional() }).strict();

export async function classToday(
  db: DbOrTx,
  actor: AnyActor,
  input: { classId: number; date?: IsoDate },
  opts: ClockOptions = {},
): Promise<ClassToday> {
  const q = parseInput(todayInput, input);
  const cls = await requireClassManage(db, actor, q.classId);
  if (!cls.isClassTeacher) await logAccess(db, actor, [{ entity: "Class", entityId: q.classId, what: "class-today" }]);
  const date = q.date ?? (await schoolNow(db, actor.schoolId, opts)).local.date;
  const at = fromIsoDate(date);
  const [roster, lessons, attendance, notices] = await Promise.all([
    rosterOf(db, { schoolId: actor.schoolId, classId: q.classId, subgroupId: null }, date),
    db.lesson.findMany({
      where: { schoolId: actor.schoolId, date: at, assignment: { classId: q.classId } },
      orderBy: [{ slot: "asc" }, { id: "asc" }],
      select: {
        id: true,
        slot: true,
        status: true,
        attendanceTakenAt: true,
        assignment: { select: { subject: { select: { short: true } }, subgroup: { select: { number: true } } } },
      },
    }),
    db.attendance.findMany({
      where: { schoolId: actor.schoolId, classId: q.classId, date: at },
      select: { id: true, studentId: true, lessonId: true, status: true, reason: true },
    }),
    db.absenceNotice.findMany({
      where: {
        schoolId: actor.schoolId,
        fromDate: { lte: at },
        toDate: { gte: at },
        student: { enrollments: { some: { classId: q.classId } } },
      },
      orderBy: { id: "desc" },
      select: { id: true, studentId: true, reason: true, confirmedAt: true },
    }),
  ]);
  const lessonList: ClassTodayLesson[] = lessons.map((l) => ({
    lessonId: l.id,
    slot: l.slot,
    subjectShort: l.assignment.subject.short,
    subgroupNo: l.assignment.subgroup?.number ?? null,
    status: l.status,
    attendanceTaken: l.attendanceTakenAt !== null,
  }));
  const lessonOf = new Map(lessonList.map((l) => [l.lessonId, l]));
  const students: ClassTodayStudent[] = [];
  for (const r of roster) {
    const entries = attendance
      .filter((a) => a.studentId === r.studentId && lessonOf.has(a.lessonId))
      .map((a) => {
        const l = lessonOf.get(a.lessonId)!;
        return {
          attendanceId: a.id,
          lessonId: a.lessonId,
          slot: l.slot,
          subjectShort: l.subjectShort,
          status: a.status,
          reason: a.reason,
        };
      })
      .sort((a, b) => a.slot - b.slot);
    const n = notices.find((x) => x.studentId === r.studentId);
    if (entries.length === 0 && !n) continue;
    students.push({
      studentId: r.studentId,
      name: fullName(r),
      entries,
      notice: n ? { noticeId: n.id, reason: n.reason, confirmed: n.confirmedAt !== null } : null,
    });
  }
  return { classId: q.classId, className: cls.name, date, rosterSize: roster.length, lessons: lessonList, students };
}

export interface RosterGuardian {
  personId: number;
  name: string;
  relation: string | null;
  /** Consent to personal-data processing given and not withdrawn. */
  consent: boolean;
  /** Has a linked, not blocked messenger account. */
  linked: boolean;
}

export interface ClassRosterStudent {
  studentId: number;
  personId: number;
  no: number;
  name: string;
  linked: boolean;
  guardians: RosterGuardian[];
}

export async function classRoster(
  db: DbOrTx,
  actor: AnyActor,
  input: { classId: number },
  opts: ClockOptions = {},
): Promise<ClassRoster> {
  const { classId } = parseInput(z.object({ classId: idSchema }).strict(), input);
  const cls = await requireClassManage(db, actor, classId);
  if (!cls.isClassTeacher) await logAccess(db, actor, [{ entity: "Class", entityId: classId, what: "class-roster" }]);
  return loadRoster(db, actor, { classId, className: cls.name, manages: true }, opts);
}

/**
 * The roster for inviting the class's families: the class teacher, the administration, and whoever the
 * school lets invite any family (invite.family.all, a secretary by default). `manages`: the reader also has the
 * class's other screens.
 */
export async function classInviteRoster(
  db: DbOrTx,
  actor: AnyActor,
  input: { classId: number },
  opts: ClockOptions = {},
): Promise<ClassRoster> {
  const { classId } = parseInput(z.object({ classId: idSchema }).strict(), input);
  const cls = await resolveClass(db, actor, classId);
  const manages = !!cls && (cls.isClassTeacher || cls.administration);
  if (!cls || !(manages || can(actor, "invite.family.all"))) throw forbidden({ classId });
  if (!cls.isClassTeacher) await logAccess(db, actor, [{ entity: "Class", entityId: classId, what: "invite-roster" }]);
  return loadRoster(db, actor, { classId, className: cls.name, manages }, opts);
}

/** The classes of the current year, for someone the school lets invite any family (invite.family.all). */
export async function inviteClasses(db: DbOrTx, actor: AnyActor): Promise<{ today: IsoDate; classes: ClassRef[] }> {
  if (!can(actor, "invite.family.all")) throw forbidden({ permission: "invite.family.all" });
  return currentClasses(db, actor.schoolId);
}

export interface ClassRoster {
  classId: number;
  className: string;
  date: IsoDate;
  manages: boolean;
  students: ClassRosterStudent[];
}

async function loadRoster(
  db: DbOrTx,
  actor: AnyActor,
  cls: { classId: number; className: string; manages: boolean },
  opts: ClockOptions,
): Promise<ClassRoster> {
  const { classId } = cls;
  const { local } = await schoolNow(db, actor.schoolId, opts);
  const roster = await rosterOf(db, { schoolId: actor.schoolId, classId, subgroupId: null }, local.date);
  const studentIds = roster.map((r) => r.studentId);
  const [links, accounts] = await Promise.all([
    db.guardianship.findMany({
      where: { schoolId: actor.schoolId, studentId: { in: studentIds }, endedAt: null },
      orderBy: { id: "asc" },
      select: {
        studentId: true,
        relation: true,
        consentGivenAt: true,
        consentRevokedAt: true,
        guardian: { select: { id: true, lastName: true, firstName: true } },
      },
    }),
    db.messengerAccount.findMany({
      where: {
        schoolId: actor.schoolId,
        blockedAt: null,
        OR: [
          { personId: { in: roster.map((r) => r.personId) } },
          { person: { guardianships: { some: { studentId: { in: studentIds }, endedAt: null } } } },
        ],
      },
      select: { personId: true },
    }),
  ]);
  const linked = new Set(accounts.map((a) => a.personId));
  return {
    classId,
    className: cls.className,
    date: local.date,
    manages: cls.manages,
    students: roster.map((r) => ({
      studentId: r.studentId,
      personId: r.personId,
      no: r.no,
      name: fullName(r),
      linked: linked.has(r.personId),
      guardians: links
        .filter((g) => g.studentId === r.studentId)
        .map((g) => ({
          personId: g.guardian.id,
          name: fullName(g.guardian),
          relation: g.relation,
          consent: g.consentGivenAt !== null && g.consentRevokedAt === null,
          linked: linked.has(g.guardian.id),
        })),
    })),
  };
}

export interface MyClass {
  classId: number;
  name: string;
  grade: number;
  students: number;
}

/** Classes of open years whose class teacher the actor is. */
export async function myClasses(
  db: DbOrTx,
  actor: AnyActor,
  _input: Record<string, never> = {},
  opts: ClockOptions = {},
): Promise<MyClass[]> {
  const personId = requirePerson(actor);
  const { local } = await schoolNow(db, actor.schoolId, opts);
  const at = fromIsoDate(local.date);
  const classes = await db.classGroup.findMany({
    where: { schoolId: actor.schoolId, classTeacherId: personId, year: { closedAt: null } },
    orderBy: [{ grade: "asc" }, { name: "asc" }],
    select: {
      id: true,
      name: true,
      grade: true,
      _count: {
        select: { enrollments: { where: { fromDate: { lte: at }, OR: [{ toDate: null }, { toDate: { gt: at } }] } } },
      },
    },
  });
  return classes.map((c) => ({ classId: c.id, name: c.name, grade: c.grade, students: c._count.enrollments }));
}
