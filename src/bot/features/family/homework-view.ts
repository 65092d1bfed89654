// «📚 Домашнее задание»: due tomorrow and the rest of the week (the next school week from Friday on), with
// a «📎 файлы» button that sends the teachers' files as documents and photos.
import type { TFunction } from "i18next";
import { addDays, type IsoDate, weekStart } from "../../../core/dates.ts";
import { type StudentHomeworkResult, studentHomework } from "../../../core/family/index.ts";
import type { StudentHomeworkItem } from "../../../core/journal/homework.ts";
import type { Language } from "../../../i18n.ts";
import type { InnerContext, LinkedContext } from "../../context.ts";
import { answer, type Screen } from "../../ui/index.ts";
import { filesCallback } from "./callbacks.ts";
import { longDate, shortDate } from "./format.ts";

/** Tomorrow up to the end of the week (from Friday: the end of next week). */
export function homeworkRange(today: IsoDate): { from: IsoDate; to: IsoDate } {
  return { from: addDays(today, 1), to: addDays(weekStart(addDays(today, 3)), 6) };
}

function itemLine(t: TFunction, h: StudentHomeworkItem): string {
  const extra = [
    ...(h.individual ? [t("family:homework.individual")] : []),
    ...(h.files.length ? [`📎${h.files.length}`] : []),
  ];
  return `• ${h.subjectName}: ${h.text}${extra.length ? ` (${extra.join(", ")})` : ""}`;
}

export function renderHomework(t: TFunction, lng: Language, r: StudentHomeworkResult): string {
  const lines = [t("family:homework.title"), ""];
  const tomorrow = r.items.filter((h) => h.dueDate === r.from);
  lines.push(t("family:homework.tomorrow", { date: longDate(lng, r.from) }));
  if (tomorrow.length === 0) lines.push(t("family:homework.nothing"));
  for (const h of tomorrow) lines.push(itemLine(t, h));
  const later = r.items.filter((h) => h.dueDate !== r.from);
  if (later.length > 0) {
    lines.push("", t("family:homework.later", { to: shortDate(lng, r.to) }));
    let current = "";
    for (const h of later) {
      if (h.dueDate !== current) {
        current = h.dueDate;
        lines.push(t("family:homework.dueOn", { date: longDate(lng, h.dueDate) }));
      }
      lines.push(itemLine(t, h));
    }
  }
  return lines.join("\n");
}

export async function buildHomeworkScreen(
  ctx: LinkedContext<InnerContext>,
  studentId: number,
  today: IsoDate,
): Promise<Screen> {
  const { from, to } = homeworkRange(today);
  const r = await studentHomework(ctx.services.prisma, ctx.actor, { studentId, from, to });
  const files = r.items.reduce((n, h) => n + h.files.length, 0);
  return {
    text: renderHomework(ctx.t, ctx.lng, r),
    keyboard: files
      ? [
          [
            {
              text: ctx.t("family:homework.files", { count: files }),
              callback_data: filesCallback.encode({ studentId, from, to }),
            },
          ],
        ]
      : [],
  };
}

/** Sends the files of the homework due in [from, to] (the core re-checks the child and logs the view). */
export async function sendHomeworkFiles(
  ctx: LinkedContext<InnerContext>,
  studentId: number,
  from: IsoDate,
  to: IsoDate,
): Promise<void> {
  const r = await studentHomework(ctx.services.prisma, ctx.actor, { studentId, from, to });
  await answer(ctx);
  const withFiles = r.items.filter((h) => h.files.length > 0);
  if (withFiles.length === 0) {
    await ctx.reply(ctx.t("family:homework.noFiles"));
    return;
  }
  for (const h of withFiles) {
    const caption = ctx.t("family:homework.fileCaption", {
      subject: h.subjectName,
      date: shortDate(ctx.lng, h.dueDate),
    });
    for (const f of h.files) {
      if (f.kind === "photo") await ctx.replyWithPhoto(f.fileId, { caption });
      else await ctx.replyWithDocument(f.fileId, { caption });
    }
  }
}
