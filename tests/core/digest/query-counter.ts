// A Prisma client whose pg pool counts the SQL statements it sends (to measure "queries per batch").
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "../../../src/db/generated/client.ts";

export interface CountingPrisma {
  prisma: PrismaClient;
  count(): number;
  reset(): void;
  close(): Promise<void>;
}

export function countingPrisma(url: string, schema?: string, max = 10): CountingPrisma {
  let n = 0;
  // as the product's own client: search_path set, so raw SQL lands in the schema too
  const pool = new pg.Pool({
    connectionString: url,
    max,
    options: schema ? `-c search_path="${schema.replaceAll('"', '""')}"` : undefined,
  });
  pool.on("connect", (client) => {
    const original = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      n++;
      return original(...args);
    };
  });
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool, schema ? { schema } : undefined) });
  return {
    prisma,
    count: () => n,
    reset: () => {
      n = 0;
    },
    async close() {
      await prisma.$disconnect();
      await pool.end().catch(() => {});
    },
  };
}
