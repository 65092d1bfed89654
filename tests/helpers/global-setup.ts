// Runs once per `npm test`: with no DATABASE_URL, an embedded PostgreSQL serves the whole run.
import path from "node:path";
import type { TestProject } from "vitest/node";
import { type EmbeddedDatabase, startEmbeddedPostgres } from "../../src/db/embedded-postgres.ts";

let embedded: EmbeddedDatabase | undefined;

export async function setup(project: TestProject): Promise<void> {
  let url = process.env.DATABASE_URL;
  if (!url) {
    embedded = await startEmbeddedPostgres(path.resolve(".data/test"), () => {});
    url = embedded.url;
  }
  project.provide("databaseUrl", url);
  project.provide("redisUrl", process.env.REDIS_URL ?? "");
}

export async function teardown(): Promise<void> {
  await embedded?.stop();
}

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    redisUrl: string;
  }
}
