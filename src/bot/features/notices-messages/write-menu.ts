// the "write" menu button for guardians: write to a teacher, report an absence, read the correspondence. Also the
// buttons under relayed messages ("reply") and under a parent's absence notice ("confirm").
import { Composer } from "grammy";
import { describePerson } from "../../../core/accounts/index.ts";
import { toIsoDate } from "../../../core/dates.ts";
import { confirmNotice } from "../../../core/journal/absence-notices.ts";
import { inbox, messageToAnswer, thread } from "../../../core/messages/index.ts";
import type { BotContext } from "../../context.ts";
import { isLinked } from "../../context.ts";
import { menuLabels } from "../../keyboards/main-menu.ts";
import { answer, startConversation } from "../../ui/index.ts";
import { ABSENCE_CONVERSATION } from "./absence-conversation.ts";
import { confirmCallback, menuCallback, replyCallback, threadCallback } from "./callbacks.ts";
import { MESSAGE_CONVERSATION, REPLY_CONVERSATION } from "./message-conversation.ts";

export const writeMenuFeature = new Composer<BotContext>();
const MAX_TEXT = 3900;

writeMenuFeature.chatType("private").hears(menuLabels("write"), async (ctx, next) => {
  if (!isLinked(ctx)) {
    await ctx.reply(ctx.t("bot:start.stranger"));
    return;
  }
  // Only guardians have this button; anyone else typing the word gets the usual "did not understand".
  const person = await describePerson(ctx.services.prisma, ctx.actor.personId);
  if (!person.roles.includes("GUARDIAN")) return next();
  const button = (key: string, action: string) => [
    { text: ctx.t(`notices:write.${key}`), callback_data: menuCallback.encode({ action }) },
  ];
  await ctx.reply(ctx.t("notices:write.menu"), {
    reply_markup: {
      inline_keyboard: [button("message", "msg"), button("absence", "absence"), button("inbox", "inbox")],
    },
  });
});

writeMenuFeature.callbackQuery(menuCallback.encode({ action: "msg" }), async (ctx) => {
  await answer(ctx);
  if (isLinked(ctx)) await startConversation(ctx, MESSAGE_CONVERSATION);
});

writeMenuFeature.callbackQuery(menuCallback.encode({ action: "absence" }), async (ctx) => {
  await answer(ctx);
  if (isLinked(ctx)) await startConversation(ctx, ABSENCE_CONVERSATION);
});

writeMenuFeature.callbackQuery(menuCallback.encode({ action: "inbox" }), async (ctx) => {
  await answer(ctx);
  if (!isLinked(ctx)) return;
  const entries = await inbox(ctx.services.prisma, ctx.actor);
  if (entries.length === 0) {
    await ctx.reply(ctx.t("notices:inbox.empty"));
    return;
  }
  await ctx.reply(ctx.t("notices:inbox.title"), {
    reply_markup: {
      inline_keyboard: entries.map((e) => [
        {
          text: ctx.t("notices:inbox.item", {
            name: e.withName,
            child: e.studentName,
            unread: e.unread ? ctx.t("notices:inbox.unread", { count: e.unread }) : "",
          }),
          callback_data: threadCallback.encode({ studentId: e.studentId, withPersonId: e.withPersonId }),
        },
      ]),
    },
  });
});

writeMenuFeature.callbackQuery(threadCallback.pattern, async (ctx) => {
  const data = threadCallback.parse(ctx.callbackQuery.data);
  if (!data || !isLinked(ctx)) {
    await answer(ctx);
    return;
  }
  const th = await thread(ctx.services.prisma, ctx.actor, data);
  await answer(ctx);
  const lines: string[] = [];
  let length = 200;
  for (const m of [...th.messages].reverse()) {
    const [, mm, dd] = toIsoDate(new Date(m.createdAt)).split("-");
    const line = ctx.t("notices:inbox.line", {
      date: `${dd}.${mm}`,
      who: m.fromMe ? ctx.t("notices:inbox.me") : th.withName,
      text: m.text,
    });
    if (length + line.length > MAX_TEXT) break;
    lines.unshift(line);
    length += line.length + 2;
  }
  const last = th.messages.at(-1)!;
  await ctx.reply(
    [ctx.t("notices:inbox.thread", { name: th.withName, child: th.studentName }), ...lines].join("\n\n"),
    {
      reply_markup: {
        inline_keyboard: [
          [
            {
              text: ctx.t("notices:inbox.reply"),
              callback_data: replyCallback.encode({ correspondenceId: last.correspondenceId }),
            },
          ],
        ],
      },
    },
  );
});

writeMenuFeature.callbackQuery(replyCallback.pattern, async (ctx) => {
  const data = replyCallback.parse(ctx.callbackQuery.data);
  if (!data || !isLinked(ctx)) {
    await answer(ctx);
    return;
  }
  // The core checks the person is a party of that message before anything is asked.
  const original = await messageToAnswer(ctx.services.prisma, ctx.actor, data);
  await answer(ctx);
  await startConversation(ctx, REPLY_CONVERSATION, original);
});

writeMenuFeature.callbackQuery(confirmCallback.pattern, async (ctx) => {
  const data = confirmCallback.parse(ctx.callbackQuery.data);
  if (!data || !isLinked(ctx)) {
    await answer(ctx);
    return;
  }
  const r = await confirmNotice(ctx.services.prisma, ctx.actor, data);
  await answer(
    ctx,
    r.changed
      ? ctx.t("notices:absence.confirmDone", { count: r.attendanceUpdated })
      : ctx.t("notices:absence.confirmAlready"),
  );
  const confirmed = {
    inline_keyboard: [[{ text: ctx.t("notices:absence.confirmed"), callback_data: confirmCallback.encode(data) }]],
  };
  const current = ctx.callbackQuery.message?.reply_markup?.inline_keyboard ?? [];
  if (JSON.stringify(current) !== JSON.stringify(confirmed.inline_keyboard)) {
    await ctx.editMessageReplyMarkup({ reply_markup: confirmed });
  }
});
