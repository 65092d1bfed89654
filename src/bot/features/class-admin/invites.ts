// "Invites": invite links for the class's families not yet in the bot — one message per
// family with each person's personal deep link, or a printable A4 sheet for a parents' meeting. A student is
// invited once a parent's consent is recorded. The core decides who may invite whom (createInvite).
import { Composer, InlineKeyboard, InputFile } from "grammy";
import { createInvite } from "../../../core/accounts/index.ts";
import { localMoment } from "../../../core/dates.ts";
import { fileNamePart } from "../../../core/file-name.ts";
import { type ClassRosterStudent, classInviteRoster, inviteClasses } from "../../../core/journal/class-overview.ts";
import { getSchool } from "../../../core/settings.ts";
import { type InviteSheetFamily, renderInviteSheet } from "../../../jobs/reports/invite-sheet.ts";
import type { BotContext, LinkedContext } from "../../context.ts";
import { menuLabels } from "../../keyboards/main-menu.ts";
import { answer, answerStale, classPicker, requireLinked, show } from "../../ui/index.ts";
import { classHome, inviteClassList, inviteMenu, inviteSend, inviteSheet } from "./callbacks.ts";
import { fullDate, relationLabel } from "./ui.ts";

export const invitesFeature = new Composer<BotContext>();

interface InviteTarget {
  personId: number;
  name: string;
  role: "GUARDIAN" | "STUDENT";
  relation: string | null;
}

export interface FamilyInvitePlan {
  studentId: number;
  studentName: string;
  targets: InviteTarget[];
  /** The student is not linked, but no parent has given consent yet. */
  studentWaitsConsent: boolean;
}

/** Who of each family gets an invite: unlinked guardians; the unlinked student once a parent consented. */
export function planInvites(students: ClassRosterStudent[]): FamilyInvitePlan[] {
  return students.map((s) => {
    const consent = s.guardians.some((g) => g.consent);
    const targets: InviteTarget[] = s.guardians
      .filter((g) => !g.linked)
      .map((g) => ({ personId: g.personId, name: g.name, role: "GUARDIAN", relation: g.relation }));
    if (!s.linked && consent) targets.push({ personId: s.personId, name: s.name, role: "STUDENT", relation: null });
    return { studentId: s.studentId, studentName: s.name, targets, studentWaitsConsent: !s.linked && !consent };
  });
}

function roleLabel(ctx: BotContext, t: InviteTarget): string {
  if (t.role === "STUDENT") return ctx.t("class-admin:invites.roleStudent");
  return t.relation
    ? ctx.t("class-admin:invites.roleGuardianRelation", { relation: relationLabel(ctx, t.relation) })
    : ctx.t("class-admin:invites.roleGuardian");
}

export async function renderInviteMenu(ctx: LinkedContext, classId: number) {
  const roster = await classInviteRoster(ctx.services.prisma, ctx.actor, { classId });
  const plans = planInvites(roster.students);
  const families = plans.filter((p) => p.targets.length > 0).length;
  const guardians = plans.reduce((n, p) => n + p.targets.filter((t) => t.role === "GUARDIAN").length, 0);
  const students = plans.reduce((n, p) => n + p.targets.filter((t) => t.role === "STUDENT").length, 0);
  const waiting = plans.filter((p) => p.studentWaitsConsent).length;
  const lines = [ctx.t("class-admin:invites.title", { className: roster.className })];
  if (families === 0) {
    lines.push("", ctx.t("class-admin:invites.allLinked"));
  } else {
    lines.push(
      "",
      ctx.t("class-admin:invites.toInvite", {
        guardians: ctx.t("class-admin:invites.guardians", { count: guardians }),
        students: ctx.t("class-admin:invites.students", { count: students }),
      }),
      ctx.t("class-admin:invites.families", { count: families }),
      "",
      ctx.t("class-admin:invites.howItWorks"),
    );
  }
  if (waiting > 0) lines.push("", ctx.t("class-admin:invites.waitingConsent", { count: waiting }));
  const kb = new InlineKeyboard();
  if (families > 0) {
    kb.text(ctx.t("class-admin:invites.sendButton", { count: families }), inviteSend.encode({ classId })).row();
    kb.text(ctx.t("class-admin:home.sheetButton"), inviteSheet.encode({ classId })).row();
  }
  if (roster.manages) kb.text(ctx.t("class-admin:backToClass"), classHome.encode({ classId, date: 0 }));
  else kb.text(ctx.t("class-admin:invites.backToClasses"), inviteClassList.encode({}));
  return { text: lines.join("\n"), keyboard: kb };
}

/** "🎟 Invitations" of staff who invite any family: the classes, each opening its invite screen. */
async function renderInviteClasses(ctx: LinkedContext) {
  const { classes } = await inviteClasses(ctx.services.prisma, ctx.actor);
  if (classes.length === 0) return { text: ctx.t("class-admin:invites.noClasses"), keyboard: undefined };
  return {
    text: ctx.t("class-admin:invites.pickClass"),
    keyboard: classPicker(ctx, classes, (classId) => inviteMenu.encode({ classId })),
  };
}

interface IssuedInvite extends InviteTarget {
  link: string;
  expiresAt: string;
}

interface IssuedFamily {
  studentName: string;
  invites: IssuedInvite[];
}

/** Creates one fresh invite per person to invite (each audited by the core). */
async function issueInvites(ctx: LinkedContext, classId: number) {
  const db = ctx.services.prisma;
  const roster = await classInviteRoster(db, ctx.actor, { classId });
  const username = ctx.me.username;
  const families: IssuedFamily[] = [];
  for (const plan of planInvites(roster.students)) {
    if (plan.targets.length === 0) continue;
    const invites: IssuedInvite[] = [];
    for (const target of plan.targets) {
      const invite = await createInvite(db, ctx.actor, { personId: target.personId, role: target.role });
      invites.push({ ...target, link: `https://t.me/${username}?start=${invite.code}`, expiresAt: invite.expiresAt });
    }
    families.push({ studentName: plan.studentName, invites });
  }
  const school = await getSchool(db, ctx.actor.schoolId);
  const until = (iso: string) => fullDate(localMoment(school.timezone, new Date(iso)).date);
  return { className: roster.className, school, families, until };
}

invitesFeature.chatType("private").hears(menuLabels("invites"), async (ctx) => {
  const linked = await requireLinked(ctx);
  if (!linked) return;
  await show(ctx, await renderInviteClasses(linked));
});

invitesFeature.callbackQuery(inviteClassList.pattern, async (ctx) => {
  const linked = await requireLinked(ctx);
  if (!linked) return;
  await show(ctx, await renderInviteClasses(linked));
  await answer(ctx);
});

invitesFeature.callbackQuery(inviteMenu.pattern, async (ctx) => {
  const linked = await requireLinked(ctx);
  if (!linked) return;
  const data = inviteMenu.parse(ctx.callbackQuery.data);
  if (!data) return answerStale(ctx);
  const screen = await renderInviteMenu(linked, data.classId);
  await show(ctx, screen);
  await answer(ctx);
});

invitesFeature.callbackQuery(inviteSend.pattern, async (ctx) => {
  const linked = await requireLinked(ctx);
  if (!linked) return;
  const data = inviteSend.parse(ctx.callbackQuery.data);
  if (!data) return answerStale(ctx);
  const issued = await issueInvites(linked, data.classId);
  await answer(ctx, ctx.t("class-admin:invites.sending"));
  if (issued.families.length === 0) {
    await ctx.reply(ctx.t("class-admin:invites.allLinked"));
    return;
  }
  for (const family of issued.families) {
    const parts = [
      ctx.t("class-admin:invites.messageTitle", { className: issued.className, name: family.studentName }),
    ];
    for (const inv of family.invites) parts.push("", `${inv.name} (${roleLabel(ctx, inv)}):`, inv.link);
    parts.push("", ctx.t("class-admin:invites.messageHint", { until: issued.until(family.invites[0].expiresAt) }));
    // One message per family: the transport paces them in this chat and waits out a 429 (every Bot API call).
    await ctx.reply(parts.join("\n"), { link_preview_options: { is_disabled: true } });
  }
  const count = issued.families.reduce((n, f) => n + f.invites.length, 0);
  await ctx.reply(ctx.t("class-admin:invites.sent", { count, families: issued.families.length }));
});

invitesFeature.callbackQuery(inviteSheet.pattern, async (ctx) => {
  const linked = await requireLinked(ctx);
  if (!linked) return;
  const data = inviteSheet.parse(ctx.callbackQuery.data);
  if (!data) return answerStale(ctx);
  const issued = await issueInvites(linked, data.classId);
  if (issued.families.length === 0) {
    await answer(ctx, ctx.t("class-admin:invites.allLinked"), true);
    return;
  }
  await answer(ctx, ctx.t("class-admin:invites.preparingSheet"));
  const until = issued.until(issued.families[0].invites[0].expiresAt);
  const families: InviteSheetFamily[] = issued.families.map((f) => ({
    studentName: f.studentName,
    people: f.invites.map((inv) => ({ name: inv.name, role: roleLabel(ctx, inv), link: inv.link })),
  }));
  const pdf = await renderInviteSheet({
    title: ctx.t("class-admin:sheet.title", { className: issued.className }),
    subtitle: ctx.t("class-admin:sheet.subtitle", {
      school: issued.school.name,
      date: fullDate(localMoment(issued.school.timezone).date),
    }),
    labels: { student: ctx.t("class-admin:sheet.student") },
    instruction: ctx.t("class-admin:sheet.instruction", { until }),
    families,
  });
  const fileName = `priglasheniya-${fileNamePart(issued.className, "class")}.pdf`;
  await ctx.replyWithDocument(new InputFile(pdf, fileName), {
    caption: ctx.t("class-admin:sheet.caption", { className: issued.className, count: families.length, until }),
  });
});
