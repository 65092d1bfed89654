// "📥 Upload the thematic plan" on the term sheet: the teacher sends the class and subject's thematic plan as an XLSX or
// CSV file (order, topic, hours); every error is listed with its row and nothing is half-applied (one file per tap). Any command or
// menu button leaves the conversation.
import { createConversation } from "@grammyjs/conversations";
import { Composer } from "grammy";
import { loadThematicPlan, type PlanError } from "../../../core/plans/load-thematic-plan.ts";
import { readPlanFile } from "../../../core/plans/read-plan-file.ts";
import { defineCallback } from "../../callback-data.ts";
import type { BotContext, InnerContext } from "../../context.ts";
import { answer, startConversation } from "../../ui/index.ts";
import { isLeaving, step, type TeacherConversation } from "../teacher-lesson/conversation-kit.ts";
import { termSheetCallback } from "./callbacks.ts";

export const planUploadCallback = defineCallback("tgkt", { assignmentId: "int" });
export const PLAN_CONVERSATION = "term-plan-upload";
const MAX_FILE_BYTES = 2_000_000;
const MAX_LISTED_ERRORS = 40;

async function download(ctx: InnerContext, fileId: string): Promise<Buffer> {
  const file = await ctx.api.getFile(fileId);
  const root = (ctx.api.options?.apiRoot ?? "https://api.telegram.org").replace(/\/+$/, "");
  const res = await fetch(`${root}/file/bot${ctx.api.token}/${file.file_path}`);
  if (!res.ok) throw new Error(`file download failed: ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}

function errorLines(ctx: InnerContext, errors: PlanError[]): string[] {
  const lines = errors.slice(0, MAX_LISTED_ERRORS).map((e) =>
    ctx.t("term-grades:plan.error", {
      where: e.row ? ctx.t("term-grades:plan.row", { row: e.row }) : ctx.t("term-grades:plan.file"),
      what: ctx.t(`term-grades:plan.codes.${e.code}`, { column: e.column, order: e.order ?? "" }),
    }),
  );
  if (errors.length > MAX_LISTED_ERRORS)
    lines.push(ctx.t("term-grades:plan.more", { count: errors.length - MAX_LISTED_ERRORS }));
  return lines;
}

async function planConversation(conversation: TeacherConversation, ctx: InnerContext, start: { assignmentId: number }) {
  const actor = ctx.actor;
  if (!actor) return;
  const back = {
    inline_keyboard: [
      [
        {
          text: ctx.t("term-grades:plan.back"),
          callback_data: termSheetCallback.encode({ ...start, periodId: 0, page: 0 }),
        },
      ],
    ],
  };
  const again = {
    inline_keyboard: [
      [{ text: ctx.t("term-grades:plan.button"), callback_data: planUploadCallback.encode(start) }],
      ...back.inline_keyboard,
    ],
  };
  await ctx.reply(ctx.t("term-grades:plan.ask"), { reply_markup: back });
  for (;;) {
    const next = await conversation.wait();
    if (isLeaving(next) || next.callbackQuery) await conversation.halt({ next: true });
    const doc = next.message?.document;
    if (!doc) {
      await next.reply(ctx.t("term-grades:plan.fileOnly"));
      continue;
    }
    if ((doc.file_size ?? 0) > MAX_FILE_BYTES) {
      await next.reply(ctx.t("term-grades:plan.tooBig"));
      continue;
    }
    const name = doc.file_name ?? "plan.xlsx";
    const res = await step(conversation, async () => {
      const rows = await readPlanFile(await download(next, doc.file_id), name);
      return loadThematicPlan(next.services.prisma, actor, { assignmentId: start.assignmentId, rows });
    });
    if (res.ok) {
      await next.reply(ctx.t("term-grades:plan.loaded", { count: res.value.items, hours: res.value.hours }), {
        reply_markup: back,
      });
      return;
    }
    if (res.code === "VALIDATION" && Array.isArray(res.details.errors)) {
      const lines = errorLines(next, res.details.errors as PlanError[]);
      // One file per conversation: the teacher fixes the file and taps "📥 Upload the thematic plan" again.
      await next.reply([ctx.t("term-grades:plan.invalid"), ...lines].join("\n").slice(0, 4000), {
        reply_markup: again,
      });
      return;
    }
    await next.reply(ctx.t(res.code === "FORBIDDEN" ? "term-grades:refused" : `errors:${res.code}`));
    return;
  }
}

export const planConversations = new Composer<BotContext>();
planConversations.use(createConversation<BotContext, InnerContext>(planConversation, PLAN_CONVERSATION));

export const planUploadFeature = new Composer<BotContext>();
planUploadFeature.callbackQuery(planUploadCallback.pattern, async (ctx) => {
  const data = planUploadCallback.parse(ctx.callbackQuery.data);
  if (!data || !ctx.actor) return answer(ctx, ctx.t("term-grades:refused"), true);
  await answer(ctx);
  await startConversation(ctx, PLAN_CONVERSATION, data);
});
