// Every kind of button the bot knows, pressed by an unlinked user, a student and a parent: each press gets
// exactly one answer and never «Что-то пошло не так» (tests/helpers/callback-sweep.ts). Teachers, the
// director and presses in the middle of a conversation: callback-sweep-staff.test.ts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BotSchool, seedBotSchool } from "../helpers/bot-school.ts";
import { sweepCallbacks } from "../helpers/callback-sweep.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { createFakeTelegram, type FakeTelegram, type FakeUser } from "../helpers/telegram.ts";

let db: TestDb;
let s: BotSchool;
let tg: FakeTelegram;
let ids: Record<string, number>;

const sweep = (user: FakeUser) => sweepCallbacks(tg, user, { ids });

beforeAll(async () => {
  db = await createTestDb();
  s = await seedBotSchool(db.prisma);
  tg = await createFakeTelegram({ prisma: db.prisma, schoolId: s.schoolId });
  const student = await db.prisma.student.findFirstOrThrow({ where: { personId: s.studentId } });
  ids = { studentId: student.id, classId: s.classId, personId: s.teacherId, withPersonId: s.teacherId };
});
afterAll(async () => {
  await db.drop();
});

// a sweep presses every button prefix in turn: minutes on a busy machine
const SWEEP_BUDGET_MS = 300_000;

describe("every button is answered exactly once", () => {
  it(
    "as an unlinked user",
    async () => {
      expect(await sweep(tg.stranger())).toEqual([]);
    },
    SWEEP_BUDGET_MS,
  );

  it(
    "as a student",
    async () => {
      expect(await sweep(await tg.as(s.studentId))).toEqual([]);
    },
    SWEEP_BUDGET_MS,
  );

  it(
    "as a parent",
    async () => {
      expect(await sweep(await tg.as(s.guardianId))).toEqual([]);
    },
    SWEEP_BUDGET_MS,
  );
});
