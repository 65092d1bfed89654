// Empties the whole database (every table of the data model, identities restarted) and seeds the demo schools again.
import { Prisma } from "../../db/generated/client.ts";
import type { Db } from "../tx.ts";
import { type SeedDemoOptions, type SeedDemoSchoolsResult, seedDemoSchools } from "./seed.ts";

/** The PostgreSQL schema the client works in (createPrisma sets search_path to it). */
async function schemaOf(db: Db): Promise<string> {
  const [row] = await db.$queryRaw<{ schema: string }[]>`SELECT current_schema() AS schema`;
  return row.schema;
}

export async function truncateAll(db: Db): Promise<void> {
  const schema = (await schemaOf(db)).replaceAll('"', '""');
  const tables = Object.values(Prisma.ModelName)
    .map((t) => `"${schema}"."${t}"`)
    .join(", ");
  await db.$executeRawUnsafe(`TRUNCATE ${tables} RESTART IDENTITY CASCADE`);
}

export async function resetDemo(db: Db, opts: Pick<SeedDemoOptions, "today"> = {}): Promise<SeedDemoSchoolsResult> {
  await truncateAll(db);
  return seedDemoSchools(db, opts);
}
