// The lesson card: header, the roster as of the lesson date (enrollment and subgroup dates respected, R-18),
// each student's attendance and active marks, the topic and the homework. A fixed number of queries whatever
// the class size.
import { z } from "zod";
import { can, logAccess, requireLessonRead } from "../access/index.ts";
import type { AnyActor } from "../actor.ts";
import { type IsoDate, toIsoDate } from "../dates.ts";
import type { DbOrTx } from "../tx.ts";
import { fullName, idSchema, parseInput } from "./common.ts";
import { rosterOf } from "./roster.ts";

export interface CardMark {
  id: number;
  value: string;
  workType: string;
  weight: number;
  comment: string | null;
  authorId: number;
  createdAt: string;
}

export interface CardStudent {
  studentId: number;
  no: number;
  name: string;
  attendance: {
    attendanceId: number;
    status: "ABSENT" | "LATE";
    reason: "ILLNESS" | "EXCUSED" | "UNEXCUSED" | null;
  } | null;
  marks: CardMark[];
}

export interface CardHomework {
  id: number;
  text: string;
  dueDate: IsoDate;
  studentIds: number[];
  files: unknown[];
  authorId: number;
}

export interface LessonCard {
  lessonId: number;
  assignmentId: number;
  date: IsoDate;
  slot: number;
  startsAt: string | null;
  endsAt: string | null;
  classId: number;
  className: string;
  grade: number;
  subgroupId: number | null;
  subgroupNo: number | null;
  subjectId: number;
  subjectName: string;
  subjectShort: string;
  room: string | null;
  status: "SCHEDULED" | "HELD" | "CANCELLED";
  teacherId: number;
  teacherName: string;
  substituteId: number | null;
  substituteName: string | null;
  /** How the actor reaches the lesson: teacher, substitute, class-teacher, administration. */
  role: string;
  canWrite: boolean;
  /**
   * The actor may correct or void this lesson's marks after the correction window, with a reason (R-15,
   * journal.correct.late: the administration). Not a right to add marks: that is canWrite.
   */
  canCorrect: boolean;
  attendanceTaken: boolean;
  attendanceTakenAt: string | null;
  topic: string | null;
  planItemId: number | null;
  homework: CardHomework[];
  students: CardStudent[];
}

const cardInput = z.object({ lessonId: idSchema }).strict();

export async function lessonCard(db: DbOrTx, actor: AnyActor, input: { lessonId: number }): Promise<LessonCard> {
  const { lessonId } = parseInput(cardInput, input);
  const ctx = await requireLessonRead(db, actor, lessonId);
  if (ctx.role === "administration")
    await logAccess(db, actor, [{ entity: "Lesson", entityId: lessonId, what: "lesson-card" }]);
  const [lesson, bell, roster, attendance, marks, homework] = await Promise.all([
    db.lesson.findUniqueOrThrow({
      where: { id: ctx.lessonId },
      select: {
        room: true,
        status: true,
        topic: true,
        planItemId: true,
        attendanceTakenAt: true,
        assignment: {
          select: {
            class: { select: { name: true } },
            subgroup: { select: { number: true } },
            subject: { select: { name: true, short: true } },
            teacher: { select: { lastName: true, firstName: true } },
          },
        },
        substitutions: {
          where: { revokedAt: null },
          orderBy: { id: "desc" },
          take: 1,
          select: { substituteId: true, substitute: { select: { lastName: true, firstName: true } } },
        },
      },
    }),
    db.bellSlot.findFirst({ where: { schoolId: ctx.schoolId, number: ctx.slot } }),
    rosterOf(db, { schoolId: ctx.schoolId, classId: ctx.classId, subgroupId: ctx.subgroupId }, ctx.date),
    db.attendance.findMany({
      where: { lessonId: ctx.lessonId },
      select: { id: true, studentId: true, status: true, reason: true },
    }),
    db.mark.findMany({
      where: { lessonId: ctx.lessonId, status: "ACTIVE" },
      orderBy: { id: "asc" },
      select: {
        id: true,
        studentId: true,
        value: true,
        workType: true,
        weight: true,
        comment: true,
        authorId: true,
        createdAt: true,
      },
    }),
    db.homework.findMany({
      where: { lessonId: ctx.lessonId },
      orderBy: { id: "asc" },
      select: { id: true, text: true, dueDate: true, studentIds: true, files: true, authorId: true },
    }),
  ]);
  const byStudent = new Map(attendance.map((a) => [a.studentId, a]));
  const marksOf = new Map<number, CardMark[]>();
  for (const m of marks) {
    const list = marksOf.get(m.studentId) ?? [];
    list.push({
      id: m.id,
      value: m.value,
      workType: m.workType,
      weight: Number(m.weight),
      comment: m.comment,
      authorId: m.authorId,
      createdAt: m.createdAt.toISOString(),
    });
    marksOf.set(m.studentId, list);
  }
  const a = lesson.assignment;
  const sub = lesson.substitutions[0];
  return {
    lessonId: ctx.lessonId,
    assignmentId: ctx.assignmentId,
    date: ctx.date,
    slot: ctx.slot,
    startsAt: bell?.startsAt ?? null,
    endsAt: bell?.endsAt ?? null,
    classId: ctx.classId,
    className: a.class.name,
    grade: ctx.grade,
    subgroupId: ctx.subgroupId,
    subgroupNo: a.subgroup?.number ?? null,
    subjectId: ctx.subjectId,
    subjectName: a.subject.name,
    subjectShort: a.subject.short,
    room: lesson.room,
    status: lesson.status,
    teacherId: ctx.teacherId,
    teacherName: fullName(a.teacher),
    substituteId: sub?.substituteId ?? null,
    substituteName: sub ? fullName(sub.substitute) : null,
    role: ctx.role,
    canWrite: ctx.write,
    canCorrect: can(actor, "journal.correct.late"),
    attendanceTaken: lesson.attendanceTakenAt !== null,
    attendanceTakenAt: lesson.attendanceTakenAt?.toISOString() ?? null,
    topic: lesson.topic,
    planItemId: lesson.planItemId,
    homework: homework.map((h) => ({
      id: h.id,
      text: h.text,
      dueDate: toIsoDate(h.dueDate),
      studentIds: h.studentIds,
      files: Array.isArray(h.files) ? (h.files as unknown[]) : [],
      authorId: h.authorId,
    })),
    students: roster.map((r) => {
      const att = byStudent.get(r.studentId);
      return {
        studentId: r.studentId,
        no: r.no,
        name: fullName(r),
        attendance: att ? { attendanceId: att.id, status: att.status, reason: att.reason } : null,
        marks: marksOf.get(r.studentId) ?? [],
      };
    }),
  };
}
