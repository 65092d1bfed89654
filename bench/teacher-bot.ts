// The teacher's attendance flow through the real bot (grammY, core, PostgreSQL; Telegram faked at the fetch
// level): server-side handling time of one roster tap and of saving a 30-student lesson (p50/p95 over 200
// runs each), and sustained updates per second of the whole flow (card → «Посещаемость» → 3 taps →
// «Сохранить») by four teachers at once for a bounded time. Uses DATABASE_URL, else an embedded PostgreSQL.
import {
  attendanceOpenCallback,
  attendanceSaveCallback,
  attendanceTapCallback,
  cardCallback,
} from "../src/bot/features/teacher-lesson/callbacks.ts";
import { localMoment } from "../src/core/dates.ts";
import { createLogger } from "../src/logger.ts";
import { buildSchool } from "../tests/helpers/factories.ts";
import { createFakeTelegram, type FakeTelegram, type FakeUser } from "../tests/helpers/telegram.ts";
import { benchDatabase } from "./helpers.ts";

const RUNS = 200;
const FLOW_MS = 10_000;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const ms = (ns: bigint) => Number(ns) / 1e6;
const round = (x: number) => Math.round(x * 100) / 100;

/** Feeds a press of the first button whose data matches, on the user's last message; returns handling time. */
async function pressTimed(tg: FakeTelegram, user: FakeUser, match: (data: string) => boolean): Promise<number> {
  const message = user.lastMessage()!;
  const button = message.reply_markup?.inline_keyboard.flat().find((b) => b.callback_data && match(b.callback_data));
  if (!button?.callback_data) throw new Error(`no matching button on: ${message.text?.slice(0, 60)}`);
  const update = tg.emulator.userPress(user.id, message.message_id, button.callback_data);
  const t0 = process.hrtime.bigint();
  await tg.bot.handleUpdate(update as never);
  return ms(process.hrtime.bigint() - t0);
}

const isTap = (idx: number) => (d: string) => attendanceTapCallback.parse(d)?.idx === idx;
const isSave = (d: string) => attendanceSaveCallback.parse(d) !== null;

export async function benchTeacherBot(): Promise<Record<string, number | string>> {
  const db = await benchDatabase("teacher");
  const { prisma } = db;
  try {
    const today = localMoment("Europe/Moscow").date;
    const s = await buildSchool(prisma, { today, studentsPerClass: 30 });
    // the latest lesson up to today of each assignment (a past one on a weekend: late entry is allowed)
    const latest = (assignmentId: number) =>
      prisma.lesson.findFirstOrThrow({
        where: { assignmentId, date: { lte: new Date(`${today}T00:00:00Z`) } },
        orderBy: [{ date: "desc" }, { slot: "desc" }],
        select: { id: true },
      });
    const tg = await createFakeTelegram({ prisma, schoolId: s.schoolId, logger: createLogger("silent") });

    async function openRoster(user: FakeUser, lessonId: number): Promise<void> {
      if (!user.lastMessage()?.reply_markup) await user.send("/today");
      await user.press(
        attendanceOpenCallback.encode({ lessonId }),
        user.messages.findLast((m) => m.reply_markup),
      );
    }

    // 1. one roster tap (30 students), 200 runs
    const math = await tg.as(s.people.mathTeacher);
    await math.send("/today");
    const algebra = (await latest(s.assignments.algebra7b)).id;
    await openRoster(math, algebra);
    const tapTimes: number[] = [];
    for (let i = 0; i < RUNS; i++) tapTimes.push(await pressTimed(tg, math, isTap(i % 30)));

    // 2. saving a 30-student lesson (each save changes one student, so it writes, audits and notifies)
    const saveTimes: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      await openRoster(math, algebra);
      await pressTimed(tg, math, isTap(i % 30));
      saveTimes.push(await pressTimed(tg, math, isSave));
      tg.calls.length = 0;
    }
    const failed = tg.failedCalls().length;

    // 3. sustained flow: four teachers, each on their own lesson, card → attendance → 3 taps → save
    const teachers = [
      [s.people.mathTeacher, s.assignments.algebra7b],
      [s.people.russianTeacher, s.assignments.russian7b],
      [s.people.englishTeacher1, s.assignments.eng7b1],
      [s.people.englishTeacher2, s.assignments.eng7b2],
    ] as const;
    let updates = 0;
    const started = Date.now();
    await Promise.all(
      teachers.map(async ([personId, assignmentId], n) => {
        const user = await tg.as(personId);
        const lessonId = (await latest(assignmentId)).id;
        await user.send("/today");
        let pass = 0;
        while (Date.now() - started < FLOW_MS) {
          await user.press(
            cardCallback.encode({ lessonId }),
            user.messages.findLast((m) => m.reply_markup),
          );
          await pressTimed(tg, user, (d) => attendanceOpenCallback.parse(d) !== null);
          for (let k = 0; k < 3; k++) await pressTimed(tg, user, isTap((pass + k + n) % 15));
          await pressTimed(tg, user, isSave);
          updates += 6;
          pass++;
        }
      }),
    );
    const elapsed = (Date.now() - started) / 1000;
    tapTimes.sort((a, b) => a - b);
    saveTimes.sort((a, b) => a - b);
    return {
      "roster tap p50 (ms)": round(percentile(tapTimes, 50)),
      "roster tap p95 (ms)": round(percentile(tapTimes, 95)),
      "save 30-student lesson p50 (ms)": round(percentile(saveTimes, 50)),
      "save 30-student lesson p95 (ms)": round(percentile(saveTimes, 95)),
      "teacher flow updates/s (4 teachers)": round(updates / elapsed),
      "teacher flow duration (s)": round(elapsed),
      "runs per figure": RUNS,
      "telegram calls refused": failed + tg.failedCalls().length,
    };
  } finally {
    await db.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await benchTeacherBot());
}
