// The database handle the core works with: the Prisma client or a transaction of it.
import type { Prisma, PrismaClient } from "../db/generated/client.ts";

export type Db = PrismaClient;
export type Tx = Prisma.TransactionClient;
export type DbOrTx = Db | Tx;
