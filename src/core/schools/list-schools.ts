// The schools of the deployment for the operator: time zone, bot, and how big each is. No children's data.
import type { DbOrTx } from "../tx.ts";

export interface SchoolSummary {
  id: number;
  name: string;
  timezone: string;
  /** The school's bots' usernames, oldest first (one, normally); empty when it has none yet. */
  bots: { id: number; username: string; hasToken: boolean }[];
  classes: number;
  people: number;
}

export async function listSchools(db: DbOrTx): Promise<SchoolSummary[]> {
  const rows = await db.school.findMany({
    orderBy: { id: "asc" },
    select: {
      id: true,
      name: true,
      timezone: true,
      bots: { orderBy: { id: "asc" }, select: { id: true, username: true, tokenEncrypted: true } },
      _count: { select: { classes: true, persons: true } },
    },
  });
  return rows.map((s) => ({
    id: s.id,
    name: s.name,
    timezone: s.timezone,
    bots: s.bots.map((b) => ({ id: b.id, username: b.username, hasToken: b.tokenEncrypted !== null })),
    classes: s._count.classes,
    people: s._count.persons,
  }));
}
