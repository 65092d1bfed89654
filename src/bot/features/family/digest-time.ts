// «🕒 Другое время» on the digest-time screen: the person types a time of day (22:30, 7:00); the core checks
// that it is a quarter-hour and saves it. School time. Any command, menu button or other button leaves.
import { type Conversation, createConversation } from "@grammyjs/conversations";
import { Composer } from "grammy";
import { schoolNow } from "../../../core/journal/common.ts";
import { parseTypedTime, updatePreferences } from "../../../core/preferences/settings.ts";
import { type BotContext, type InnerContext, isLinked } from "../../context.ts";
import { answer, show } from "../../ui/index.ts";
import { isLeaving, step } from "../teacher-lesson/conversation-kit.ts";
import { settingCallback } from "./callbacks.ts";

export const DIGEST_TIME_CONVERSATION = "family-digest-time";

type FamilyConversation = Conversation<BotContext, InnerContext>;

async function digestTime(conversation: FamilyConversation, ctx: InnerContext): Promise<void> {
  if (!isLinked(ctx)) return;
  const db = ctx.services.prisma;
  const actor = ctx.actor;
  const t = ctx.t;
  const now = await step(conversation, async () => (await schoolNow(db, actor.schoolId)).local.time);
  const back = [
    [{ text: t("family:settings.back"), callback_data: settingCallback.encode({ key: "menu", value: "digest" }) }],
  ];
  await show(ctx, { text: t("family:settings.digestAsk", { now: now.ok ? now.value : "" }), keyboard: back });
  for (;;) {
    const next = await conversation.wait();
    if (isLeaving(next) || next.callbackQuery) await conversation.halt({ next: true });
    const typed = next.message?.text?.trim() ?? "";
    const time = parseTypedTime(typed);
    if (!time) {
      await next.reply(t("family:settings.digestTypedInvalid"));
      continue;
    }
    const saved = await step(conversation, () => updatePreferences(db, actor, { digestTime: time }));
    if (!saved.ok) {
      await next.reply(
        t(saved.code === "VALIDATION" ? "family:settings.digestNotQuarter" : `errors:${saved.code}`, { time }),
      );
      if (saved.code === "VALIDATION") continue;
      return;
    }
    await answer(next);
    await next.reply(t("family:settings.digestSaved", { time }), {
      reply_markup: {
        inline_keyboard: [
          [
            {
              text: t("family:settings.toSettings"),
              callback_data: settingCallback.encode({ key: "menu", value: "main" }),
            },
          ],
        ],
      },
    });
    return;
  }
}

/** Installed at the front of the features (features/index.ts), so a typed time reaches it first. */
export const familyConversations = new Composer<BotContext>();
familyConversations.use(createConversation<BotContext, InnerContext>(digestTime, DIGEST_TIME_CONVERSATION));
