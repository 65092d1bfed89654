// "This bot may not send before T": set when Telegram answers 429 with retry_after, read before every send by
// every worker process. Stored in PostgreSQL (BotState) so it holds across processes on either backend.
import type { Db } from "../../core/tx.ts";

const key = (botId: number) => `jobs.bot-paused.${botId}`;

export async function botPausedUntil(db: Db, botId: number): Promise<number> {
  const row = await db.botState.findUnique({ where: { key: key(botId) } });
  const until = (row?.value as { until?: number } | null)?.until;
  return typeof until === "number" ? until : 0;
}

export async function pauseBot(db: Db, botId: number, until: number): Promise<void> {
  const current = await botPausedUntil(db, botId);
  if (current >= until) return;
  await db.botState.upsert({
    where: { key: key(botId) },
    create: { key: key(botId), value: { until } },
    update: { value: { until } },
  });
}
