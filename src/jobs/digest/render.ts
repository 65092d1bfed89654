// Renders digests in the guardian's language (locales/*/digest.json): a clear evening summary, sections only
// when they have something, within Telegram's 4096 characters.
import type { TFunction } from "i18next";
import { addDays, fromIsoDate, type IsoDate, isoWeekday } from "../../core/dates.ts";
import type { DailyDigest, DigestMark, WeeklySummary } from "../../core/digest/index.ts";
import { type Language, translator } from "../../i18n.ts";
import { displayDate } from "../outbox-handlers/format.ts";
import { fitMessage, type MessageSection, shorten } from "./fit-message.ts";

const dayMonth = new Map<Language, Intl.DateTimeFormat>();
const numbers = new Map<Language, Intl.NumberFormat>();

function dayMonthFormat(lng: Language): Intl.DateTimeFormat {
  let f = dayMonth.get(lng);
  if (!f) {
    f = new Intl.DateTimeFormat(lng, { day: "numeric", month: "long", timeZone: "UTC" });
    dayMonth.set(lng, f);
  }
  return f;
}

/** "November 24" (and the Russian genitive month in ru). */
export function longDate(date: IsoDate, lng: Language): string {
  return dayMonthFormat(lng).format(fromIsoDate(date));
}

/** "November 23 – 29", "November 30 – December 6" (a range within one month is shortened). */
export function dateRange(from: IsoDate, to: IsoDate, lng: Language): string {
  return dayMonthFormat(lng).formatRange(fromIsoDate(from), fromIsoDate(to));
}

/** "4,33" / "4.33". */
export function average(x: number, lng: Language): string {
  let f = numbers.get(lng);
  if (!f) {
    f = new Intl.NumberFormat(lng, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    numbers.set(lng, f);
  }
  return f.format(x);
}

const name = (s: { lastName: string; firstName: string }) => `${s.lastName} ${s.firstName}`;
const workType = (t: TFunction, code: string) => t(`notify:workTypes.${code}`, { defaultValue: code });

function markLine(t: TFunction, m: DigestMark): string {
  const base = { subject: m.subjectName, workType: workType(t, m.workType), date: displayDate(m.date) };
  let line: string;
  if (m.corrections.length > 0) {
    const chain = [m.corrections[0].from, ...m.corrections.map((c) => c.to)].join(" → ");
    const reason = m.corrections.at(-1)?.reason || t("digest:daily.noReason");
    line = t(m.late ? "digest:daily.correctionLate" : "digest:daily.correction", { ...base, chain, reason });
  } else {
    line = t(m.late ? "digest:daily.markLate" : "digest:daily.mark", { ...base, value: m.value });
  }
  return m.comment ? t("digest:daily.comment", { line, comment: shorten(m.comment, 200) }) : line;
}

export function renderDailyDigest(d: DailyDigest, lng: Language): string {
  const t = translator(lng);
  const head = t("digest:daily.title", { date: longDate(d.date, lng), name: name(d.student) });
  const marks = [
    ...d.marks.map((m) => markLine(t, m)),
    ...d.withdrawn.map((w) =>
      t("digest:daily.withdrawn", {
        subject: w.subjectName,
        value: w.value,
        workType: workType(t, w.workType),
        date: displayDate(w.date),
        reason: w.reason,
      }),
    ),
  ];
  const attendance = d.attendance.map((a) => {
    const key = `${a.status === "LATE" ? "late" : "absent"}${a.slot === null ? "NoSlot" : ""}`;
    const line = t(`digest:daily.${key}`, { lesson: a.slot, subject: a.subjectName });
    return a.reason && a.status === "ABSENT" ? `${line}, ${t(`digest:daily.reason.${a.reason}`)}` : line;
  });
  const homework = d.homework.map((h) => {
    const extras = [
      ...(h.individual ? [t("digest:daily.homeworkIndividual")] : []),
      ...(h.files > 0 ? [t("digest:daily.homeworkFiles", { count: h.files })] : []),
    ];
    const line = t("digest:daily.homework", { subject: h.subjectName, text: shorten(h.text, 400) });
    return extras.length ? `${line} (${extras.join(", ")})` : line;
  });
  const notices = d.notices.map((n) => {
    const line = t("digest:daily.notice", { text: shorten(n.text, 400) });
    return n.hasFile ? `${line} ${t("digest:daily.noticeFile")}` : line;
  });
  const homeworkTitle = !d.homeworkDate
    ? ""
    : d.homeworkDate === addDays(d.date, 1)
      ? t("digest:daily.homeworkTomorrow", { date: longDate(d.homeworkDate, lng) })
      : t("digest:daily.homeworkOn", {
          weekday: t(`digest:weekdayAcc.${isoWeekday(d.homeworkDate)}`),
          date: longDate(d.homeworkDate, lng),
        });
  const sections: MessageSection[] = [
    { title: t("digest:daily.marks"), items: marks },
    { title: t("digest:daily.attendance"), items: attendance },
    { title: homeworkTitle, items: homework },
    { title: t("digest:daily.notices"), items: notices },
  ];
  if (d.empty) return `${head}\n\n${t("digest:daily.empty")}`;
  return fitMessage(head, sections, (count) => t("digest:daily.more", { count }));
}

export function renderWeeklySummary(s: WeeklySummary, lng: Language): string {
  const t = translator(lng);
  const head = t("digest:weekly.title", { range: dateRange(s.weekStart, s.weekEnd, lng), name: name(s.student) });
  const period = s.period ? t(`digest:weekly.period.${s.period.kind}`, { number: s.period.number }) : null;
  const subjects = s.subjects.map((x) => {
    const week = x.weekAverage === null ? t("digest:weekly.noMarks") : average(x.weekAverage, lng);
    const line = period
      ? t("digest:weekly.subject", {
          subject: x.subjectName,
          week,
          period: x.periodAverage === null ? t("digest:weekly.noMarks") : average(x.periodAverage, lng),
        })
      : t("digest:weekly.subjectNoPeriod", { subject: x.subjectName, week });
    return x.weekMarks.length ? t("digest:weekly.weekMarks", { line, marks: x.weekMarks.join(", ") }) : line;
  });
  const a = s.absences;
  const absenceLines: string[] = [];
  if (a.absent > 0) {
    const line = t("digest:weekly.absences", { count: a.absent });
    const reasons = (
      [
        ["ILLNESS", a.illness],
        ["EXCUSED", a.excused],
        ["UNEXCUSED", a.unexcused],
      ] as const
    )
      .filter(([, count]) => count > 0)
      .map(([reason, count]) => t(`digest:weekly.reasonCount.${reason}`, { count }));
    absenceLines.push(
      reasons.length ? t("digest:weekly.absenceReasons", { line, reasons: reasons.join(", ") }) : `${line}.`,
    );
  }
  if (a.late > 0) absenceLines.push(`${t("digest:weekly.late", { count: a.late })}.`);
  if (absenceLines.length === 0) absenceLines.push(t("digest:weekly.noAbsences"));
  const sections: MessageSection[] = [
    {
      title: subjects.length
        ? period
          ? t("digest:weekly.averages", { period })
          : t("digest:weekly.averagesNoPeriod")
        : t("digest:weekly.noSubjects"),
      items: subjects,
    },
  ];
  const text = fitMessage(head, sections, (count) => t("digest:daily.more", { count }), 4096 - 300);
  return [subjects.length ? text : `${head}\n\n${t("digest:weekly.noSubjects")}`, absenceLines.join("\n")].join("\n\n");
}
