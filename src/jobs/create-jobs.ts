// The jobs layer's factory: queues, one worker per queue that has jobs, schedulers, health and counts.
// Nothing connects until used; the PostgreSQL backend is migrated once before the first queue is opened.
import type { JobsOptions, Queue, Worker } from "bullmq";
import { UnrecoverableError } from "bullmq";
import { localMoment } from "../core/dates.ts";
import type { Db } from "../core/tx.ts";
import type { Logger } from "../logger.ts";
import type { BotSet } from "../messenger/telegram/bot-directory.ts";
import type { TelegramTransport } from "../messenger/telegram/transport.ts";
import { createJobsConnection } from "./connection.ts";
import {
  BUILTIN_JOBS,
  type BuiltinJobName,
  type BuiltinPayloads,
  materializeLessonsJob,
  notifySendJob,
  outboxDispatchJob,
} from "./definitions.ts";
import { materializeSchoolLessons } from "./maintenance/materialize-lessons.ts";
import { processNotify } from "./notify/notify-processor.ts";
import type { NotifyPayload } from "./notify/payload.ts";
import { type SenderDeps, type SendOutcome, sendNotification } from "./notify/send-notification.ts";
import {
  type DispatchResult,
  dispatchOutbox,
  type NotifyJobSpec,
  notifyJobs,
  redrivePending,
} from "./outbox/dispatch.ts";
import type { OutgoingMessage } from "./outbox/handler.ts";
import { type OutboxHandler, outboxHandlerMap } from "./outbox/handler.ts";
import { recordMessages } from "./outbox/ledger.ts";
import { BUILTIN_OUTBOX_HANDLERS } from "./outbox-handlers/index.ts";
import { checkOutboxRegistry } from "./outbox-kinds.ts";
import { JOB_STATES, type JobState, jobId, QUEUE_NAMES, type QueueName } from "./queues.ts";
import { buildRegistry, type JobDefinition, type JobProcessor, type JobSchedule, processorFor } from "./registry.ts";

export interface CreateJobsDeps {
  prisma: Db;
  logger: Logger;
  /** The application's database (BullMQ's PostgreSQL backend lives there when no Redis is configured). */
  databaseUrl: string;
  /** PostgreSQL schema of the application tables, when not the default (Database.schema). */
  databaseSchema?: string;
  redisUrl?: string;
  /** Redis key prefix (default "classbook"). */
  prefix?: string;
  /** Schema of BullMQ's PostgreSQL backend (default "bullmq"). */
  pgSchema?: string;
  /** Every bot of the deployment (or `oneBotDirectory`): a delivery goes out through its reader's bot. */
  bots?: BotSet;
  /** More outbox handlers (announcements, messages, …); a kind may be handled once. */
  handlers?: OutboxHandler[];
  /** More jobs (digests, reports, …): every definition needs exactly one processor. */
  jobs?: { definitions?: JobDefinition[]; processors?: JobProcessor[]; schedules?: JobSchedule[] };
  /** Worker concurrency per queue. */
  concurrency?: Partial<Record<QueueName, number>>;
  /** How often the outbox is polled (ms, default 2000). */
  outboxEveryMs?: number;
  /** How often lessons are materialised per school (ms, default one hour). */
  materializeEveryMs?: number;
}

export interface Jobs {
  backend: "redis" | "postgres";
  enqueue<N extends BuiltinJobName>(name: N, payload: BuiltinPayloads[N], opts?: JobsOptions): Promise<void>;
  enqueue(name: string, payload: unknown, opts?: JobsOptions): Promise<void>;
  startWorkers(): Promise<void>;
  startSchedulers(): Promise<void>;
  /** Schedules the per-school jobs of schools added since (idempotent across processes). */
  scheduleNewSchools(): Promise<number>;
  ping(): Promise<boolean>;
  counts(): Promise<Record<QueueName, Record<JobState, number>>>;
  close(): Promise<void>;
  /** One pass of the outbox dispatcher, now (tests, CLI). */
  dispatchOutbox(): Promise<DispatchResult>;
  /** The sender without the queue (tests; the notify job calls the same function). */
  sendNotification(data: NotifyPayload): Promise<SendOutcome>;
  /** Enqueues notify jobs for recorded deliveries (in bulk). */
  enqueueNotify(jobs: NotifyJobSpec[]): Promise<void>;
  /** Records built messages and enqueues their sends (what a job's ctx.deliver does). */
  deliver(messages: OutgoingMessage[]): Promise<number>;
}

// notify: enough messages waiting at the transport to keep the bot at its limit while others are in the database.
const DEFAULT_CONCURRENCY: Record<QueueName, number> = { outbox: 1, notify: 48, digest: 4, reports: 1, maintenance: 2 };
const CLOSE_TIMEOUT_MS = 10_000;
const ENQUEUE_BULK = 500;

export function createJobs(deps: CreateJobsDeps): Jobs {
  const { prisma, logger } = deps;
  const handlers = outboxHandlerMap([...BUILTIN_OUTBOX_HANDLERS, ...(deps.handlers ?? [])]);
  // Refuses to start when a kind core writes has no handler (and is not delivered by the digest only).
  checkOutboxRegistry(handlers);
  const senderDeps: SenderDeps = {
    prisma,
    logger,
    handlers,
    senderFor: (botId) => deps.bots?.get(botId)?.sender,
  };
  const transports = (): TelegramTransport[] => deps.bots?.all().map((b) => b.transport) ?? [];

  const processors: JobProcessor[] = [
    processorFor(outboxDispatchJob, async () => {
      const result = await runDispatch();
      const redriven = await redrivePending({ prisma, logger, handlers, enqueueNotify });
      if (redriven) logger.warn({ redriven }, "deliveries without a job enqueued again");
      return result;
    }),
    processorFor(notifySendJob, (data, ctx) => processNotify(data, ctx, senderDeps)),
    processorFor(materializeLessonsJob, async ({ schoolId }, ctx) => {
      const r = await materializeSchoolLessons(prisma, schoolId);
      ctx.logger.info(r, "lessons materialised");
      return r;
    }),
    ...(deps.jobs?.processors ?? []),
  ];
  // Throws (refuses to start) on a job without a processor or a processor registered twice.
  const registry = buildRegistry([...BUILTIN_JOBS, ...(deps.jobs?.definitions ?? [])], processors);

  const connection = createJobsConnection({
    databaseUrl: deps.databaseUrl,
    redisUrl: deps.redisUrl,
    prefix: deps.prefix,
    pgSchema: deps.pgSchema,
  });
  const queues = new Map<QueueName, Queue>();
  const workers: Worker[] = [];
  let closing = false;

  async function queue(name: QueueName): Promise<Queue> {
    await connection.ready();
    let q = queues.get(name);
    if (!q) {
      q = new connection.Queue(name, connection.baseOptions());
      q.on("error", (err) => logger.error({ err, queue: name }, "queue error"));
      queues.set(name, q);
    }
    return q;
  }

  async function enqueueNotify(jobs: NotifyJobSpec[]): Promise<void> {
    const q = await queue("notify");
    for (let i = 0; i < jobs.length; i += ENQUEUE_BULK) {
      await q.addBulk(
        jobs.slice(i, i + ENQUEUE_BULK).map((j) => ({
          name: notifySendJob.name,
          data: { deliveryId: String(j.deliveryId) },
          opts: { ...notifySendJob.options, jobId: jobId("notify", "d", String(j.deliveryId)), delay: j.delayMs },
        })),
      );
    }
  }

  async function deliver(messages: OutgoingMessage[]): Promise<number> {
    if (messages.length === 0) return 0;
    const now = new Date();
    const recorded = await prisma.$transaction((tx) => recordMessages(tx, messages, now), { timeout: 60_000 });
    await enqueueNotify(notifyJobs(recorded, now));
    return recorded.length;
  }

  function runDispatch(): Promise<DispatchResult> {
    return dispatchOutbox({ prisma, logger, handlers, dbSchema: deps.databaseSchema, enqueueNotify });
  }

  async function enqueue(name: string, payload: unknown, opts: JobsOptions = {}): Promise<void> {
    const reg = registry.get(name);
    if (!reg) throw new Error(`unknown job "${name}"`);
    const data = reg.definition.schema.parse(payload);
    if (opts.jobId?.includes(":")) throw new Error(`job id must not contain ':': ${opts.jobId}`);
    const q = await queue(reg.definition.queue);
    await q.add(name, data, {
      removeOnComplete: true,
      removeOnFail: { count: 1000 },
      ...reg.definition.options,
      ...opts,
    });
  }

  async function startWorkers(): Promise<void> {
    await connection.ready();
    const byQueue = new Set([...registry.values()].map((r) => r.definition.queue));
    for (const name of QUEUE_NAMES) {
      if (!byQueue.has(name)) continue;
      const q = await queue(name);
      const worker = new connection.Worker(
        name,
        async (job, token) => {
          const reg = registry.get(job.name);
          if (!reg) throw new UnrecoverableError(`no processor for job "${job.name}"`);
          const parsed = reg.definition.schema.safeParse(job.data);
          if (!parsed.success) throw new UnrecoverableError(`invalid payload for "${job.name}"`);
          const log = logger.child({ job: job.name, jobId: job.id });
          return reg.processor.process(parsed.data, { logger: log, job, token, queue: q, enqueue, deliver });
        },
        {
          ...connection.baseOptions(),
          concurrency: deps.concurrency?.[name] ?? DEFAULT_CONCURRENCY[name],
        },
      );
      worker.on("error", (err) => logger.error({ err, queue: name }, "worker error"));
      worker.on("failed", (job, err) => {
        logger.warn(
          { queue: name, job: job?.name, jobId: job?.id, attempts: job?.attemptsMade, err: err.message },
          "job failed",
        );
      });
      workers.push(worker);
    }
  }

  const scheduled = new Set<number>();

  async function startSchedulers(): Promise<void> {
    const outbox = await queue("outbox");
    await outbox.upsertJobScheduler(
      "outbox-dispatch",
      { every: deps.outboxEveryMs ?? 2000 },
      { name: outboxDispatchJob.name, data: {}, opts: outboxDispatchJob.options },
    );
    for (const schedule of deps.jobs?.schedules ?? []) {
      if (schedule.perSchool) continue;
      const q = await queue(schedule.job.queue);
      await q.upsertJobScheduler(
        schedule.id,
        { every: schedule.every },
        { name: schedule.job.name, data: {}, opts: { removeOnComplete: true, ...schedule.job.options } },
      );
    }
    await scheduleNewSchools();
  }

  /** Per-school schedules for schools not scheduled yet by this process (a school added while running). */
  async function scheduleNewSchools(): Promise<number> {
    const schools = await prisma.school.findMany({
      where: { id: { notIn: [...scheduled] } },
      select: { id: true, timezone: true },
    });
    const maintenance = await queue("maintenance");
    for (const s of schools) {
      // job ids carry the school, so every school has its own and none is taken for another's
      for (const schedule of deps.jobs?.schedules ?? []) {
        if (!schedule.perSchool) continue;
        const q = await queue(schedule.job.queue);
        await q.upsertJobScheduler(
          jobId(schedule.id, s.id),
          { every: schedule.every },
          {
            name: schedule.job.name,
            data: { schoolId: s.id },
            opts: { removeOnComplete: true, ...schedule.job.options },
          },
        );
      }
      await maintenance.upsertJobScheduler(
        jobId("materialize-lessons", s.id),
        { every: deps.materializeEveryMs ?? 3_600_000 },
        { name: materializeLessonsJob.name, data: { schoolId: s.id }, opts: { removeOnComplete: true } },
      );
      // At start-up too; one per school and hour, however many processes start.
      const hour = new Date().toISOString().slice(0, 13).replace(/\D/g, "");
      await enqueue(
        materializeLessonsJob.name,
        { schoolId: s.id },
        { jobId: jobId("materialize-lessons", s.id, localMoment(s.timezone).date, hour) },
      );
      scheduled.add(s.id);
    }
    return schools.length;
  }

  async function ping(): Promise<boolean> {
    try {
      const q = await queue("maintenance");
      await Promise.race([
        q.getJobCounts("waiting"),
        new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), 2000).unref()),
      ]);
      return true;
    } catch {
      return false;
    }
  }

  async function counts(): Promise<Record<QueueName, Record<JobState, number>>> {
    const out = {} as Record<QueueName, Record<JobState, number>>;
    for (const name of QUEUE_NAMES) {
      const q = await queue(name);
      const c = await q.getJobCounts(...JOB_STATES);
      out[name] = Object.fromEntries(JOB_STATES.map((s) => [s, c[s] ?? 0])) as Record<JobState, number>;
    }
    return out;
  }

  async function close(): Promise<void> {
    if (closing) return;
    closing = true;
    // Sends still waiting for their turn at Telegram are given up at once (their claims released, retried
    // later), so the drain below only waits for calls already at Telegram.
    for (const transport of transports()) transport.close();
    // Drain: let running jobs finish for up to 10 s, then force-close (their locks expire and another
    // process takes them up again; the Delivery ledger prevents a double send).
    const graceful = Promise.all(workers.map((w) => w.close()));
    const timedOut = await Promise.race([
      graceful.then(() => false),
      new Promise<boolean>((r) => setTimeout(() => r(true), CLOSE_TIMEOUT_MS).unref()),
    ]);
    if (timedOut) await Promise.all(workers.map((w) => w.close(true).catch(() => {})));
    await Promise.all([...queues.values()].map((q) => q.close().catch(() => {})));
    await connection.close();
  }

  return {
    backend: connection.kind,
    enqueue: enqueue as Jobs["enqueue"],
    startWorkers,
    startSchedulers,
    scheduleNewSchools,
    ping,
    counts,
    close,
    dispatchOutbox: runDispatch,
    sendNotification: (data) => sendNotification(data, senderDeps),
    enqueueNotify,
    deliver,
  };
}
