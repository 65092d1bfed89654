// The sandbox (and the bot tests) link a fake Telegram user to a person without an invite code.
// Never reachable with a real Telegram bot: only the sandbox page and test helpers call it.
import { systemActor } from "../actor.ts";
import { appendAudit } from "../audit.ts";
import { notFound } from "../errors.ts";
import type { Db } from "../tx.ts";
import { upsertAccount } from "./invites.ts";

export interface SandboxLinkInput {
  botId: number;
  personId: number;
  telegramUserId: number;
  chatId: number;
  languageCode?: string | null;
}

export async function linkSandboxAccount(
  db: Db,
  input: SandboxLinkInput,
): Promise<{ personId: number; schoolId: number }> {
  const person = await db.person.findUnique({ where: { id: input.personId }, select: { id: true, schoolId: true } });
  if (!person) throw notFound({ personId: input.personId });
  await db.$transaction(async (tx) => {
    const account = await upsertAccount(tx, {
      schoolId: person.schoolId,
      personId: person.id,
      botId: input.botId,
      telegramUserId: input.telegramUserId,
      chatId: input.chatId,
      languageCode: input.languageCode ?? null,
    });
    await appendAudit(tx, systemActor(person.schoolId), {
      action: "account.link.sandbox",
      entity: "MessengerAccount",
      entityId: account.id,
      data: { personId: person.id, botId: input.botId },
    });
  });
  return { personId: person.id, schoolId: person.schoolId };
}
