// Reading correspondence: the actor's conversations (inbox), one conversation (thread) and one message
// to answer. Only the two parties of a message ever see it; a guardian whose consent was withdrawn sees
// nothing more. Opening marks the messages to the actor as read.
import { z } from "zod";
import { fullNameOf } from "../accounts/index.ts";
import type { AnyActor } from "../actor.ts";
import { fromIsoDate } from "../dates.ts";
import { AppError, forbidden } from "../errors.ts";
import { fullName, idSchema, parseInput, requirePerson, schoolNow } from "../journal/common.ts";
import type { DbOrTx } from "../tx.ts";

export interface InboxEntry {
  studentId: number;
  studentName: string;
  withPersonId: number;
  withName: string;
  lastText: string;
  lastAt: string;
  lastFromMe: boolean;
  unread: number;
}

export interface ThreadMessage {
  correspondenceId: number;
  fromMe: boolean;
  text: string;
  createdAt: string;
}

export interface Thread {
  studentId: number;
  studentName: string;
  withPersonId: number;
  withName: string;
  messages: ThreadMessage[];
}

export interface MessageToAnswer {
  correspondenceId: number;
  studentId: number;
  studentName: string;
  className: string | null;
  /** The other party: who the answer goes to. */
  withPersonId: number;
  withName: string;
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** Students whose guardianship of the actor exists but has no standing consent: their messages stay hidden. */
async function hiddenStudents(db: DbOrTx, schoolId: number, personId: number): Promise<Set<number>> {
  const rows = await db.guardianship.findMany({
    where: {
      schoolId,
      guardianId: personId,
      OR: [{ consentGivenAt: null }, { consentRevokedAt: { not: null } }, { endedAt: { not: null } }],
    },
    select: { studentId: true },
  });
  return new Set(rows.map((r) => r.studentId));
}

async function names(db: DbOrTx, schoolId: number, personIds: number[], studentIds: number[]) {
  const [people, students] = await Promise.all([
    db.person.findMany({
      where: { id: { in: personIds }, schoolId },
      select: { id: true, lastName: true, firstName: true, middleName: true },
    }),
    db.student.findMany({
      where: { id: { in: studentIds }, schoolId },
      select: { id: true, person: { select: { lastName: true, firstName: true } } },
    }),
  ]);
  return {
    person: new Map(people.map((p) => [p.id, fullNameOf(p)])),
    student: new Map(students.map((s) => [s.id, fullName(s.person)])),
  };
}

export async function inbox(db: DbOrTx, actor: AnyActor, opts: { limit?: number } = {}): Promise<InboxEntry[]> {
  const personId = requirePerson(actor);
  const rows = await db.correspondence.findMany({
    where: { schoolId: actor.schoolId, OR: [{ fromPersonId: personId }, { toPersonId: personId }] },
    orderBy: { id: "desc" },
    take: 500,
    select: { fromPersonId: true, toPersonId: true, studentId: true, text: true, createdAt: true, readAt: true },
  });
  const hidden = await hiddenStudents(db, actor.schoolId, personId);
  const threads = new Map<string, InboxEntry>();
  for (const r of rows) {
    if (r.studentId === null || hidden.has(r.studentId)) continue;
    const fromMe = r.fromPersonId === personId;
    const other = fromMe ? r.toPersonId : r.fromPersonId;
    const key = `${r.studentId}-${other}`;
    let t = threads.get(key);
    if (!t) {
      t = {
        studentId: r.studentId,
        studentName: "",
        withPersonId: other,
        withName: "",
        lastText: clip(r.text, 100),
        lastAt: r.createdAt.toISOString(),
        lastFromMe: fromMe,
        unread: 0,
      };
      threads.set(key, t);
    }
    if (!fromMe && !r.readAt) t.unread++;
  }
  const list = [...threads.values()].slice(0, Math.min(Math.max(opts.limit ?? 20, 1), 50));
  const n = await names(
    db,
    actor.schoolId,
    list.map((t) => t.withPersonId),
    list.map((t) => t.studentId),
  );
  return list.map((t) => ({
    ...t,
    studentName: n.student.get(t.studentId) ?? "",
    withName: n.person.get(t.withPersonId) ?? "",
  }));
}

const threadInput = z.object({ studentId: idSchema, withPersonId: idSchema }).strict();

export async function thread(
  db: DbOrTx,
  actor: AnyActor,
  input: { studentId: number; withPersonId: number },
): Promise<Thread> {
  const personId = requirePerson(actor);
  const q = parseInput(threadInput, input);
  if ((await hiddenStudents(db, actor.schoolId, personId)).has(q.studentId)) {
    throw new AppError("CONSENT_REQUIRED", { studentId: q.studentId });
  }
  const rows = await db.correspondence.findMany({
    where: {
      schoolId: actor.schoolId,
      studentId: q.studentId,
      OR: [
        { fromPersonId: personId, toPersonId: q.withPersonId },
        { fromPersonId: q.withPersonId, toPersonId: personId },
      ],
    },
    orderBy: { id: "desc" },
    take: 50,
    select: { id: true, fromPersonId: true, text: true, createdAt: true, readAt: true },
  });
  if (rows.length === 0) throw forbidden({ studentId: q.studentId, withPersonId: q.withPersonId });
  const unread = rows.filter((r) => r.fromPersonId !== personId && !r.readAt).map((r) => r.id);
  if (unread.length) {
    await db.correspondence.updateMany({ where: { id: { in: unread }, readAt: null }, data: { readAt: new Date() } });
  }
  const n = await names(db, actor.schoolId, [q.withPersonId], [q.studentId]);
  return {
    studentId: q.studentId,
    studentName: n.student.get(q.studentId) ?? "",
    withPersonId: q.withPersonId,
    withName: n.person.get(q.withPersonId) ?? "",
    messages: rows.reverse().map((r) => ({
      correspondenceId: r.id,
      fromMe: r.fromPersonId === personId,
      text: r.text,
      createdAt: r.createdAt.toISOString(),
    })),
  };
}

/** A message the actor received or sent, to answer it; marks it read when it was to the actor. */
export async function messageToAnswer(
  db: DbOrTx,
  actor: AnyActor,
  input: { correspondenceId: number },
): Promise<MessageToAnswer> {
  const personId = requirePerson(actor);
  const { correspondenceId } = parseInput(z.object({ correspondenceId: idSchema }).strict(), input);
  const c = await db.correspondence.findFirst({
    where: { id: correspondenceId, schoolId: actor.schoolId },
    select: { id: true, fromPersonId: true, toPersonId: true, studentId: true, readAt: true },
  });
  if (!c || c.studentId === null || (c.fromPersonId !== personId && c.toPersonId !== personId)) {
    throw forbidden({ correspondenceId });
  }
  if ((await hiddenStudents(db, actor.schoolId, personId)).has(c.studentId)) {
    throw new AppError("CONSENT_REQUIRED", { studentId: c.studentId });
  }
  if (c.toPersonId === personId && !c.readAt) {
    await db.correspondence.updateMany({ where: { id: c.id, readAt: null }, data: { readAt: new Date() } });
  }
  const other = c.fromPersonId === personId ? c.toPersonId : c.fromPersonId;
  const { local } = await schoolNow(db, actor.schoolId);
  const day = fromIsoDate(local.date);
  const [n, enrollment] = await Promise.all([
    names(db, actor.schoolId, [other], [c.studentId]),
    db.enrollment.findFirst({
      where: { studentId: c.studentId, fromDate: { lte: day }, OR: [{ toDate: null }, { toDate: { gt: day } }] },
      select: { class: { select: { name: true } } },
    }),
  ]);
  return {
    correspondenceId: c.id,
    studentId: c.studentId,
    studentName: n.student.get(c.studentId) ?? "",
    className: enrollment?.class.name ?? null,
    withPersonId: other,
    withName: n.person.get(other) ?? "",
  };
}
