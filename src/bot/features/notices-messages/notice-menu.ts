// /notice: "new notice" (the conversation) and "my notices" with each notice's statistics:
// delivered, read, acknowledged and who has not acknowledged yet.
import { Composer } from "grammy";
import { toIsoDate } from "../../../core/dates.ts";
import type { AnnouncementStats } from "../../../core/notices/index.ts";
import { announcementStats, announceTargets, myAnnouncements } from "../../../core/notices/index.ts";
import type { BotContext, InnerContext } from "../../context.ts";
import { isLinked } from "../../context.ts";
import { answer, show, startConversation } from "../../ui/index.ts";
import { menuCallback, mineCallback, statsCallback } from "./callbacks.ts";
import { NOTICE_CONVERSATION } from "./notice-conversation.ts";

export const noticeMenuFeature = new Composer<BotContext>();
const MAX_TEXT = 3900;

const shortDate = (iso: string) => {
  const [, m, d] = toIsoDate(new Date(iso)).split("-");
  return `${d}.${m}`;
};

function targetName(ctx: InnerContext, a: { scope: string; className: string | null; grade: number | null }) {
  return ctx.t(`notices:notice.target.${a.scope}`, { name: a.className ?? "", grade: a.grade ?? "" });
}

noticeMenuFeature.chatType("private").command("notice", async (ctx) => {
  if (!isLinked(ctx)) {
    await ctx.reply(ctx.t("bot:start.stranger"));
    return;
  }
  const targets = await announceTargets(ctx.services.prisma, ctx.actor);
  if (targets.classes.length === 0 && !targets.school) {
    await ctx.reply(ctx.t("notices:notice.noRights"));
    return;
  }
  await ctx.reply(ctx.t("notices:notice.menu"), {
    reply_markup: {
      inline_keyboard: [
        [{ text: ctx.t("notices:notice.new"), callback_data: menuCallback.encode({ action: "new" }) }],
        [{ text: ctx.t("notices:notice.mine"), callback_data: mineCallback.encode({}) }],
      ],
    },
  });
});

noticeMenuFeature.callbackQuery(menuCallback.encode({ action: "new" }), async (ctx) => {
  await answer(ctx);
  if (!isLinked(ctx)) return;
  await startConversation(ctx, NOTICE_CONVERSATION);
});

noticeMenuFeature.callbackQuery(mineCallback.pattern, async (ctx) => {
  if (!isLinked(ctx)) {
    await answer(ctx);
    return;
  }
  const list = await myAnnouncements(ctx.services.prisma, ctx.actor);
  await answer(ctx);
  if (list.length === 0) {
    await show(ctx, { text: ctx.t("notices:mine.empty") });
    return;
  }
  const rows = list.map((a) => [
    {
      text: ctx.t("notices:mine.item", {
        date: shortDate(a.createdAt),
        target: targetName(ctx, a),
        acknowledged: a.acknowledged,
        recipients: a.recipients,
        preview: a.preview,
      }),
      callback_data: statsCallback.encode({ announcementId: a.announcementId }),
    },
  ]);
  await show(ctx, { text: ctx.t("notices:mine.title"), keyboard: rows });
});

export function renderStats(ctx: InnerContext, s: AnnouncementStats): string {
  const t = ctx.t;
  const head = [
    t("notices:stats.title", {
      date: shortDate(s.createdAt),
      target: targetName(ctx, s),
      audience: t(`notices:notice.audience.${s.audience}`).toLowerCase(),
      preview: s.text.length > 80 ? `${s.text.slice(0, 79)}…` : s.text,
    }),
    t("notices:stats.counts", { ...s }) +
      (s.notConnected ? `\n${t("notices:stats.notConnected", { count: s.notConnected })}` : ""),
  ].join("\n\n");
  const note = t("notices:stats.readNote");
  if (s.notAcknowledged.length === 0) return [head, t("notices:stats.allAcknowledged"), note].join("\n\n");
  const lines: string[] = [];
  let length = head.length + note.length + 100;
  let shown = 0;
  for (const p of s.notAcknowledged) {
    const line =
      p.kind === "student"
        ? t("notices:stats.pendingStudent", { name: p.name })
        : t("notices:stats.pendingGuardian", { name: p.name, children: p.children.join(", ") });
    if (length + line.length + 1 > MAX_TEXT) break;
    lines.push(line);
    length += line.length + 1;
    shown++;
  }
  if (shown < s.notAcknowledged.length) {
    lines.push(t("notices:stats.andMore", { count: s.notAcknowledged.length - shown }));
  }
  return [head, `${t("notices:stats.pendingTitle")}\n${lines.join("\n")}`, note].join("\n\n");
}

noticeMenuFeature.callbackQuery(statsCallback.pattern, async (ctx) => {
  const data = statsCallback.parse(ctx.callbackQuery.data);
  if (!data || !isLinked(ctx)) {
    await answer(ctx);
    return;
  }
  const stats = await announcementStats(ctx.services.prisma, ctx.actor, data);
  await answer(ctx);
  await show(ctx, {
    text: renderStats(ctx, stats),
    keyboard: [
      [{ text: ctx.t("notices:stats.refresh"), callback_data: statsCallback.encode(data) }],
      [{ text: ctx.t("notices:stats.back"), callback_data: mineCallback.encode({}) }],
    ],
  });
});
