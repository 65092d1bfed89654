// `invite <person id> [--role staff|guardian|student] [--days N]`: prints a one-time deep link
// https://t.me/<bot>?start=<code> and its expiry. Run by the school's administrator (system actor).
import { parseArgs } from "node:util";
import { createInvite, describePerson, INVITE_ROLES, type InviteRole } from "../core/accounts/index.ts";
import { isAppError } from "../core/errors.ts";
import type { Db } from "../core/tx.ts";
import { type Language, translator } from "../i18n.ts";

export interface InviteCommandContext {
  prisma: Db;
  botUsername: string;
  out: (s: string) => void;
  lng?: Language;
}

export function inviteLink(botUsername: string, code: string): string {
  return `https://t.me/${botUsername.replace(/^@/, "")}?start=${code}`;
}

export async function inviteCommand(args: string[], ctx: InviteCommandContext): Promise<number> {
  const t = translator(ctx.lng ?? "ru");
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { role: { type: "string" }, days: { type: "string" } },
    });
  } catch {
    ctx.out(t("bot:cli.usage"));
    return 2;
  }
  const personId = Number(parsed.positionals[0]);
  const role = typeof parsed.values.role === "string" ? parsed.values.role.toUpperCase() : undefined;
  const days = typeof parsed.values.days === "string" ? Number(parsed.values.days) : undefined;
  if (
    parsed.positionals.length !== 1 ||
    !Number.isSafeInteger(personId) ||
    personId <= 0 ||
    (role !== undefined && !INVITE_ROLES.includes(role as InviteRole)) ||
    (days !== undefined && !Number.isInteger(days))
  ) {
    ctx.out(t("bot:cli.usage"));
    return 2;
  }
  try {
    const invite = await createInvite(ctx.prisma, "system", {
      personId,
      role: role as InviteRole | undefined,
      ttlDays: days,
    });
    const person = await describePerson(ctx.prisma, personId);
    ctx.out(
      t("bot:cli.inviteLink", {
        fullName: person.fullName,
        personId,
        role: t(`bot:cli.roles.${invite.role}`),
        link: inviteLink(ctx.botUsername, invite.code),
        expiresAt: invite.expiresAt,
      }),
    );
    return 0;
  } catch (err) {
    if (isAppError(err, "NOT_FOUND")) {
      ctx.out(t("bot:cli.personNotFound", { personId }));
      return 1;
    }
    if (isAppError(err)) {
      ctx.out(t("bot:cli.failed", { reason: t(`errors:${err.code}`) }));
      return 1;
    }
    throw err;
  }
}
