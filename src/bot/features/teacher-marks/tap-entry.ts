// Marks by taps: the roster for a work type (chosen type remembered as the teacher's default), a student →
// their marks of the lesson or the value keypad → the mark saved at once for that student and the roster shown
// again with it, with «Отменить» for the grace period. In correction mode (the administration, R-15) the roster
// and a student's marks only lead to corrections (corrections.ts).
import { Composer } from "grammy";
import { addMarks } from "../../../core/journal/marks.ts";
import { setDefaultWorkType } from "../../../core/preferences/work-type.ts";
import type { BotContext } from "../../context.ts";
import { answer } from "../../ui/index.ts";
import { keypadCallback, rosterCallback, studentCallback, valueCallback } from "./callbacks.ts";
import { onCallback, who } from "./common.ts";
import { workTypeName } from "./format.ts";
import {
  correctionMode,
  loadMarks,
  type MarksData,
  requireMarksReachable,
  requireMarksWritable,
  requireWorkType,
  showKeypad,
  showRoster,
  showStudentMarks,
  studentName,
  studentOf,
} from "./screens.ts";

export const tapEntryFeature = new Composer<BotContext>();

/** A roster student or a polite refusal (a stale or tampered button). */
async function studentOrRefuse(ctx: BotContext, data: MarksData, studentId: number) {
  const student = studentOf(data, studentId);
  if (!student) await answer(ctx, ctx.t("teacher-marks:notOnRoster"), true);
  return student;
}

onCallback(tapEntryFeature, rosterCallback, async (ctx, { lessonId, wt }) => {
  const { db, actor } = who(ctx);
  const data = await loadMarks(db, actor, lessonId);
  requireMarksReachable(data);
  requireWorkType(data, wt);
  if (!correctionMode(data)) await setDefaultWorkType(db, actor, { workType: wt });
  await showRoster(ctx, data, wt);
});

onCallback(tapEntryFeature, studentCallback, async (ctx, { lessonId, wt, studentId }) => {
  const { db, actor } = who(ctx);
  const data = await loadMarks(db, actor, lessonId);
  requireMarksReachable(data);
  const student = await studentOrRefuse(ctx, data, studentId);
  if (!student) return;
  if (student.marks.length > 0) await showStudentMarks(ctx, data, wt, student);
  else if (correctionMode(data)) await answer(ctx, ctx.t("teacher-marks:noMarksToCorrect"), true);
  else await showKeypad(ctx, data, wt, student);
});

onCallback(tapEntryFeature, keypadCallback, async (ctx, { lessonId, wt, studentId }) => {
  const { db, actor } = who(ctx);
  const data = await loadMarks(db, actor, lessonId);
  requireMarksWritable(data);
  const student = await studentOrRefuse(ctx, data, studentId);
  if (student) await showKeypad(ctx, data, wt, student);
});

onCallback(tapEntryFeature, valueCallback, async (ctx, { lessonId, wt, studentId, v }) => {
  const { db, actor } = who(ctx);
  // The core checks access, the roster, the scale and R-14; the keypad only offers what it allows.
  const saved = await addMarks(db, actor, { lessonId, workType: wt, entries: [{ studentId, value: v }] });
  const data = await loadMarks(db, actor, lessonId);
  const mark = saved.marks[0];
  const name = studentName(data, studentId);
  const lines = [
    ctx.t("teacher-marks:saved", { name, value: mark.value, workType: workTypeName(ctx, saved.workType) }),
  ];
  if (saved.lateEntry) lines.push(ctx.t("teacher-marks:lateEntry", { days: data.settings.writtenWorkDays }));
  await showRoster(ctx, data, wt, { lines, undo: { from: mark.markId, to: mark.markId } });
});
