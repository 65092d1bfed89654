// /help: what the bot does for this person, section by role.
import { Composer } from "grammy";
import { describePerson } from "../../core/accounts/index.ts";
import type { BotContext } from "../context.ts";
import { menuRights } from "../keyboards/main-menu.ts";

export const helpFeature = new Composer<BotContext>();

helpFeature.chatType("private").command("help", async (ctx) => {
  if (!ctx.actor) {
    await ctx.reply(ctx.t("bot:help.stranger"));
    return;
  }
  const person = await describePerson(ctx.services.prisma, ctx.actor.personId);
  const roles = new Set<string>(person.roles);
  const sections = [ctx.t("bot:help.title")];
  const rights = menuRights(ctx.actor);
  if (rights.schoolJournal) sections.push(ctx.t("bot:help.ADMINISTRATION"));
  for (const role of ["TEACHER", "CLASS_TEACHER", "GUARDIAN", "STUDENT"]) {
    if (roles.has(role)) sections.push(ctx.t(`bot:help.${role}`));
  }
  if (rights.readsAllStudents) sections.push(ctx.t("bot:help.STUDENT_DIRECTORY"));
  if (rights.invitesAnyFamily) sections.push(ctx.t("bot:help.INVITES"));
  sections.push(ctx.t("bot:help.common"));
  await ctx.reply(sections.join("\n\n"));
});
