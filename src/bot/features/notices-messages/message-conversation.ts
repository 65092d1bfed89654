// the "write" menu button → "write to a teacher": which child (when several), which teacher (the child's class teacher and
// subject teachers), the text, sent. The teacher gets it from the bot with the parent's and child's names,
// never the parent's Telegram account. Also the answer to a relayed message ("reply").
import { myChildren } from "../../../core/family/index.ts";
import { MESSAGE_MAX_TEXT, type MessageToAnswer, sendMessage, teachersOfChild } from "../../../core/messages/index.ts";
import type { InnerContext } from "../../context.ts";
import { type Choice, choiceKeyboard, choose, deps, type NmConversation, waitText } from "./steps.ts";

export const MESSAGE_CONVERSATION = "nm-message";
export const REPLY_CONVERSATION = "nm-reply";

/** The guardian's children (with consent); asks which one when there are several. Null: none. */
export async function pickChild(
  conversation: NmConversation,
  ctx: InnerContext,
  promptKey: string,
): Promise<{ studentId: number; name: string } | null> {
  const children = await conversation.external(async (c) => {
    const { db, actor } = deps(c);
    return (await myChildren(db, actor)).filter((ch) => ch.relation === "guardian");
  });
  if (children.length === 0) {
    await ctx.reply(ctx.t("notices:write.noChildren"));
    return null;
  }
  if (children.length === 1) return { studentId: children[0].studentId, name: children[0].name };
  const choices: Choice[] = children.map((ch) => ({
    value: `s${ch.studentId}`,
    text: ch.className ? `${ch.name} (${ch.className})` : ch.name,
  }));
  await ctx.reply(ctx.t(promptKey), { reply_markup: choiceKeyboard(ctx, choices) });
  const id = Number((await choose(conversation, choices)).slice(1));
  const child = children.find((ch) => ch.studentId === id)!;
  return { studentId: child.studentId, name: child.name };
}

async function writeAndSend(
  conversation: NmConversation,
  ctx: InnerContext,
  to: { personId: number; name: string; studentId: number; replyToId?: number },
  prompt: string,
): Promise<void> {
  await ctx.reply(prompt, { reply_markup: choiceKeyboard(ctx, []) });
  let text = "";
  for (;;) {
    const answer = await waitText(conversation, (c) => c.reply(c.t("notices:msg.textOnly")));
    text = answer.text;
    if (text.length > 0 && text.length <= MESSAGE_MAX_TEXT) break;
    await answer.ctx.reply(ctx.t("notices:msg.tooLong", { length: text.length, max: MESSAGE_MAX_TEXT }));
  }
  await conversation.external((c) => {
    const { db, actor } = deps(c);
    return sendMessage(db, actor, {
      toPersonId: to.personId,
      studentId: to.studentId,
      text,
      ...(to.replyToId ? { replyToId: to.replyToId } : {}),
    });
  });
  await ctx.reply(ctx.t("notices:msg.sent", { name: to.name }));
}

export async function messageConversation(conversation: NmConversation, ctx: InnerContext): Promise<void> {
  const t = ctx.t;
  const child = await pickChild(conversation, ctx, "notices:msg.pickChild");
  if (!child) return;
  const info = await conversation.external((c) => {
    const { db, actor } = deps(c);
    return teachersOfChild(db, actor, { studentId: child.studentId });
  });
  if (info.teachers.length === 0) {
    await ctx.reply(t("notices:msg.noTeachers"));
    return;
  }
  const choices: Choice[] = info.teachers.map((teacher) => ({
    value: `t${teacher.personId}`,
    text: t("notices:msg.teacher", {
      name: teacher.name,
      subjects: [...(teacher.classTeacher ? [t("notices:msg.classTeacher")] : []), ...teacher.subjects].join(", "),
    }),
  }));
  await ctx.reply(t("notices:msg.pickTeacher", { child: info.studentName, class: info.className ?? "—" }), {
    reply_markup: choiceKeyboard(ctx, choices),
  });
  const teacherId = Number((await choose(conversation, choices)).slice(1));
  const teacher = info.teachers.find((x) => x.personId === teacherId)!;
  await writeAndSend(
    conversation,
    ctx,
    { personId: teacher.personId, name: teacher.name, studentId: child.studentId },
    t("notices:msg.askText", { name: teacher.name, max: MESSAGE_MAX_TEXT }),
  );
}

/** Entered with the message being answered (already checked by the core when "reply" was pressed). */
export async function replyConversation(
  conversation: NmConversation,
  ctx: InnerContext,
  original: MessageToAnswer,
): Promise<void> {
  await writeAndSend(
    conversation,
    ctx,
    {
      personId: original.withPersonId,
      name: original.withName,
      studentId: original.studentId,
      replyToId: original.correspondenceId,
    },
    ctx.t("notices:msg.askReply", { name: original.withName, child: original.studentName }),
  );
}
