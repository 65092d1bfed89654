// The lesson-start prompt (issue 4): every minute, per school, the lessons whose bell has just rung (school
// time zone) and whose attendance is not taken get ONE message to their teacher — or the active substitute —
// with "all present" and "mark absentees". Built at the scan and sent through the delivery engine with
// dedupKey "lesson-prompt-<lessonId>" (the Delivery ledger sends it at most once), and Lesson.promptSentAt
// marks the lesson as prompted. Teachers who turned prompts off (Preference.lessonPrompt = false) get none.
import { z } from "zod";
import { promptKeyboard } from "../../actions/lesson-prompt.ts";
import { fromIsoDate, localMoment, timeToMinutes, toIsoDate } from "../../core/dates.ts";
import { getSchool } from "../../core/settings.ts";
import type { Db, DbOrTx } from "../../core/tx.ts";
import { pickLanguage, translator } from "../../i18n.ts";
import type { Logger } from "../../logger.ts";
import { actionButtons } from "../outbox/buttons.ts";
import type { OutboxHandler, OutgoingMessage } from "../outbox/handler.ts";
import { defineJob, type JobContext, processorFor } from "../registry.ts";
import type { JobsModule, JobsModuleDeps, JobsModuleFactory } from "./index.ts";

export const LESSON_PROMPT_KIND = "lesson.prompt";
/** A lesson is prompted within this many minutes after its bell (a late scheduler tick still catches it). */
export const PROMPT_WINDOW_MINUTES = 10;
export const lessonPromptDedupKey = (lessonId: number) => `lesson-prompt-${lessonId}`;

export const lessonPromptScanJob = defineJob({
  name: "lesson-prompt.scan",
  queue: "maintenance",
  schema: z.object({ schoolId: z.number().int().positive() }),
  options: { attempts: 1, removeOnComplete: true, removeOnFail: { count: 100 } },
});

const lessonSelect = {
  id: true,
  schoolId: true,
  date: true,
  slot: true,
  room: true,
  status: true,
  attendanceTakenAt: true,
  assignment: {
    select: {
      teacherId: true,
      class: { select: { name: true } },
      subgroup: { select: { number: true } },
      subject: { select: { name: true } },
    },
  },
  substitutions: {
    where: { revokedAt: null },
    orderBy: { id: "desc" as const },
    take: 1,
    select: { substituteId: true },
  },
};

/** Who is prompted for a lesson: the active substitute, else the teacher. */
function recipientOf(l: { assignment: { teacherId: number }; substitutions: { substituteId: number }[] }): number {
  return l.substitutions[0]?.substituteId ?? l.assignment.teacherId;
}

async function promptsOff(db: DbOrTx, personIds: number[]): Promise<Set<number>> {
  if (personIds.length === 0) return new Set();
  const rows = await db.preference.findMany({
    where: { personId: { in: personIds }, lessonPrompt: false },
    select: { personId: true },
  });
  return new Set(rows.map((r) => r.personId));
}

export interface DuePrompt {
  lessonId: number;
  personId: number;
}

/** Lessons of the school whose bell rang in the last PROMPT_WINDOW_MINUTES and that still need a prompt. */
export async function dueLessonPrompts(db: DbOrTx, schoolId: number, now: Date): Promise<DuePrompt[]> {
  const school = await getSchool(db, schoolId);
  const local = localMoment(school.timezone, now);
  const bells = await db.bellSlot.findMany({ where: { schoolId }, select: { number: true, startsAt: true } });
  const slots = bells
    .filter((b) => {
      const start = timeToMinutes(b.startsAt);
      return start <= local.minutes && local.minutes < start + PROMPT_WINDOW_MINUTES;
    })
    .map((b) => b.number);
  if (slots.length === 0) return [];
  const lessons = await db.lesson.findMany({
    where: {
      schoolId,
      date: fromIsoDate(local.date),
      slot: { in: slots },
      status: { not: "CANCELLED" },
      promptSentAt: null,
      attendanceTakenAt: null,
    },
    select: lessonSelect,
    orderBy: { id: "asc" },
  });
  const due = lessons.map((l) => ({ lessonId: l.id, personId: recipientOf(l) }));
  const off = await promptsOff(
    db,
    due.map((d) => d.personId),
  );
  return due.filter((d) => !off.has(d.personId));
}

/**
 * One scan: builds the prompt of every due lesson and hands them to the ledger (dedupKey per lesson, so a
 * repeated scan or a second process adds nothing), then marks the lessons prompted.
 */
export async function scanLessonPrompts(
  db: Db,
  schoolId: number,
  now: Date,
  deliver: JobContext["deliver"],
  logger: Logger,
): Promise<{ prompted: number }> {
  const due = await dueLessonPrompts(db, schoolId, now);
  const messages: OutgoingMessage[] = [];
  for (const d of due) {
    const row = { schoolId, kind: LESSON_PROMPT_KIND, payload: { lessonId: d.lessonId } };
    messages.push(...(await lessonPromptHandler.handle(row, { db, now, logger })));
  }
  await deliver(messages);
  if (due.length > 0) {
    await db.lesson.updateMany({
      where: { id: { in: due.map((d) => d.lessonId) }, promptSentAt: null },
      data: { promptSentAt: now },
    });
  }
  return { prompted: due.length };
}

const payloadSchema = z.object({ lessonId: z.number().int().positive() });

/**
 * lesson.prompt { lessonId } → the prompt for the lesson's teacher (or substitute), in their language, with the
 * buttons. Nothing when the lesson was cancelled, its attendance is already taken, it has ended, or the person
 * turned prompts off.
 */
export const lessonPromptHandler: OutboxHandler = {
  kind: LESSON_PROMPT_KIND,
  /** Not when the lesson was cancelled or its attendance taken meanwhile. */
  async isCurrent(db, ref) {
    const n = await db.lesson.count({
      where: { id: Number(ref.lessonId), status: { not: "CANCELLED" }, attendanceTakenAt: null },
    });
    return n > 0;
  },
  async handle(row, { db, now }) {
    const { lessonId } = payloadSchema.parse(row.payload);
    const l = await db.lesson.findUnique({ where: { id: lessonId }, select: lessonSelect });
    if (!l || l.schoolId !== row.schoolId || l.status === "CANCELLED" || l.attendanceTakenAt) return [];
    const [school, bell] = await Promise.all([
      getSchool(db, row.schoolId),
      db.bellSlot.findFirst({
        where: { schoolId: row.schoolId, number: l.slot },
        select: { startsAt: true, endsAt: true },
      }),
    ]);
    const local = localMoment(school.timezone, now);
    const date = toIsoDate(l.date);
    if (date !== local.date || (bell && local.minutes >= timeToMinutes(bell.endsAt))) return [];
    const personId = recipientOf(l);
    const [pref, account] = await Promise.all([
      db.preference.findUnique({ where: { personId }, select: { locale: true, lessonPrompt: true } }),
      db.messengerAccount.findFirst({
        where: { schoolId: row.schoolId, personId },
        orderBy: { linkedAt: "desc" },
        select: { languageCode: true },
      }),
    ]);
    if (pref && !pref.lessonPrompt) return [];
    const t = translator(pickLanguage(pref?.locale ?? account?.languageCode));
    const a = l.assignment;
    return [
      {
        dedupKey: lessonPromptDedupKey(l.id),
        schoolId: row.schoolId,
        personId,
        kind: LESSON_PROMPT_KIND,
        render: {
          key: "teacher-lesson:prompt.text",
          params: {
            slot: l.slot,
            time: bell ? `${bell.startsAt}–${bell.endsAt}` : "",
            subject: a.subject.name,
            group: a.subgroup
              ? t("teacher-lesson:group.subgroup", { className: a.class.name, no: a.subgroup.number })
              : a.class.name,
            room: l.room
              ? t("teacher-lesson:day.room", { room: l.room, context: /^\d/.test(l.room) ? undefined : "named" })
              : "",
          },
        },
        buttons: actionButtons(promptKeyboard(t, l.id)),
        ref: { lessonId: l.id },
      },
    ];
  },
};

export interface LessonPromptDeps extends JobsModuleDeps {
  /** The clock (tests pin it). */
  now?: () => Date;
}

export function createLessonPromptModule(deps: LessonPromptDeps): JobsModule {
  const now = deps.now ?? (() => new Date());
  const log: Logger = deps.logger;
  return {
    definitions: [lessonPromptScanJob],
    processors: [
      processorFor(lessonPromptScanJob, async ({ schoolId }, ctx) => {
        const r = await scanLessonPrompts(deps.prisma, schoolId, now(), ctx.deliver, ctx.logger ?? log);
        if (r.prompted > 0) (ctx.logger ?? log).info({ schoolId, ...r }, "lesson prompts enqueued");
        return r;
      }),
    ],
    schedules: [{ id: "lesson-prompt", job: lessonPromptScanJob, every: 60_000, perSchool: true }],
    handlers: [lessonPromptHandler],
  };
}

export const lessonPromptModule: JobsModuleFactory = (deps) => createLessonPromptModule(deps);
