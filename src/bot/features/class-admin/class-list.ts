// «Список класса»: students in journal order, who of each family uses the bot (✓ linked, ✗ not yet) and
// whose consent to personal-data processing is recorded, a page at a time.
import { Composer, InlineKeyboard } from "grammy";
import { type ClassRosterStudent, classRoster } from "../../../core/journal/class-overview.ts";
import type { BotContext, LinkedContext } from "../../context.ts";
import { answer, answerStale, requireLinked, show } from "../../ui/index.ts";
import { classHome, inviteMenu, noop, rosterPage } from "./callbacks.ts";
import { relationLabel } from "./ui.ts";

export const classListFeature = new Composer<BotContext>();

const STUDENTS_PER_PAGE = 15;

const mark = (linked: boolean) => (linked ? "✓" : "✗");

function studentLines(ctx: BotContext, s: ClassRosterStudent): string[] {
  const lines = [`${s.no}. ${s.name} ${mark(s.linked)}`];
  if (s.guardians.length === 0) lines.push(`    ${ctx.t("class-admin:roster.noGuardians")}`);
  for (const g of s.guardians) {
    const relation = g.relation ? `${relationLabel(ctx, g.relation)}: ` : "";
    const consent = ctx.t(g.consent ? "class-admin:roster.consentYes" : "class-admin:roster.consentNo");
    lines.push(`    ${relation}${g.name} ${mark(g.linked)} · ${consent}`);
  }
  return lines;
}

export async function renderClassList(ctx: LinkedContext, classId: number, page: number) {
  const roster = await classRoster(ctx.services.prisma, ctx.actor, { classId });
  const students = roster.students;
  const families = students.filter((s) => s.guardians.some((g) => g.linked)).length;
  const linkedStudents = students.filter((s) => s.linked).length;
  const pages = Math.max(1, Math.ceil(students.length / STUDENTS_PER_PAGE));
  const p = Math.min(Math.max(page, 0), pages - 1);
  const lines = [
    ctx.t("class-admin:roster.title", { className: roster.className, count: students.length }),
    ctx.t("class-admin:roster.summary", { families, linkedStudents, total: students.length }),
    ctx.t("class-admin:roster.legend"),
    "",
  ];
  for (const s of students.slice(p * STUDENTS_PER_PAGE, (p + 1) * STUDENTS_PER_PAGE))
    lines.push(...studentLines(ctx, s));
  const kb = new InlineKeyboard();
  if (pages > 1) {
    if (p > 0) kb.text("‹", rosterPage.encode({ classId, page: p - 1 }));
    kb.text(`${p + 1}/${pages}`, noop.encode({}));
    if (p < pages - 1) kb.text("›", rosterPage.encode({ classId, page: p + 1 }));
    kb.row();
  }
  kb.text(ctx.t("class-admin:home.invitesButton"), inviteMenu.encode({ classId })).row();
  kb.text(ctx.t("class-admin:backToClass"), classHome.encode({ classId, date: 0 }));
  return { text: lines.join("\n"), keyboard: kb };
}

classListFeature.callbackQuery(rosterPage.pattern, async (ctx) => {
  const linked = await requireLinked(ctx);
  if (!linked) return;
  const data = rosterPage.parse(ctx.callbackQuery.data);
  if (!data) return answerStale(ctx);
  const screen = await renderClassList(linked, data.classId, data.page);
  await show(ctx, screen);
  await answer(ctx);
});
