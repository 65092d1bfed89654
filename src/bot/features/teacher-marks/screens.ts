// The marks screens as text + keyboard: the work-type choice, the roster, a student's marks, the value keypad
// and one mark with its history. Data comes from the core (lessonCard, getSchool, markHistory); nothing here
// decides access: a screen that writes is only offered where the core says the actor writes the lesson.
import type { AnyActor } from "../../../core/actor.ts";
import { localMoment } from "../../../core/dates.ts";
import { AppError, forbidden, invalid } from "../../../core/errors.ts";
import { workTypesForSubject } from "../../../core/grading/subject-work-types.ts";
import type { MarkHistoryResult } from "../../../core/journal/corrections.ts";
import { type CardStudent, type LessonCard, lessonCard } from "../../../core/journal/lesson-card.ts";
import { getSchool, type SchoolSettings, type WorkType, workTypeOf } from "../../../core/settings.ts";
import type { Db } from "../../../core/tx.ts";
import type { InnerContext } from "../../context.ts";
import { show } from "../../ui/index.ts";
import { openMarksCallback } from "../teacher-lesson/card-actions.ts";
import {
  backToCardCallback,
  commentCallback,
  fixCallback,
  fixValueCallback,
  keypadCallback,
  markCallback,
  rosterCallback,
  studentCallback,
  textEntryCallback,
  undoCallback,
  valueCallback,
  valueWord,
  voidCallback,
} from "./callbacks.ts";
import {
  dayMonth,
  keypadValues,
  lessonTitle,
  orderedWorkTypes,
  rosterNames,
  shortName,
  weightText,
  workTypeName,
} from "./format.ts";
import { button, type Keyboard, rows } from "./ui.ts";

/** What every marks screen needs: the lesson card and the school's settings. JSON-safe. */
export interface MarksData {
  card: LessonCard;
  settings: SchoolSettings;
  timezone: string;
}

export async function loadMarks(db: Db, actor: AnyActor, lessonId: number): Promise<MarksData> {
  const card = await lessonCard(db, actor, { lessonId });
  const school = await getSchool(db, actor.schoolId);
  return { card, settings: school.settings, timezone: school.timezone };
}

/** Marks are given only by who writes the lesson (core's canWrite), and not in grades without marks. */
export function requireMarksWritable(data: MarksData): void {
  if (!data.card.canWrite) throw forbidden({ lessonId: data.card.lessonId });
  if (data.settings.gradesWithoutMarks.includes(data.card.grade)) {
    throw new AppError("NO_MARKS_FOR_GRADE", { grade: data.card.grade, lessonId: data.card.lessonId });
  }
}

/**
 * Correction mode: the actor reads the lesson without writing it but the core lets them correct its marks late
 * (canCorrect: the administration, R-15). They see the marks and correct or void them with a reason; no new marks.
 */
export function correctionMode(data: MarksData): boolean {
  return !data.card.canWrite && data.card.canCorrect;
}

/** The marks screens are open to who writes the lesson and, in correction mode, to the administration. */
export function requireMarksReachable(data: MarksData): void {
  if (correctionMode(data)) return;
  requireMarksWritable(data);
}

/** The work type a correction-mode screen carries along (any of the school's: the roster shows every mark). */
export function anyWorkType(data: MarksData): string {
  return data.settings.workTypes[0]?.code ?? "oral";
}

export function requireWorkType(data: MarksData, wt: string): WorkType {
  const workType = workTypeOf(data.settings, wt);
  if (!workType) throw invalid({ issues: [{ path: "workType", code: "unknown_work_type" }] });
  return workType;
}

export function studentOf(data: MarksData, studentId: number): CardStudent | undefined {
  return data.card.students.find((s) => s.studentId === studentId);
}

/** A student's short name as the roster shows it (told apart from classmates with the same initial). */
export function studentName(data: MarksData, studentId: number): string {
  return rosterNames(data.card.students).get(studentId) ?? "";
}

/** A screen's header line for a work type: "Oral answer (weight 1)" parts. */
export function workTypeParams(ctx: InnerContext, workType: WorkType) {
  return { workType: workTypeName(ctx, workType.code), weight: weightText(workType.weight) };
}

export async function showWorkTypes(ctx: InnerContext, data: MarksData, preferred: string | null): Promise<void> {
  const lessonId = data.card.lessonId;
  const offered = workTypesForSubject(data.settings, data.card.subjectName);
  const buttons = orderedWorkTypes({ ...data.settings, workTypes: offered }, preferred).map((w) => {
    const name = workTypeName(ctx, w.code);
    const text = w.code === preferred ? ctx.t("teacher-marks:defaultWorkType", { name }) : name;
    return button(text, rosterCallback.encode({ lessonId, wt: w.code }));
  });
  const keyboard: Keyboard = [
    ...rows(buttons, 2),
    [button(ctx.t("teacher-marks:buttons.backToCard"), backToCardCallback.encode({ lessonId }))],
  ];
  await show(ctx, {
    text: ctx.t("teacher-marks:chooseWorkType", { lesson: lessonTitle(ctx, data.card) }),
    keyboard: keyboard,
  });
}

export interface RosterNotice {
  lines: string[];
  /** The marks just saved together, for "Undo". */
  undo?: { from: number; to: number };
}

export async function showRoster(ctx: InnerContext, data: MarksData, wt: string, notice?: RosterNotice) {
  if (correctionMode(data)) return showCorrectionRoster(ctx, data, wt, notice);
  const workType = requireWorkType(data, wt);
  const lessonId = data.card.lessonId;
  const header = ctx.t("teacher-marks:rosterHeader", {
    lesson: lessonTitle(ctx, data.card),
    ...workTypeParams(ctx, workType),
  });
  const parts = [header];
  if (notice?.lines.length) parts.push(notice.lines.join("\n"));
  parts.push(data.card.students.length > 0 ? ctx.t("teacher-marks:rosterHint") : ctx.t("teacher-marks:rosterEmpty"));
  const names = rosterNames(data.card.students);
  const students = data.card.students.map((s) => {
    const name = names.get(s.studentId) ?? shortName(s.name);
    const marks = s.marks.map((m) => m.value).join(" ");
    const text = marks
      ? ctx.t("teacher-marks:studentButtonMarks", { no: s.no, name, marks })
      : ctx.t("teacher-marks:studentButton", { no: s.no, name });
    return button(text, studentCallback.encode({ lessonId, wt, studentId: s.studentId }));
  });
  const keyboard: Keyboard = [];
  if (notice?.undo) {
    keyboard.push([button(ctx.t("teacher-marks:buttons.undo"), undoCallback.encode({ lessonId, wt, ...notice.undo }))]);
  }
  keyboard.push(...rows(students, 2));
  keyboard.push([
    button(ctx.t("teacher-marks:buttons.textEntry"), textEntryCallback.encode({ lessonId, wt })),
    button(ctx.t("teacher-marks:buttons.changeWorkType"), openMarksCallback.encode({ lessonId })),
  ]);
  keyboard.push([button(ctx.t("teacher-marks:buttons.backToCard"), backToCardCallback.encode({ lessonId }))]);
  await show(ctx, { text: parts.join("\n\n"), keyboard: keyboard });
}

/** The roster in correction mode: only the students with marks of the lesson, no entry buttons. */
async function showCorrectionRoster(ctx: InnerContext, data: MarksData, wt: string, notice?: RosterNotice) {
  requireWorkType(data, wt);
  const lessonId = data.card.lessonId;
  const withMarks = data.card.students.filter((s) => s.marks.length > 0);
  const names = rosterNames(data.card.students);
  const parts = [ctx.t("teacher-marks:correctionHeader", { lesson: lessonTitle(ctx, data.card) })];
  if (notice?.lines.length) parts.push(notice.lines.join("\n"));
  parts.push(withMarks.length > 0 ? ctx.t("teacher-marks:correctionHint") : ctx.t("teacher-marks:correctionEmpty"));
  const students = withMarks.map((s) =>
    button(
      ctx.t("teacher-marks:studentButtonMarks", {
        no: s.no,
        name: names.get(s.studentId) ?? shortName(s.name),
        marks: s.marks.map((m) => m.value).join(" "),
      }),
      studentCallback.encode({ lessonId, wt, studentId: s.studentId }),
    ),
  );
  const keyboard: Keyboard = [
    ...rows(students, 2),
    [button(ctx.t("teacher-marks:buttons.backToCard"), backToCardCallback.encode({ lessonId }))],
  ];
  await show(ctx, { text: parts.join("\n\n"), keyboard: keyboard });
}

export function markLine(ctx: InnerContext, m: { value: string; workType: string; comment: string | null }) {
  const comment = m.comment ? ctx.t("teacher-marks:commentSuffix", { comment: m.comment }) : "";
  return ctx.t("teacher-marks:markLine", { value: m.value, workType: workTypeName(ctx, m.workType), comment });
}

const MAX_MARK_BUTTONS = 20;

export async function showStudentMarks(ctx: InnerContext, data: MarksData, wt: string, student: CardStudent) {
  const workType = requireWorkType(data, wt);
  const lessonId = data.card.lessonId;
  const lines = student.marks.map((m) => markLine(ctx, m)).join("\n");
  // Telegram refuses a keyboard of more than about a hundred buttons: only the newest marks get one.
  const keyboard: Keyboard = student.marks
    .slice(-MAX_MARK_BUTTONS)
    .map((m) => [
      button(
        ctx.t("teacher-marks:buttons.markOf", { value: m.value, workType: workTypeName(ctx, m.workType) }),
        markCallback.encode({ markId: m.id, wt }),
      ),
    ]);
  if (!correctionMode(data)) {
    keyboard.push([
      button(
        ctx.t("teacher-marks:buttons.newMark", { workType: workTypeName(ctx, workType.code) }),
        keypadCallback.encode({ lessonId, wt, studentId: student.studentId }),
      ),
    ]);
  }
  keyboard.push([button(ctx.t("teacher-marks:buttons.backToRoster"), rosterCallback.encode({ lessonId, wt }))]);
  await show(ctx, { text: ctx.t("teacher-marks:studentMarks", { name: student.name, lines }), keyboard: keyboard });
}

export async function showKeypad(ctx: InnerContext, data: MarksData, wt: string, student: CardStudent) {
  const workType = requireWorkType(data, wt);
  const lessonId = data.card.lessonId;
  const studentId = student.studentId;
  const values = keypadValues(data.settings).map((v) =>
    button(v, valueCallback.encode({ lessonId, wt, studentId, v: valueWord(v) })),
  );
  const back: Keyboard[number] = [
    button(ctx.t("teacher-marks:buttons.backToRoster"), rosterCallback.encode({ lessonId, wt })),
  ];
  if (student.marks.length > 0) {
    back.unshift(
      button(ctx.t("teacher-marks:buttons.backToStudent"), studentCallback.encode({ lessonId, wt, studentId })),
    );
  }
  const keyboard: Keyboard = [
    values,
    [button(ctx.t("teacher-marks:buttons.comment"), commentCallback.encode({ lessonId, wt, studentId }))],
    back,
  ];
  await show(ctx, {
    text: ctx.t("teacher-marks:keypad", { name: student.name, ...workTypeParams(ctx, workType) }),
    keyboard: keyboard,
  });
}

function when(data: MarksData, iso: string) {
  const local = localMoment(data.timezone, new Date(iso));
  return { date: dayMonth(local.date), time: local.time };
}

export async function showMark(ctx: InnerContext, data: MarksData, history: MarkHistoryResult, wt: string) {
  const current = history.chain.find((m) => m.markId === history.markId) ?? history.chain[history.chain.length - 1];
  const student = studentOf(data, history.studentId);
  const name = student?.name ?? "";
  const lessonId = data.card.lessonId;
  const weight = workTypeOf(data.settings, current.workType)?.weight ?? 1;
  const parts = [
    ctx.t("teacher-marks:markTitle", {
      name,
      lesson: lessonTitle(ctx, data.card),
      value: current.value,
      workType: workTypeName(ctx, current.workType),
      weight: weightText(weight),
    }),
  ];
  if (current.comment) parts.push(ctx.t("teacher-marks:markComment", { comment: current.comment }));
  parts.push(ctx.t("teacher-marks:markAuthor", { author: current.authorName, ...when(data, current.createdAt) }));
  if (history.chain.length > 1) {
    const lines = history.chain.map((m) =>
      ctx.t("teacher-marks:markHistoryLine", {
        ...when(data, m.createdAt),
        value: m.status === "VOIDED" ? "—" : m.value,
        author: m.authorName,
        reason: m.reason ? ctx.t("teacher-marks:markHistoryReason", { reason: m.reason }) : "",
      }),
    );
    parts.push([ctx.t("teacher-marks:markHistoryTitle"), ...lines].join("\n"));
  }
  const keyboard: Keyboard = [];
  if (current.status === "ACTIVE") {
    keyboard.push([
      button(ctx.t("teacher-marks:buttons.fix"), fixCallback.encode({ markId: current.markId, wt })),
      button(ctx.t("teacher-marks:buttons.void"), voidCallback.encode({ markId: current.markId, wt })),
    ]);
  } else {
    parts.push(ctx.t("teacher-marks:markNotActive"));
  }
  const back = [button(ctx.t("teacher-marks:buttons.backToRoster"), rosterCallback.encode({ lessonId, wt }))];
  if (student) {
    back.unshift(
      button(
        ctx.t("teacher-marks:buttons.backToStudent"),
        studentCallback.encode({ lessonId, wt, studentId: student.studentId }),
      ),
    );
  }
  keyboard.push(back);
  await show(ctx, { text: parts.join("\n"), keyboard: keyboard });
}

export async function showFixKeypad(ctx: InnerContext, data: MarksData, history: MarkHistoryResult, wt: string) {
  const current = history.chain.find((m) => m.markId === history.markId) ?? history.chain[history.chain.length - 1];
  const name = studentOf(data, history.studentId)?.name ?? "";
  const values = keypadValues(data.settings)
    .filter((v) => v !== current.value)
    .map((v) => button(v, fixValueCallback.encode({ markId: current.markId, wt, v: valueWord(v) })));
  const keyboard: Keyboard = [
    values,
    [button(ctx.t("teacher-marks:buttons.backToMark"), markCallback.encode({ markId: current.markId, wt }))],
  ];
  const text = ctx.t("teacher-marks:fixKeypad", {
    name,
    value: current.value,
    workType: workTypeName(ctx, current.workType),
  });
  await show(ctx, { text: text, keyboard: keyboard });
}

/** "The correction window is over…": who can still correct the mark, with the way back. */
export async function showWindowClosed(ctx: InnerContext, days: unknown, back?: Keyboard) {
  const text = ctx.t("teacher-marks:windowClosed", { days: typeof days === "number" ? days : 7 });
  await show(ctx, { text: text, keyboard: back });
}
