// Every kind of button pressed by a teacher and by the director, and by a teacher, a parent and the director in
// the middle of each conversation the bot holds (a typed topic, a comment, a typed list of marks, a reason, a
// notice, a message to a teacher…): each press is answered exactly once and never «Что-то пошло не так».
// A press that is not the conversation's own leaves the conversation and is handled as it would be outside.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { homeworkCallback, typeTopicCallback } from "../../src/actions/lesson.ts";
import { menuCallback, replyCallback } from "../../src/actions/notices.ts";
import { settingCallback } from "../../src/bot/features/family/callbacks.ts";
import { syCalendarNew, syEventNew, syMove } from "../../src/bot/features/school-year/callbacks.ts";
import {
  commentCallback,
  fixValueCallback,
  textEntryCallback,
} from "../../src/bot/features/teacher-marks/callbacks.ts";
import { planUploadCallback } from "../../src/bot/features/term-grades/plan-upload.ts";
import { addDays } from "../../src/core/dates.ts";
import { addMarks } from "../../src/core/journal/marks.ts";
import { sendMessage } from "../../src/core/messages/send-message.ts";
import { pressStale, sweepCallbacks } from "../helpers/callback-sweep.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { buildSchool, lessonOf, type TestSchool } from "../helpers/factories.ts";
import { createFakeTelegram, type FakeTelegram, type FakeUser } from "../helpers/telegram.ts";

let db: TestDb;
let s: TestSchool;
let tg: FakeTelegram;
let math: FakeUser; // teaches Алгебра in 7Б, class teacher of 7Б
let parent: FakeUser;
let director: FakeUser;
let lessonId: number;
let studentId: number;
let ids: Record<string, number>;

beforeAll(async () => {
  db = await createTestDb();
  s = await buildSchool(db.prisma, { studentsPerClass: 5 });
  tg = await createFakeTelegram({ prisma: db.prisma, schoolId: s.schoolId });
  math = await tg.as(s.people.mathTeacher);
  director = await tg.as(s.people.director);
  lessonId = await lessonOf(db.prisma, s.assignments.algebra7b, addDays(s.monday, -7));
  studentId = s.students.c7b[0];
  const guardianId = s.guardians.get(studentId)![0];
  parent = await tg.as(guardianId);
  ids = {
    lessonId,
    studentId,
    classId: s.classes.c7b,
    assignmentId: s.assignments.algebra7b,
    periodId: s.periodId,
    subjectId: s.subjects.algebra,
    markId: await agedMark(),
    personId: s.people.mathTeacher,
    withPersonId: guardianId,
    id: s.classes.c7b,
    cls: s.classes.c7b,
  };
  const wrote = await sendMessage(db.prisma, await s.actor(guardianId), {
    toPersonId: s.people.mathTeacher,
    studentId,
    text: "Добрый день! Можно уточнить домашнее задание?",
  });
  ids.correspondenceId = wrote.correspondenceId;
}, 120_000);
afterAll(async () => {
  await db?.drop();
});

/** A mark of the lesson set an hour ago: past the grace period, so a change of it asks for a reason. */
async function agedMark(): Promise<number> {
  const actor = await s.actor(s.people.mathTeacher);
  const res = await addMarks(db.prisma, actor, { lessonId, workType: "oral", entries: [{ studentId, value: "4" }] });
  const markId = res.marks[0].markId;
  await db.prisma.mark.update({ where: { id: markId }, data: { createdAt: new Date(Date.now() - 3_600_000) } });
  return markId;
}

/** Presses `data` to start a conversation that waits for input (in place of any conversation before it). */
async function enter(user: FakeUser, start: () => string | Promise<string>): Promise<void> {
  const before = user.texts().length;
  const answers = await pressStale(tg, user, await start());
  expect(answers).toBe(1);
  expect(user.texts().length).toBeGreaterThan(before); // the conversation's first question
  user.chat.callbackAnswers.length = 0;
}

// a sweep presses every button prefix in turn: minutes on a busy machine
const SWEEP_BUDGET_MS = 300_000;

describe("every button pressed in the middle of a conversation is answered exactly once", () => {
  const conversations: { who: () => FakeUser; name: string; start: () => string | Promise<string> }[] = [
    { who: () => math, name: "a typed topic", start: () => typeTopicCallback.encode({ lessonId }) },
    { who: () => math, name: "homework", start: () => homeworkCallback.encode({ lessonId }) },
    {
      who: () => math,
      name: "a mark with a comment",
      start: () => commentCallback.encode({ lessonId, wt: "oral", studentId }),
    },
    { who: () => math, name: "a typed list of marks", start: () => textEntryCallback.encode({ lessonId, wt: "oral" }) },
    {
      who: () => math,
      name: "the reason of a correction",
      start: async () => fixValueCallback.encode({ markId: await agedMark(), wt: "oral", v: "3" }),
    },
    {
      who: () => math,
      name: "a reply to a parent",
      start: () => replyCallback.encode({ correspondenceId: ids.correspondenceId }),
    },
    { who: () => math, name: "a notice to the class", start: () => menuCallback.encode({ action: "new" }) },
    {
      who: () => math,
      name: "a thematic plan upload",
      start: () => planUploadCallback.encode({ assignmentId: s.assignments.algebra7b }),
    },
    { who: () => parent, name: "a message to a teacher", start: () => menuCallback.encode({ action: "msg" }) },
    { who: () => parent, name: "an absence report", start: () => menuCallback.encode({ action: "absence" }) },
    {
      who: () => parent,
      name: "another digest time",
      start: () => settingCallback.encode({ key: "menu", value: "digesttime" }),
    },
    { who: () => director, name: "a school event", start: () => syEventNew.encode({}) },
    { who: () => director, name: "a student leaving", start: () => syMove.encode({ action: "leave", id: studentId }) },
    { who: () => director, name: "a holiday order", start: () => syCalendarNew.encode({}) },
  ];

  for (const c of conversations) {
    it(
      c.name,
      async () => {
        const user = c.who();
        const problems = await sweepCallbacks(tg, user, {
          ids,
          own: [true],
          before: () => enter(user, c.start),
        });
        expect(problems).toEqual([]);
      },
      SWEEP_BUDGET_MS,
    );
  }
});

// Last: the director's sweep really closes the period it is given.
describe("every button is answered exactly once", () => {
  it(
    "as a teacher (and class teacher)",
    async () => {
      expect(await sweepCallbacks(tg, math, { ids })).toEqual([]);
    },
    SWEEP_BUDGET_MS,
  );

  it(
    "as the director",
    async () => {
      expect(await sweepCallbacks(tg, director, { ids })).toEqual([]);
    },
    SWEEP_BUDGET_MS,
  );
});
