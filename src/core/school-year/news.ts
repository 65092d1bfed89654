// School news and calendar. News are the notices of the existing machinery (class, parallel, school);
// a notice stays current for CURRENT_NOTICE_DAYS, so a family that joins later still finds it: its list gives
// the late reader a receipt (so "acknowledge" works and the author's counts include them). The school calendar
// of events (meetings, exams, holidays) is kept by the administration and seen by families and staff.
import { z } from "zod";
import { can, requirePermission } from "../access/index.ts";
import type { AnyActor } from "../actor.ts";
import { appendAudit } from "../audit.ts";
import { addDays, fromIsoDate, type IsoDate, isTime, toIsoDate } from "../dates.ts";
import { invalid, notFound } from "../errors.ts";
import { idSchema, isoDateSchema, parseInput, requirePerson, schoolNow } from "../journal/common.ts";
import type { AnnouncementFile } from "../notices/announcement-input.ts";
import type { Db, DbOrTx } from "../tx.ts";

/** How long a notice stays in a family's list and reaches a family that joins late. */
export const CURRENT_NOTICE_DAYS = 14;
/** How far ahead the calendar of events looks. */
export const CALENDAR_DAYS = 45;

export interface CurrentNotice {
  announcementId: number;
  scope: "CLASS" | "PARALLEL" | "SCHOOL";
  className: string | null;
  grade: number | null;
  authorName: string;
  fromClassTeacher: boolean;
  text: string;
  file: AnnouncementFile | null;
  sentAt: string;
  acknowledged: boolean;
}

export interface SchoolEventItem {
  eventId: number;
  kind: "MEETING" | "EXAM" | "HOLIDAY" | "EVENT";
  date: IsoDate;
  time: string | null;
  title: string;
  scope: "CLASS" | "PARALLEL" | "SCHOOL";
  className: string | null;
  grade: number | null;
}

interface Audience {
  classIds: number[];
  grades: number[];
  /** Which announcement audiences reach this reader. */
  audiences: ("PARENTS" | "STUDENTS" | "BOTH")[];
  staff: boolean;
}

/** What reaches the reader: their children's (or own) classes today, or everything for staff. */
async function readerAudience(db: DbOrTx, actor: AnyActor, today: IsoDate): Promise<Audience> {
  const personId = requirePerson(actor);
  if (actor.roles.length > 0)
    return { classIds: [], grades: [], audiences: ["PARENTS", "STUDENTS", "BOTH"], staff: true };
  const at = fromIsoDate(today);
  const open = { fromDate: { lte: at }, OR: [{ toDate: null }, { toDate: { gt: at } }] };
  const [children, self] = await Promise.all([
    db.guardianship.findMany({
      where: {
        schoolId: actor.schoolId,
        guardianId: personId,
        endedAt: null,
        consentGivenAt: { not: null },
        consentRevokedAt: null,
      },
      select: {
        student: {
          select: { enrollments: { where: open, select: { classId: true, class: { select: { grade: true } } } } },
        },
      },
    }),
    db.student.findFirst({
      where: {
        schoolId: actor.schoolId,
        personId,
        guardians: { some: { consentGivenAt: { not: null }, consentRevokedAt: null, endedAt: null } },
      },
      select: { enrollments: { where: open, select: { classId: true, class: { select: { grade: true } } } } },
    }),
  ]);
  const enrollments = [...children.flatMap((c) => c.student.enrollments), ...(self?.enrollments ?? [])];
  const audiences: Audience["audiences"] = ["BOTH"];
  if (children.length) audiences.push("PARENTS");
  if (self) audiences.push("STUDENTS");
  return {
    classIds: [...new Set(enrollments.map((e) => e.classId))],
    grades: [...new Set(enrollments.map((e) => e.class.grade))],
    audiences,
    staff: false,
  };
}

const targetOf = (a: Audience) =>
  a.staff
    ? {}
    : {
        OR: [
          { scope: "SCHOOL" as const },
          { scope: "CLASS" as const, classId: { in: a.classIds } },
          { scope: "PARALLEL" as const, grade: { in: a.grades } },
        ],
      };

/**
 * The reader's current notices, newest first. A family member who was not a recipient when a notice went (not
 * yet joined, consent given later) gets a receipt now: they are a recipient from now on.
 */
export async function currentNotices(db: Db, actor: AnyActor): Promise<CurrentNotice[]> {
  const personId = requirePerson(actor);
  const { local } = await schoolNow(db, actor.schoolId);
  const who = await readerAudience(db, actor, local.date);
  if (who.staff) return [];
  if (who.classIds.length === 0) return [];
  const since = fromIsoDate(addDays(local.date, -CURRENT_NOTICE_DAYS));
  const rows = await db.announcement.findMany({
    where: {
      schoolId: actor.schoolId,
      createdAt: { gte: since },
      audience: { in: who.audiences },
      ...targetOf(who),
    },
    select: {
      id: true,
      scope: true,
      grade: true,
      text: true,
      file: true,
      authorId: true,
      createdAt: true,
      sentAt: true,
      class: { select: { name: true, classTeacherId: true } },
      receipts: { where: { personId }, select: { acknowledgedAt: true } },
    },
    orderBy: { id: "desc" },
    take: 20,
  });
  const missing = rows.filter((r) => r.receipts.length === 0).map((r) => r.id);
  if (missing.length) {
    await db.announcementReceipt.createMany({
      data: missing.map((announcementId) => ({ schoolId: actor.schoolId, announcementId, personId })),
      skipDuplicates: true,
    });
  }
  const authors = new Map(
    (
      await db.person.findMany({
        where: { id: { in: [...new Set(rows.map((r) => r.authorId))] } },
        select: { id: true, lastName: true, firstName: true, middleName: true },
      })
    ).map((p) => [p.id, [p.lastName, p.firstName, p.middleName].filter(Boolean).join(" ")]),
  );
  return rows.map((r) => ({
    announcementId: r.id,
    scope: r.scope,
    className: r.class?.name ?? null,
    grade: r.grade,
    authorName: authors.get(r.authorId) ?? "",
    fromClassTeacher: r.scope === "CLASS" && r.class?.classTeacherId === r.authorId,
    text: r.text,
    file: (r.file as AnnouncementFile | null) ?? null,
    sentAt: (r.sentAt ?? r.createdAt).toISOString(),
    acknowledged: !!r.receipts[0]?.acknowledgedAt,
  }));
}

/** The school calendar from today on: the reader's classes, parallels and the school (staff: everything). */
export async function schoolCalendar(
  db: DbOrTx,
  actor: AnyActor,
): Promise<{ today: IsoDate; events: SchoolEventItem[]; canAdd: boolean }> {
  requirePerson(actor);
  const { local } = await schoolNow(db, actor.schoolId);
  const who = await readerAudience(db, actor, local.date);
  const rows = await db.schoolEvent.findMany({
    where: {
      schoolId: actor.schoolId,
      date: { gte: fromIsoDate(local.date), lte: fromIsoDate(addDays(local.date, CALENDAR_DAYS)) },
      ...targetOf(who),
    },
    orderBy: [{ date: "asc" }, { time: "asc" }, { id: "asc" }],
    take: 40,
  });
  const classIds = [...new Set(rows.map((r) => r.classId).filter((x) => x !== null))];
  const names = new Map(
    (await db.classGroup.findMany({ where: { id: { in: classIds } }, select: { id: true, name: true } })).map((c) => [
      c.id,
      c.name,
    ]),
  );
  return {
    today: local.date,
    canAdd: can(actor, "calendar.manage"),
    events: rows.map((r) => ({
      eventId: r.id,
      kind: r.kind,
      date: toIsoDate(r.date),
      time: r.time,
      title: r.title,
      scope: r.scope,
      className: r.classId ? (names.get(r.classId) ?? null) : null,
      grade: r.grade,
    })),
  };
}

const eventSchema = z
  .object({
    kind: z.enum(["MEETING", "EXAM", "HOLIDAY", "EVENT"]),
    date: isoDateSchema,
    time: z.string().refine(isTime).optional(),
    title: z.string().trim().min(1).max(200),
    scope: z.enum(["CLASS", "PARALLEL", "SCHOOL"]),
    classId: idSchema.optional(),
    grade: z.number().int().min(1).max(11).optional(),
  })
  .strict();

/** The administration adds an event to the school calendar. */
export async function addSchoolEvent(db: Db, actor: AnyActor, input: z.input<typeof eventSchema>) {
  requirePermission(actor, "calendar.manage");
  const data = parseInput(eventSchema, input);
  if ((data.scope === "CLASS") !== (data.classId !== undefined)) throw invalid({ field: "classId" });
  if ((data.scope === "PARALLEL") !== (data.grade !== undefined)) throw invalid({ field: "grade" });
  return db.$transaction(async (tx) => {
    if (data.classId) {
      const cls = await tx.classGroup.findFirst({ where: { id: data.classId, schoolId: actor.schoolId } });
      if (!cls) throw notFound({ entity: "ClassGroup", id: data.classId });
    }
    const e = await tx.schoolEvent.create({
      data: {
        schoolId: actor.schoolId,
        kind: data.kind,
        date: fromIsoDate(data.date),
        time: data.time ?? null,
        title: data.title,
        scope: data.scope,
        classId: data.classId ?? null,
        grade: data.grade ?? null,
        createdById: actor.personId,
      },
      select: { id: true },
    });
    await appendAudit(tx, actor, {
      action: "school-event.create",
      entity: "SchoolEvent",
      entityId: e.id,
      data: {
        kind: data.kind,
        date: data.date,
        scope: data.scope,
        classId: data.classId ?? null,
        grade: data.grade ?? null,
      },
    });
    return { eventId: e.id };
  });
}

/** How many of these people use the bot (an account not blocked), for honest counts of a notice's reach. */
export async function connectedCount(db: DbOrTx, schoolId: number, personIds: number[]): Promise<number> {
  if (personIds.length === 0) return 0;
  return db.person.count({
    where: { schoolId, id: { in: personIds }, accounts: { some: { blockedAt: null } } },
  });
}
