// «🎓 Итоговые»: the term sheet of a class (or subgroup) and subject for a period — each student's weighted
// average, number of marks, absences, the suggested mark and the term mark given — with «Принять все
// предложения», a tap on a student to choose one mark, and the year's periods to switch between (a year mark is
// suggested from the term marks). Marks entered after the deadline are taken and shown as late; a closed period
// is read-only. Large classes are paged so the keyboard stays well inside Telegram's limits.
import { Composer } from "grammy";
import type { InlineKeyboardButton } from "grammy/types";
import { AppError, isAppError } from "../../../core/errors.ts";
import { EXEMPT, FAIL, NOT_ATTESTED, PASS } from "../../../core/grading/mark-values.ts";
import { listPeriods } from "../../../core/journal/periods.ts";
import {
  acceptTermSuggestions,
  setTermGrade,
  type TermSheetResult,
  type TermSheetRow,
  termSheet,
} from "../../../core/journal/term-grades.ts";
import type { BotContext, LinkedContext } from "../../context.ts";
import { answer, type Screen, show } from "../../ui/index.ts";
import { groupLabel, shortNames } from "../teacher-lesson/format.ts";
import { refuse } from "../teacher-lesson/respond.ts";
import {
  termAcceptCallback,
  termListCallback,
  termSheetCallback,
  termStudentCallback,
  termValueCallback,
} from "./callbacks.ts";
import { averageText, dm, periodName, periodShort, valueCode, valueLabel, valueOfCode } from "./format.ts";
import { refusingWith } from "./guard.ts";
import { planUploadCallback } from "./plan-upload.ts";

/** Students per page: 20 buttons two to a row, plus the action rows — far below Telegram's 100 buttons. */
export const TERM_PAGE_SIZE = 20;

interface SheetView {
  sheet: TermSheetResult;
  periods: { periodId: number; kind: TermSheetResult["period"]["kind"]; number: number }[];
}

async function loadSheet(ctx: LinkedContext, assignmentId: number, periodId: number): Promise<SheetView> {
  const db = ctx.services.prisma;
  const listed = await listPeriods(db, ctx.actor);
  const pid = periodId || listed.current || listed.periods[0]?.periodId;
  if (!pid) throw new AppError("NOT_FOUND", { periodId });
  const sheet = await termSheet(db, ctx.actor, { assignmentId, periodId: pid });
  const periods = listed.periods
    .filter((p) => p.yearId === sheet.period.yearId)
    .sort((a, b) => Number(a.kind === "YEAR") - Number(b.kind === "YEAR") || a.startsOn.localeCompare(b.startsOn));
  return { sheet, periods };
}

function statsText(ctx: BotContext, sheet: TermSheetResult, r: TermSheetRow): string {
  const parts: string[] = [];
  const basis = sheet.basis === "terms" ? "Terms" : "";
  if (r.average !== null) parts.push(ctx.t(`term-grades:average${basis}`, { avg: averageText(ctx.lng, r.average) }));
  parts.push(ctx.t(`term-grades:marks${basis}`, { count: r.marksCount }));
  if (r.absences > 0) parts.push(ctx.t("term-grades:absences", { count: r.absences }));
  return parts.join(" · ");
}

function finalText(ctx: BotContext, r: TermSheetRow): string {
  if (!r.termGrade) return ctx.t("term-grades:none");
  const v = valueLabel(ctx.t, r.termGrade.value);
  return r.termGrade.late ? ctx.t("term-grades:lateValue", { value: v }) : v;
}

function studentButton(ctx: BotContext, r: TermSheetRow, short: string): string {
  if (r.termGrade) return `${r.no}. ${short} · ${valueLabel(ctx.t, r.termGrade.value)}${r.termGrade.late ? " ⏰" : ""}`;
  if (r.suggested) return `${r.no}. ${short} · →${valueLabel(ctx.t, r.suggested)}`;
  return `${r.no}. ${short} · —`;
}

function heading(ctx: BotContext, sheet: TermSheetResult): string {
  return ctx.t("term-grades:heading", {
    subject: sheet.subjectName,
    group: groupLabel(ctx.t, sheet.className, sheet.subgroupNo),
    period: periodName(ctx.t, sheet.period),
    from: dm(sheet.period.startsOn),
    to: dm(sheet.period.endsOn),
    deadline: dm(sheet.deadline),
  });
}

export function sheetScreen(ctx: BotContext, view: SheetView, page: number, notes: string[] = []): Screen {
  const { sheet } = view;
  const pages = Math.max(1, Math.ceil(sheet.students.length / TERM_PAGE_SIZE));
  const p = Math.min(Math.max(page, 0), pages - 1);
  const shown = sheet.students.slice(p * TERM_PAGE_SIZE, (p + 1) * TERM_PAGE_SIZE);
  const shorts = shortNames(sheet.students.map((s) => s.name));
  const ids = { assignmentId: sheet.assignmentId, periodId: sheet.period.periodId };
  const lines = [...notes, ...(notes.length ? [""] : []), heading(ctx, sheet)];
  const writable = !sheet.locked && !sheet.noMarks;
  if (sheet.locked) lines.push(ctx.t("term-grades:locked"));
  else if (sheet.noMarks) lines.push(ctx.t("term-grades:noMarks"));
  else if (sheet.pastDeadline) lines.push(ctx.t("term-grades:pastDeadline", { deadline: dm(sheet.deadline) }));
  lines.push(ctx.t(sheet.basis === "terms" ? "term-grades:basisTerms" : "term-grades:basisMarks"));
  if (pages > 1) lines.push(ctx.t("term-grades:page", { page: p + 1, pages }));
  lines.push("");
  if (sheet.students.length === 0) lines.push(ctx.t("term-grades:empty"));
  for (const r of shown) {
    lines.push(
      ctx.t("term-grades:row", {
        no: r.no,
        name: r.name,
        stats: statsText(ctx, sheet, r),
        suggested: r.suggested ? valueLabel(ctx.t, r.suggested) : ctx.t("term-grades:none"),
        final: finalText(ctx, r),
      }),
    );
  }
  const given = sheet.students.filter((s) => s.termGrade).length;
  lines.push("", ctx.t("term-grades:given", { given, total: sheet.students.length }));

  const keyboard: InlineKeyboardButton[][] = [];
  if (writable) {
    for (let i = 0; i < shown.length; i += 2) {
      keyboard.push(
        shown.slice(i, i + 2).map((r) => ({
          text: studentButton(ctx, r, shorts[sheet.students.indexOf(r)]),
          callback_data: termStudentCallback.encode({ ...ids, studentId: r.studentId, page: p }),
        })),
      );
    }
    const open = sheet.students.filter((s) => !s.termGrade && s.suggested).length;
    if (open > 0) {
      keyboard.push([
        {
          text: ctx.t("term-grades:acceptAll", { count: open }),
          callback_data: termAcceptCallback.encode({ ...ids, page: p }),
        },
      ]);
    }
  }
  if (pages > 1) {
    const nav: InlineKeyboardButton[] = [];
    if (p > 0) nav.push({ text: "‹", callback_data: termSheetCallback.encode({ ...ids, page: p - 1 }) });
    if (p < pages - 1) nav.push({ text: "›", callback_data: termSheetCallback.encode({ ...ids, page: p + 1 }) });
    keyboard.push(nav);
  }
  const others = view.periods.filter((x) => x.periodId !== sheet.period.periodId);
  for (let i = 0; i < others.length; i += 4) {
    keyboard.push(
      others.slice(i, i + 4).map((x) => ({
        text: periodShort(ctx.t, x),
        callback_data: termSheetCallback.encode({ assignmentId: sheet.assignmentId, periodId: x.periodId, page: 0 }),
      })),
    );
  }
  keyboard.push([
    { text: ctx.t("term-grades:toList"), callback_data: termListCallback.encode({}) },
    {
      text: ctx.t("term-grades:plan.button"),
      callback_data: planUploadCallback.encode({ assignmentId: sheet.assignmentId }),
    },
  ]);
  return { text: lines.join("\n"), keyboard };
}

/** The values a teacher may choose: the scale (or зачёт/незачёт for a pass/fail subject), «н/а», «осв». */
function valueChoices(sheet: TermSheetResult): string[] {
  return sheet.passFail ? [PASS, FAIL, NOT_ATTESTED, EXEMPT] : ["5", "4", "3", "2", NOT_ATTESTED, EXEMPT];
}

function pickerScreen(ctx: BotContext, view: SheetView, r: TermSheetRow, page: number): Screen {
  const { sheet } = view;
  const ids = { assignmentId: sheet.assignmentId, periodId: sheet.period.periodId, studentId: r.studentId, page };
  const lines = [
    heading(ctx, sheet),
    "",
    ctx.t("term-grades:pickerStudent", { no: r.no, name: r.name }),
    statsText(ctx, sheet, r),
    ctx.t("term-grades:pickerSuggested", {
      value: r.suggested ? valueLabel(ctx.t, r.suggested) : ctx.t("term-grades:none"),
    }),
    ctx.t("term-grades:pickerFinal", { value: finalText(ctx, r) }),
  ];
  if (sheet.pastDeadline) lines.push("", ctx.t("term-grades:pastDeadline", { deadline: dm(sheet.deadline) }));
  lines.push("", ctx.t("term-grades:pick"));
  const choices = valueChoices(sheet);
  const button = (v: string): InlineKeyboardButton => ({
    text: r.termGrade?.value === v ? `✓ ${valueLabel(ctx.t, v)}` : valueLabel(ctx.t, v),
    callback_data: termValueCallback.encode({ ...ids, value: valueCode(v) }),
  });
  const numeric = choices.filter((v) => /^[2-5]$/.test(v));
  const other = choices.filter((v) => !/^[2-5]$/.test(v));
  const keyboard: InlineKeyboardButton[][] = [];
  if (numeric.length) keyboard.push(numeric.map(button));
  keyboard.push(other.map(button));
  keyboard.push([{ text: ctx.t("term-grades:back"), callback_data: termSheetCallback.encode({ ...ids }) }]);
  return { text: lines.join("\n"), keyboard };
}

/** Core refusals a teacher can meet here, shown as an alert on the press; false for anything else. */
async function alertRefusal(ctx: BotContext, err: unknown): Promise<boolean> {
  for (const code of ["LOCKED_PERIOD", "NO_MARKS_FOR_GRADE", "VALIDATION", "CONFLICT"] as const) {
    if (isAppError(err, code)) {
      await answer(ctx, ctx.t(`errors:${code}`), true);
      return true;
    }
  }
  return false;
}

const termGuarded = (handler: (ctx: LinkedContext) => Promise<void>) => refusingWith("term-grades:refused", handler);

export const termSheetFeature = new Composer<BotContext>();

termSheetFeature.callbackQuery(
  termSheetCallback.pattern,
  termGuarded(async (ctx) => {
    const data = termSheetCallback.parse(ctx.callbackQuery?.data);
    if (!data) return refuse(ctx, "term-grades:refused");
    const view = await loadSheet(ctx, data.assignmentId, data.periodId);
    await show(ctx, sheetScreen(ctx, view, data.page));
  }),
);

termSheetFeature.callbackQuery(
  termStudentCallback.pattern,
  termGuarded(async (ctx) => {
    const data = termStudentCallback.parse(ctx.callbackQuery?.data);
    if (!data) return refuse(ctx, "term-grades:refused");
    const view = await loadSheet(ctx, data.assignmentId, data.periodId);
    const row = view.sheet.students.find((s) => s.studentId === data.studentId);
    if (!row) return refuse(ctx, "term-grades:refused");
    await show(ctx, pickerScreen(ctx, view, row, data.page));
  }),
);

termSheetFeature.callbackQuery(
  termValueCallback.pattern,
  termGuarded(async (ctx) => {
    const data = termValueCallback.parse(ctx.callbackQuery?.data);
    const value = data ? valueOfCode(data.value) : null;
    if (!data || !value) return refuse(ctx, "term-grades:refused");
    try {
      const res = await setTermGrade(ctx.services.prisma, ctx.actor, { ...data, value });
      const view = await loadSheet(ctx, data.assignmentId, data.periodId);
      const row = view.sheet.students.find((s) => s.studentId === data.studentId);
      const note = ctx.t(res.late ? "term-grades:setLate" : "term-grades:set", {
        name: row?.name ?? "",
        value: valueLabel(ctx.t, res.value),
      });
      await show(ctx, sheetScreen(ctx, view, data.page, [note]));
    } catch (err) {
      if (!(await alertRefusal(ctx, err))) throw err;
    }
  }),
);

termSheetFeature.callbackQuery(
  termAcceptCallback.pattern,
  termGuarded(async (ctx) => {
    const data = termAcceptCallback.parse(ctx.callbackQuery?.data);
    if (!data) return refuse(ctx, "term-grades:refused");
    try {
      const res = await acceptTermSuggestions(ctx.services.prisma, ctx.actor, data);
      const view = await loadSheet(ctx, data.assignmentId, data.periodId);
      const note = ctx.t(res.late ? "term-grades:acceptedLate" : "term-grades:accepted", {
        count: res.accepted.length,
      });
      await show(ctx, sheetScreen(ctx, view, data.page, [note]));
    } catch (err) {
      if (!(await alertRefusal(ctx, err))) throw err;
    }
  }),
);
