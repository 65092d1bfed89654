// /notice → "new notice": where to (the class teacher's class; the administration's school or parallel),
// who (parents, students, both), the text, an optional file, a preview with the number of recipients, send.
import type { AnnouncementFile, AnnouncementInput } from "../../../core/notices/index.ts";
import {
  ANNOUNCEMENT_MAX_TEXT,
  announceTargets,
  createAnnouncement,
  previewAnnouncement,
} from "../../../core/notices/index.ts";
import type { InnerContext } from "../../context.ts";
import { answer as answerPress } from "../../ui/index.ts";
import { choiceCallback, mineCallback } from "./callbacks.ts";
import { type Choice, choiceKeyboard, choose, deps, type NmConversation, step } from "./steps.ts";

export const NOTICE_CONVERSATION = "nm-notice";

type Target = Pick<AnnouncementInput, "scope" | "classId" | "grade">;

function fileOf(ctx: InnerContext): AnnouncementFile | undefined {
  const m = ctx.message;
  if (m?.document) return { kind: "document", fileId: m.document.file_id, name: m.document.file_name ?? undefined };
  if (m?.photo?.length) return { kind: "photo", fileId: m.photo[m.photo.length - 1].file_id };
  return undefined;
}

export async function noticeConversation(conversation: NmConversation, ctx: InnerContext): Promise<void> {
  const t = ctx.t;
  const targets = await conversation.external((c) => {
    const { db, actor } = deps(c);
    return announceTargets(db, actor);
  });
  // Where to.
  const scopes: Choice[] = targets.classes.map((c) => ({
    value: `c${c.classId}`,
    text: t("notices:notice.scopeClass", { name: c.name }),
  }));
  if (targets.school) {
    scopes.push({ value: "school", text: t("notices:notice.scopeSchool") });
    if (targets.grades.length) scopes.push({ value: "parallel", text: t("notices:notice.scopeParallel") });
  }
  if (scopes.length === 0) {
    await ctx.reply(t("notices:notice.noRights"));
    return;
  }
  let scope = scopes[0].value;
  if (scopes.length > 1) {
    await ctx.reply(t("notices:notice.pickScope"), { reply_markup: choiceKeyboard(ctx, scopes) });
    scope = await choose(conversation, scopes);
  }
  let target: Target;
  if (scope === "school") target = { scope: "SCHOOL" };
  else if (scope === "parallel") {
    const grades = targets.grades.map((g) => ({ value: `g${g}`, text: t("notices:notice.grade", { grade: g }) }));
    await ctx.reply(t("notices:notice.pickGrade"), { reply_markup: choiceKeyboard(ctx, grades, { perRow: 3 }) });
    target = { scope: "PARALLEL", grade: Number((await choose(conversation, grades)).slice(1)) };
  } else target = { scope: "CLASS", classId: Number(scope.slice(1)) };

  // Who.
  const audiences: Choice[] = (["PARENTS", "STUDENTS", "BOTH"] as const).map((a) => ({
    value: a,
    text: t(`notices:notice.audience.${a}`),
  }));
  await ctx.reply(t("notices:notice.pickAudience"), { reply_markup: choiceKeyboard(ctx, audiences) });
  const audience = (await choose(conversation, audiences)) as AnnouncementInput["audience"];

  // The text (a document or photo with a caption brings its file along).
  await ctx.reply(t("notices:notice.askText", { max: ANNOUNCEMENT_MAX_TEXT }), {
    reply_markup: choiceKeyboard(ctx, []),
  });
  let text = "";
  let file: AnnouncementFile | undefined;
  for (;;) {
    const answer = await step(
      conversation,
      (c) => !!(c.message?.text || c.message?.caption),
      (c) => c.reply(t("notices:notice.askText", { max: ANNOUNCEMENT_MAX_TEXT })),
    );
    text = (answer.message?.text ?? answer.message?.caption ?? "").trim();
    file = fileOf(answer);
    if (text.length > 0 && text.length <= ANNOUNCEMENT_MAX_TEXT) break;
    await answer.reply(t("notices:notice.textTooLong", { length: text.length, max: ANNOUNCEMENT_MAX_TEXT }));
  }

  // An optional file.
  if (!file) {
    const noFile = choiceKeyboard(ctx, [{ value: "nofile", text: t("notices:notice.noFile") }]);
    await ctx.reply(t("notices:notice.askFile"), { reply_markup: noFile });
    const answer = await step(
      conversation,
      (c) => !!fileOf(c) || c.callbackQuery?.data === choiceCallback.encode({ value: "nofile" }),
      (c) => c.reply(t("notices:notice.askFile"), { reply_markup: noFile }),
    );
    file = fileOf(answer);
    if (!file) {
      await answerPress(answer);
      await answer.editMessageReplyMarkup().catch(() => undefined);
    }
  }

  // Preview.
  const preview = await conversation.external((c) => {
    const { db, actor } = deps(c);
    return previewAnnouncement(db, actor, { ...target, audience });
  });
  if (preview.recipients === 0) {
    await ctx.reply(t("notices:notice.noRecipients"));
    return;
  }
  const targetName = t(`notices:notice.target.${preview.scope}`, { name: preview.className, grade: preview.grade });
  const fileName = file ? file.name || t(`notices:notice.${file.kind}`) : "";
  const send: Choice[] = [{ value: "send", text: t("notices:notice.send") }];
  await ctx.reply(
    t("notices:notice.preview", {
      target: targetName,
      audience: t(`notices:notice.audience.${audience}`).toLowerCase(),
      count: preview.recipients,
      reach: preview.notConnected
        ? t("notices:notice.previewReach", { connected: preview.connected, notConnected: preview.notConnected })
        : "",
      file: file ? t("notices:notice.previewFile", { name: fileName }) : "",
      text,
    }),
    { reply_markup: choiceKeyboard(ctx, send) },
  );
  await choose(conversation, send);
  const created = await conversation.external((c) => {
    const { db, actor } = deps(c);
    return createAnnouncement(db, actor, { ...target, audience, text, ...(file ? { file } : {}) });
  });
  // say who was reached and who is not connected yet, never "sent to 34" when nobody got it
  const sentText = created.notConnected
    ? t("notices:notice.sentPartly", {
        count: created.recipients,
        connected: created.connected,
        notConnected: created.notConnected,
      })
    : t("notices:notice.sent", { count: created.recipients });
  await ctx.reply(sentText, {
    reply_markup: {
      inline_keyboard: [[{ text: t("notices:notice.mine"), callback_data: mineCallback.encode({}) }]],
    },
  });
}
