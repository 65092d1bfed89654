// The BullMQ backend: Redis when REDIS_URL is set (production, several processes), otherwise BullMQ's own
// PostgreSQL backend on the application's database, in its own schema (the embedded default).
import { createPostgresBackend, Queue as RedisQueue, Worker as RedisWorker, runMigrations, withBackend } from "bullmq";
import { Redis } from "ioredis";
import pg from "pg";

export type BackendKind = "redis" | "postgres";

export interface JobsConnectionOptions {
  databaseUrl: string;
  redisUrl?: string;
  /** Redis key prefix (default "classbook"); lets several deployments or test files share one Redis. */
  prefix?: string;
  /** PostgreSQL schema of the BullMQ tables (default "bullmq"). */
  pgSchema?: string;
}

// The two backends expose the same classes; the PostgreSQL ones take a pool config instead of ioredis.
// Both are used through these structural types so the rest of src/jobs does not care which one runs.
type AnyQueueCtor = typeof RedisQueue;
type AnyWorkerCtor = typeof RedisWorker;

export interface JobsConnection {
  kind: BackendKind;
  Queue: AnyQueueCtor;
  Worker: AnyWorkerCtor;
  /** Options every Queue and Worker of this connection takes (connection + prefix). */
  baseOptions(): { connection: never; prefix?: string };
  /** Migrates the PostgreSQL backend's schema (once per process; idempotent and lock-protected). */
  ready(): Promise<void>;
  close(): Promise<void>;
}

const PG_SCHEMA_RE = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

export function createJobsConnection(opts: JobsConnectionOptions): JobsConnection {
  return opts.redisUrl ? redisConnection(opts.redisUrl, opts.prefix ?? "classbook") : postgresConnection(opts);
}

function redisConnection(url: string, prefix: string): JobsConnection {
  // One shared client: queues use it as is, workers duplicate it for their blocking connection. Workers
  // require maxRetriesPerRequest: null (a blocking command must not fail after N retries).
  let client: Redis | undefined;
  const shared = () => {
    client ??= new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false });
    return client;
  };
  return {
    kind: "redis",
    Queue: RedisQueue,
    Worker: RedisWorker,
    baseOptions: () => ({ connection: shared() as never, prefix }),
    async ready() {
      await shared().ping();
    },
    async close() {
      if (client) await client.quit().catch(() => client?.disconnect());
      client = undefined;
    },
  };
}

function postgresConnection(opts: JobsConnectionOptions): JobsConnection {
  const schema = opts.pgSchema ?? "bullmq";
  if (!PG_SCHEMA_RE.test(schema)) throw new Error(`invalid BullMQ PostgreSQL schema name: ${schema}`);
  const classes = withBackend(createPostgresBackend);
  let migrated: Promise<void> | undefined;
  return {
    kind: "postgres",
    Queue: classes.Queue as unknown as AnyQueueCtor,
    Worker: classes.Worker as unknown as AnyWorkerCtor,
    // Each Queue/Worker owns a small pool (plus, for a worker, one LISTEN connection).
    baseOptions: () => ({ connection: { connectionString: opts.databaseUrl, schema, max: 3 } as never }),
    ready() {
      migrated ??= (async () => {
        const client = new pg.Client({ connectionString: opts.databaseUrl });
        await client.connect();
        try {
          await runMigrations(client, schema);
        } finally {
          await client.end();
        }
      })();
      migrated.catch(() => {
        migrated = undefined;
      });
      return migrated;
    },
    async close() {},
  };
}
