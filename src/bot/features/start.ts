// /start <code>: redeem an invite and welcome the person by name and role(s); a guardian's invite first shows
// the personal-data notice (family/consent.ts). /start alone: welcome a linked person, explain invitations to a
// stranger.
import { Composer } from "grammy";
import { actorForPerson, describePerson, findAccount, previewInvite, redeemInvite } from "../../core/accounts/index.ts";
import { pickLanguage, translator } from "../../i18n.ts";
import type { BotContext, InnerContext } from "../context.ts";
import { mainMenu } from "../keyboards/main-menu.ts";
import { describeRoles, greetingName } from "../render-person.ts";
import { offerGuardianConsent } from "./family/consent.ts";

export const startFeature = new Composer<BotContext>();
const privateChat = startFeature.chatType("private");

export async function replyWelcome(ctx: InnerContext, personId: number): Promise<void> {
  const person = await describePerson(ctx.services.prisma, personId);
  const text = [
    ctx.t("bot:start.welcome", {
      name: greetingName(person),
      fullName: person.fullName,
      roles: describeRoles(ctx.t, person),
    }),
    ctx.t("bot:start.helpHint"),
  ].join("\n\n");
  const keyboard = mainMenu(ctx, person);
  await ctx.reply(text, { reply_markup: keyboard });
}

privateChat.command("start", async (ctx) => {
  const code = ctx.match.trim();
  if (code) {
    const { services } = ctx;
    // A guardian's invite links only with the personal-data consent: show the notice, link on "I agree".
    const preview = await previewInvite(services.prisma, { code, botId: services.botId });
    if (preview.role === "GUARDIAN") {
      await offerGuardianConsent(ctx, preview);
      return;
    }
    const linked = await redeemInvite(services.prisma, {
      code,
      botId: services.botId,
      telegramUserId: ctx.from.id,
      chatId: ctx.chat.id,
      languageCode: ctx.from.language_code ?? null,
    });
    ctx.logger.info({ person_id: linked.personId, role: linked.role }, "account linked by invite");
    ctx.account = await findAccount(services.prisma, services.botId, ctx.from.id);
    ctx.actor = await actorForPerson(services.prisma, linked.personId);
    ctx.lng = pickLanguage(ctx.account?.locale ?? ctx.from.language_code, services.defaultLocale);
    ctx.t = translator(ctx.lng);
    await replyWelcome(ctx, linked.personId);
    return;
  }
  if (ctx.actor) {
    await replyWelcome(ctx, ctx.actor.personId);
    return;
  }
  await ctx.reply(ctx.t("bot:start.stranger"));
});
