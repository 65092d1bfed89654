// Consent to personal-data processing in the bot. A guardian's /start <code> shows who the code is for
// and the notice; only «Согласен» links the account and records the consent (one core transaction). The code
// stays server-side (BotState) until then, and the invite stays usable after «Не согласен». A linked guardian
// withdraws the consent in Settings and can give it again.
import { Composer } from "grammy";
import type { InlineKeyboardButton } from "grammy/types";
import type { TFunction } from "i18next";
import {
  acceptGuardianInvite,
  actorForPerson,
  type ConsentChild,
  consentStatus,
  describePerson,
  findAccount,
  giveConsent,
  type InvitePreview,
  withdrawConsent,
} from "../../../core/accounts/index.ts";
import { localMoment } from "../../../core/dates.ts";
import { isAppError } from "../../../core/errors.ts";
import { getSchool } from "../../../core/settings.ts";
import { pickLanguage, translator } from "../../../i18n.ts";
import { type BotContext, type InnerContext, isLinked, type LinkedContext } from "../../context.ts";
import { describeRoles, greetingName } from "../../render-person.ts";
import { answer, isNotModified } from "../../ui/index.ts";
import { replyWelcome } from "../start.ts";
import {
  acceptInviteCallback,
  consentNoticeCallback,
  declineInviteCallback,
  giveConsentCallback,
  keepWithoutConsentCallback,
  withdrawAskCallback,
  withdrawCancelCallback,
  withdrawConfirmCallback,
} from "./callbacks.ts";
import { longDate } from "./format.ts";
import { clearPendingInvite, loadPendingInvite, savePendingInvite } from "./state.ts";

function childrenLines(t: TFunction, children: ConsentChild[]): string {
  return children
    .map((c) =>
      c.className
        ? t("family:consent.childLine", { name: c.name, className: c.className })
        : t("family:consent.childLineNoClass", { name: c.name }),
    )
    .join("\n");
}

function consentButtons(t: TFunction, yes: string, no: string): InlineKeyboardButton[][] {
  return [
    [
      { text: t("family:consent.agree"), callback_data: yes },
      { text: t("family:consent.disagree"), callback_data: no },
    ],
  ];
}

/** /start <code> of a guardian's invite: who it is for, the notice, «Согласен» / «Не согласен». Links nothing. */
export async function offerGuardianConsent(ctx: InnerContext, preview: InvitePreview): Promise<void> {
  if (!ctx.from) return;
  await savePendingInvite(ctx, ctx.from.id, { inviteId: preview.inviteId, codeHash: preview.codeHash });
  const person = await describePerson(ctx.services.prisma, preview.personId);
  const text = [
    ctx.t("family:consent.inviteGreeting", {
      name: greetingName(person),
      fullName: person.fullName,
      roles: describeRoles(ctx.t, person),
      school: preview.schoolName,
    }),
    `${ctx.t("family:consent.childrenTitle", { count: preview.children.length })}\n${childrenLines(ctx.t, preview.children)}`,
    ctx.t("family:consent.notice", { school: preview.schoolName }),
    ctx.t("family:consent.askInvite"),
  ].join("\n\n");
  ctx.logger.info({ person_id: preview.personId, invite_id: preview.inviteId }, "guardian invite opened");
  await ctx.reply(text, {
    reply_markup: {
      inline_keyboard: consentButtons(
        ctx.t,
        acceptInviteCallback.encode({ inviteId: preview.inviteId }),
        declineInviteCallback.encode({ inviteId: preview.inviteId }),
      ),
    },
  });
}

/** Removes the buttons under the message that was answered (the notice keeps its text as a record). */
async function dropButtons(ctx: InnerContext): Promise<void> {
  try {
    await ctx.editMessageReplyMarkup({ reply_markup: { inline_keyboard: [] } });
  } catch (err) {
    if (!isNotModified(err)) ctx.logger.warn({ err }, "could not remove consent buttons");
  }
}

/** The diary cannot be shown: consent withdrawn or never given, or the person has no children in the diary. */
export async function replyNoDiary(ctx: LinkedContext<InnerContext>): Promise<void> {
  const status = await consentStatus(ctx.services.prisma, ctx.actor);
  if (!status.guardian) {
    await ctx.reply(ctx.t("family:diary.noChildren"));
    return;
  }
  const withdrawn = status.state === "withdrawn";
  await ctx.reply(ctx.t(withdrawn ? "family:consent.withdrawnDiary" : "family:consent.neededDiary"), {
    reply_markup: {
      inline_keyboard: [
        [
          {
            text: ctx.t(withdrawn ? "family:consent.giveAgain" : "family:consent.give"),
            callback_data: consentNoticeCallback.encode({}),
          },
        ],
      ],
    },
  });
}

export const consentFeature = new Composer<BotContext>();
const privateChat = consentFeature.chatType("private");

// «Согласен» on an invite: the core re-checks the invite behind the code kept server-side, then links and
// records the consent in one transaction.
privateChat.callbackQuery(acceptInviteCallback.pattern, async (ctx) => {
  const data = acceptInviteCallback.parse(ctx.callbackQuery.data);
  const pending = await loadPendingInvite(ctx, ctx.from.id);
  if (!data || !pending || pending.inviteId !== data.inviteId) {
    await answer(ctx, ctx.t("family:consent.inviteStale"));
    await dropButtons(ctx);
    await ctx.reply(ctx.t("family:consent.inviteStale"));
    return;
  }
  const { services } = ctx;
  let accepted: Awaited<ReturnType<typeof acceptGuardianInvite>>;
  try {
    accepted = await acceptGuardianInvite(services.prisma, {
      inviteId: pending.inviteId,
      codeHash: pending.codeHash,
      botId: services.botId,
      telegramUserId: ctx.from.id,
      chatId: ctx.chat.id,
      languageCode: ctx.from.language_code ?? null,
    });
  } catch (err) {
    if (isAppError(err)) {
      await clearPendingInvite(ctx, ctx.from.id);
      await dropButtons(ctx);
    }
    throw err;
  }
  await clearPendingInvite(ctx, ctx.from.id);
  ctx.logger.info(
    { person_id: accepted.personId, children: accepted.studentIds.length },
    "guardian linked with consent",
  );
  ctx.account = await findAccount(services.prisma, services.botId, ctx.from.id);
  ctx.actor = await actorForPerson(services.prisma, accepted.personId);
  ctx.lng = pickLanguage(ctx.account?.locale ?? ctx.from.language_code, services.defaultLocale);
  ctx.t = translator(ctx.lng);
  await answer(ctx);
  await dropButtons(ctx);
  const school = await getSchool(services.prisma, accepted.schoolId);
  const at = localMoment(school.timezone, new Date(accepted.consentGivenAt));
  await ctx.reply(ctx.t("family:consent.accepted", { date: longDate(ctx.lng, at.date), time: at.time }));
  await replyWelcome(ctx, accepted.personId);
});

// «Не согласен» on an invite: nothing is linked, the invite stays usable.
privateChat.callbackQuery(declineInviteCallback.pattern, async (ctx) => {
  await clearPendingInvite(ctx, ctx.from.id);
  await answer(ctx);
  await dropButtons(ctx);
  await ctx.reply(ctx.t("family:consent.declined"));
});

const linked = consentFeature.filter(isLinked);

/** The notice for a linked guardian, to give the consent (again). */
linked.callbackQuery(consentNoticeCallback.pattern, async (ctx) => {
  const status = await consentStatus(ctx.services.prisma, ctx.actor);
  await answer(ctx);
  if (!status.guardian) {
    await ctx.reply(ctx.t("family:diary.noChildren"));
    return;
  }
  const school = (await getSchool(ctx.services.prisma, ctx.actor.schoolId)).name;
  const text = [
    `${ctx.t("family:consent.childrenTitle", { count: status.children.length })}\n${childrenLines(ctx.t, status.children)}`,
    ctx.t("family:consent.notice", { school }),
  ].join("\n\n");
  await ctx.reply(text, {
    reply_markup: {
      inline_keyboard: consentButtons(ctx.t, giveConsentCallback.encode({}), keepWithoutConsentCallback.encode({})),
    },
  });
});

linked.callbackQuery(giveConsentCallback.pattern, async (ctx) => {
  const status = await giveConsent(ctx.services.prisma, ctx.actor);
  ctx.logger.info({ children: status.children.length }, "consent given again");
  await answer(ctx);
  await dropButtons(ctx);
  await ctx.reply(ctx.t("family:consent.givenAgain"));
});

linked.callbackQuery(keepWithoutConsentCallback.pattern, async (ctx) => {
  await answer(ctx);
  await dropButtons(ctx);
  await ctx.reply(ctx.t("family:consent.withoutConsent"));
});

linked.callbackQuery(withdrawAskCallback.pattern, async (ctx) => {
  await answer(ctx);
  await ctx.reply(ctx.t("family:consent.withdrawAsk"), {
    reply_markup: {
      inline_keyboard: [
        [
          { text: ctx.t("family:consent.withdrawYes"), callback_data: withdrawConfirmCallback.encode({}) },
          { text: ctx.t("family:consent.withdrawNo"), callback_data: withdrawCancelCallback.encode({}) },
        ],
      ],
    },
  });
});

linked.callbackQuery(withdrawConfirmCallback.pattern, async (ctx) => {
  await withdrawConsent(ctx.services.prisma, ctx.actor);
  ctx.logger.info("consent withdrawn");
  await answer(ctx);
  await dropButtons(ctx);
  await ctx.reply(ctx.t("family:consent.withdrawn"), {
    reply_markup: {
      inline_keyboard: [[{ text: ctx.t("family:consent.giveAgain"), callback_data: consentNoticeCallback.encode({}) }]],
    },
  });
});

linked.callbackQuery(withdrawCancelCallback.pattern, async (ctx) => {
  await answer(ctx);
  await dropButtons(ctx);
  await ctx.reply(ctx.t("family:consent.withdrawCancelled"));
});
