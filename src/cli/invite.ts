// `invite <person> [--school <id>] [--role staff|guardian|student] [--days N]`: prints a one-time deep link
// https://t.me/<bot>?start=<code> and its expiry in the school's timezone. <person> is the school's own id from the
// import (staff, student or guardian id, e.g. T01) or the internal number (#174 for that one only). Run by the
// school's administrator (system actor).
import { parseArgs } from "node:util";
import { createInvite, describePerson, INVITE_ROLES, type InviteRole } from "../core/accounts/index.ts";
import { isAppError } from "../core/errors.ts";
import type { Db } from "../core/tx.ts";
import { type Language, translator } from "../i18n.ts";
import { formatInstant } from "./dates.ts";
import { resolvePersonArg } from "./person-arg.ts";

export interface InviteCommandContext {
  prisma: Db;
  /** The bot the link opens: a name, or the bot of the invited person's school. */
  botUsername: string | ((schoolId: number) => Promise<string>);
  out: (s: string) => void;
  lng?: Language;
}

export function inviteLink(botUsername: string, code: string): string {
  return `https://t.me/${botUsername.replace(/^@/, "")}?start=${code}`;
}

export async function inviteCommand(args: string[], ctx: InviteCommandContext): Promise<number> {
  const lng = ctx.lng ?? "ru";
  const t = translator(lng);
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { role: { type: "string" }, days: { type: "string" }, school: { type: "string" } },
    });
  } catch {
    ctx.out(t("bot:cli.usage"));
    return 2;
  }
  const ref = parsed.positionals[0];
  const role = typeof parsed.values.role === "string" ? parsed.values.role.toUpperCase() : undefined;
  const days = typeof parsed.values.days === "string" ? Number(parsed.values.days) : undefined;
  const school = typeof parsed.values.school === "string" ? Number(parsed.values.school) : undefined;
  if (
    parsed.positionals.length !== 1 ||
    !ref?.trim() ||
    (role !== undefined && !INVITE_ROLES.includes(role as InviteRole)) ||
    (days !== undefined && !Number.isInteger(days)) ||
    (school !== undefined && !(Number.isSafeInteger(school) && school > 0))
  ) {
    ctx.out(t("bot:cli.usage"));
    return 2;
  }
  const person = await resolvePersonArg(ctx.prisma, { ref, schoolId: school, lng, out: ctx.out });
  if (!person) return 1;
  const { personId } = person;
  try {
    const invite = await createInvite(ctx.prisma, "system", {
      personId,
      role: role as InviteRole | undefined,
      ttlDays: days,
    });
    const described = await describePerson(ctx.prisma, personId);
    const { timezone } = await ctx.prisma.school.findUniqueOrThrow({
      where: { id: described.schoolId },
      select: { timezone: true },
    });
    ctx.out(
      t("bot:cli.inviteLink", {
        fullName: described.fullName,
        personId,
        role: t(`bot:cli.roles.${invite.role}`),
        link: inviteLink(
          typeof ctx.botUsername === "string" ? ctx.botUsername : await ctx.botUsername(described.schoolId),
          invite.code,
        ),
        expiresAt: formatInstant(lng, timezone, invite.expiresAt),
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
