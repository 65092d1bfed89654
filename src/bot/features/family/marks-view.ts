// «📊 Оценки»: marks by subject for the current period with the weighted average; a subject opens its marks
// with dates, work types, weights, comments, lesson topics and corrections shown as corrections.
import type { InlineKeyboardButton } from "grammy/types";
import type { TFunction } from "i18next";
import type { StudentMarksResult, StudentSubjectMarksResult } from "../../../core/family/index.ts";
import { studentMarks, studentSubjectMarks } from "../../../core/family/index.ts";
import type { PeriodInfo } from "../../../core/journal/periods.ts";
import type { Language } from "../../../i18n.ts";
import type { InnerContext, LinkedContext } from "../../context.ts";
import type { Screen } from "../../ui/index.ts";
import { marksCallback, subjectCallback } from "./callbacks.ts";
import { average, markText, shortDate, withdrawnText } from "./format.ts";

export function periodName(t: TFunction, lng: Language, p: PeriodInfo): string {
  const name = t(`family:periods.${p.kind}`, { number: p.number });
  return t("family:marks.periodSpan", { name, from: shortDate(lng, p.startsOn), to: shortDate(lng, p.endsOn) });
}

export function renderMarks(t: TFunction, lng: Language, r: StudentMarksResult): string {
  if (!r.period) return `${t("family:marks.title")}\n\n${t("family:marks.noPeriod")}`;
  const lines = [t("family:marks.titlePeriod", { period: periodName(t, lng, r.period) }), ""];
  if (r.subjects.length === 0) lines.push(t("family:marks.noSubjects"));
  for (const s of r.subjects) {
    const values = s.marks.map((m) => (m.corrections.length ? `${m.value}*` : m.value)).join(" ");
    const parts = [values || t("family:marks.none")];
    if (s.average !== null) parts.push(t("family:marks.average", { average: average(lng, s.average) }));
    if (s.termGrade) parts.push(t("family:marks.termGrade", { value: s.termGrade }));
    lines.push(`${s.name}: ${parts.join(" · ")}`);
  }
  if (r.subjects.some((s) => s.marks.some((m) => m.corrections.length > 0))) {
    lines.push("", t("family:marks.correctedHint"));
  }
  lines.push("", t("family:marks.tapSubject"));
  return lines.join("\n");
}

export async function buildMarksScreen(ctx: LinkedContext<InnerContext>, studentId: number): Promise<Screen> {
  const r = await studentMarks(ctx.services.prisma, ctx.actor, { studentId });
  const buttons: InlineKeyboardButton[] = r.subjects.map((s) => ({
    text: s.average !== null ? `${s.name} · ${average(ctx.lng, s.average)}` : s.name,
    callback_data: subjectCallback.encode({ studentId, subjectId: s.subjectId }),
  }));
  const keyboard: InlineKeyboardButton[][] = [];
  for (let i = 0; i < buttons.length && keyboard.length < 40; i += 2) keyboard.push(buttons.slice(i, i + 2));
  return { text: renderMarks(ctx.t, ctx.lng, r), keyboard };
}

export function renderSubject(t: TFunction, lng: Language, r: StudentSubjectMarksResult): string {
  const lines = [r.period ? `${r.name} — ${periodName(t, lng, r.period)}` : r.name, ""];
  if (r.average !== null) lines.push(t("family:marks.averageLine", { average: average(lng, r.average) }));
  if (r.termGrade) lines.push(t("family:marks.termGradeLine", { value: r.termGrade }));
  if (r.marks.length === 0) lines.push(t("family:marks.noneInSubject"));
  for (const m of r.marks) {
    lines.push("", `${shortDate(lng, m.date)} · ${markText(t, m)} · ${t("family:marks.weight", { weight: m.weight })}`);
    const topic = r.topics[String(m.lessonId)];
    if (topic) lines.push(`   ${t("family:day.topic", { topic })}`);
  }
  for (const w of r.withdrawn) lines.push("", `${shortDate(lng, w.date)} · ${withdrawnText(t, w)}`);
  return lines.join("\n");
}

export async function buildSubjectScreen(
  ctx: LinkedContext<InnerContext>,
  studentId: number,
  subjectId: number,
): Promise<Screen> {
  const r = await studentSubjectMarks(ctx.services.prisma, ctx.actor, { studentId, subjectId });
  return {
    text: renderSubject(ctx.t, ctx.lng, r),
    keyboard: [[{ text: ctx.t("family:marks.allSubjects"), callback_data: marksCallback.encode({ studentId }) }]],
  };
}
