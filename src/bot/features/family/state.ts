// What the family screens remember between updates, in the BotState table (never in process memory, so any
// process can take the next update): the invite a guardian opened but has not answered yet, and the child
// a guardian of several children last chose.
import type { Prisma } from "../../../db/generated/client.ts";
import type { InnerContext } from "../../context.ts";

export interface PendingInvite {
  inviteId: number;
  /** The hash of the code the guardian opened; the core re-checks it on «Согласен». */
  codeHash: string;
}

const pendingKey = (ctx: InnerContext, telegramUserId: number) =>
  `classbook:family:invite:${ctx.services.botId}:${telegramUserId}`;
const childKey = (ctx: InnerContext, personId: number) => `classbook:family:child:${ctx.services.botId}:${personId}`;

async function read<T>(ctx: InnerContext, key: string): Promise<T | null> {
  const row = await ctx.services.prisma.botState.findUnique({ where: { key }, select: { value: true } });
  return (row?.value as T | undefined) ?? null;
}

async function write(ctx: InnerContext, key: string, value: Prisma.InputJsonValue): Promise<void> {
  await ctx.services.prisma.botState.upsert({ where: { key }, create: { key, value }, update: { value } });
}

export async function savePendingInvite(ctx: InnerContext, telegramUserId: number, p: PendingInvite): Promise<void> {
  await write(ctx, pendingKey(ctx, telegramUserId), { inviteId: p.inviteId, codeHash: p.codeHash });
}

export async function loadPendingInvite(ctx: InnerContext, telegramUserId: number): Promise<PendingInvite | null> {
  const v = await read<PendingInvite>(ctx, pendingKey(ctx, telegramUserId));
  return v && typeof v.inviteId === "number" && typeof v.codeHash === "string" ? v : null;
}

export async function clearPendingInvite(ctx: InnerContext, telegramUserId: number): Promise<void> {
  await ctx.services.prisma.botState.deleteMany({ where: { key: pendingKey(ctx, telegramUserId) } });
}

export async function loadSelectedChild(ctx: InnerContext, personId: number): Promise<number | null> {
  const v = await read<{ studentId?: unknown }>(ctx, childKey(ctx, personId));
  return typeof v?.studentId === "number" ? v.studentId : null;
}

export async function saveSelectedChild(ctx: InnerContext, personId: number, studentId: number): Promise<void> {
  await write(ctx, childKey(ctx, personId), { studentId });
}
