// A movement by the administration's order, started from a student's card or a class: the target (a
// class, a group) or the new student's name, the date (a button for today), the order's number and date typed
// in one line, then one core call. A refusal the person can fix is explained in words, not as an error code.
import { isAppError } from "../../../core/errors.ts";
import { schoolNow } from "../../../core/journal/common.ts";
import { admitStudent, changeSubgroup, leaveStudent, transferStudent } from "../../../core/school-year/movement.ts";
import { parseDayMonthYear, parseOrderText } from "../../../core/school-year/order.ts";
import { classStudentsToday, studentCard } from "../../../core/school-year/students-read.ts";
import type { InnerContext } from "../../context.ts";
import { choiceCallback } from "../notices-messages/callbacks.ts";
import {
  type Choice,
  choiceKeyboard,
  choose,
  deps,
  type NmConversation,
  step,
  waitText,
} from "../notices-messages/steps.ts";
import { syExtract } from "./callbacks.ts";
import { dotted } from "./format.ts";

export const MOVE_CONVERSATION = "sy-move";

export interface MoveArgs {
  action: "transfer" | "subgroup" | "leave" | "admit";
  /** The student, or the class for "admit". */
  id: number;
}

type Outcome =
  | { ok: true; name: string; kind: string; from: string | null; to: string | null; studentId: number }
  | { ok: false; code: string; reason: string | null };

async function askDate(conversation: NmConversation, ctx: InnerContext, today: string, prompt: string) {
  const todayChoice: Choice = { value: "today", text: ctx.t("school-year:move.today", { date: dotted(today) }) };
  await ctx.reply(prompt, { reply_markup: choiceKeyboard(ctx, [todayChoice]) });
  for (;;) {
    const answer = await step(
      conversation,
      (c) => typeof c.message?.text === "string" || choiceCallback.parse(c.callbackQuery?.data)?.value === "today",
    );
    if (answer.callbackQuery) {
      await answer.answerCallbackQuery();
      await answer.editMessageReplyMarkup().catch(() => undefined);
      return today;
    }
    const date = parseDayMonthYear(answer.message!.text!);
    if (date) return date;
    await answer.reply(ctx.t("school-year:move.badDate"));
  }
}

export async function askOrder(conversation: NmConversation, ctx: InnerContext) {
  await ctx.reply(ctx.t("school-year:move.askOrder"), { reply_markup: choiceKeyboard(ctx, []) });
  for (;;) {
    const { ctx: answer, text } = await waitText(conversation, (c) => c.reply(ctx.t("school-year:move.askOrder")));
    const order = parseOrderText(text);
    if (order) return order;
    await answer.reply(ctx.t("school-year:move.badOrder"));
  }
}

function refusal(ctx: InnerContext, o: Extract<Outcome, { ok: false }>, date: string): string {
  if (o.reason === "journal-after-date") return ctx.t("school-year:move.journalAfter", { date: dotted(date) });
  if (o.reason === "before-enrollment") return ctx.t("school-year:move.beforeEnrollment");
  if (o.reason === "not-enrolled") return ctx.t("school-year:move.notEnrolled");
  if (o.reason === "already-left") return ctx.t("school-year:move.alreadyLeft");
  if (o.code === "LOCKED_PERIOD") return ctx.t("school-year:move.yearClosed");
  return ctx.t(`errors:${o.code}`);
}

export async function moveConversation(conversation: NmConversation, ctx: InnerContext, args: MoveArgs) {
  const t = ctx.t;
  // What is moved: a student's card, or the class a new student is admitted to.
  const start = await conversation.external(async (c) => {
    const { db, actor } = deps(c);
    if (args.action === "admit") {
      const cls = await classStudentsToday(db, actor, { classId: args.id });
      return { today: "", name: "", className: cls.name, classes: [], subgroups: [] };
    }
    const card = await studentCard(db, actor, { studentId: args.id });
    return {
      today: card.today,
      name: card.name,
      className: card.className ?? "",
      classes: card.classes,
      subgroups: card.otherSubgroups,
    };
  });
  let targetId = 0;
  let name = start.name;
  let lastName = "";
  let firstName = "";
  let middleName: string | undefined;
  if (args.action === "transfer") {
    if (start.classes.length === 0) return void (await ctx.reply(t("school-year:move.noClasses")));
    const choices = start.classes.map((c) => ({ value: `c${c.classId}`, text: c.name }));
    await ctx.reply(t("school-year:move.pickClass", { name }), {
      reply_markup: choiceKeyboard(ctx, choices, { perRow: 4 }),
    });
    targetId = Number((await choose(conversation, choices)).slice(1));
  } else if (args.action === "subgroup") {
    if (start.subgroups.length === 0) return void (await ctx.reply(t("school-year:move.noSubgroups")));
    const choices = start.subgroups.map((g) => ({
      value: `g${g.subgroupId}`,
      text: t("school-year:move.subgroupChoice", { subject: g.subjectName, number: g.number }),
    }));
    await ctx.reply(t("school-year:move.pickSubgroup", { name }), { reply_markup: choiceKeyboard(ctx, choices) });
    targetId = Number((await choose(conversation, choices)).slice(1));
  } else if (args.action === "admit") {
    await ctx.reply(t("school-year:move.askName", { className: start.className }), {
      reply_markup: choiceKeyboard(ctx, []),
    });
    for (;;) {
      const { ctx: answer, text } = await waitText(conversation, (c) => c.reply(t("school-year:move.badName")));
      const parts = text.split(/\s+/).filter(Boolean);
      if (parts.length >= 2 && parts.length <= 3 && parts.every((p) => p.length <= 60)) {
        [lastName, firstName, middleName] = parts;
        name = parts.join(" ");
        break;
      }
      await answer.reply(t("school-year:move.badName"));
    }
  }
  const today = await conversation.external(async (c) => {
    const { db, actor } = deps(c);
    return (await schoolNow(db, actor.schoolId)).local.date;
  });
  const date = await askDate(
    conversation,
    ctx,
    today,
    t(args.action === "leave" ? "school-year:move.askLeaveDate" : "school-year:move.askDate"),
  );
  const order = await askOrder(conversation, ctx);

  const outcome = await conversation.external(async (c): Promise<Outcome> => {
    const { db, actor } = deps(c);
    try {
      const r =
        args.action === "transfer"
          ? await transferStudent(db, actor, { studentId: args.id, classId: targetId, date, order })
          : args.action === "subgroup"
            ? await changeSubgroup(db, actor, { studentId: args.id, subgroupId: targetId, date, order })
            : args.action === "leave"
              ? await leaveStudent(db, actor, { studentId: args.id, date, order })
              : await admitStudent(db, actor, { lastName, firstName, middleName, classId: args.id, date, order });
      return { ok: true, name, kind: r.kind, from: r.fromClass, to: r.toClass, studentId: r.studentId };
    } catch (err) {
      if (!isAppError(err)) throw err;
      const reason = typeof err.details.reason === "string" ? err.details.reason : null;
      return { ok: false, code: err.code, reason };
    }
  });
  if (!outcome.ok) {
    await ctx.reply(refusal(ctx, outcome, date));
    return;
  }
  const text = t(`school-year:move.done.${outcome.kind}`, {
    name: outcome.name,
    from: outcome.from ?? "—",
    to: outcome.to ?? "—",
    date: dotted(date),
    orderNo: order.number,
    orderDate: dotted(order.date),
  });
  const markup =
    outcome.kind === "LEAVING"
      ? {
          inline_keyboard: [
            [
              {
                text: t("school-year:students.extract"),
                callback_data: syExtract.encode({ studentId: outcome.studentId }),
              },
            ],
          ],
        }
      : undefined;
  await ctx.reply(text, markup ? { reply_markup: markup } : {});
}
