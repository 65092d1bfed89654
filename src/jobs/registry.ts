// The typed job registry: job name → queue, zod payload schema, processor. Built once by createJobs, which
// refuses to start when a defined job has no processor, a processor has no definition, or anything is
// registered twice (a job nobody handles would silently pile up in Redis).
import type { Job, JobsOptions, Queue } from "bullmq";
import type { z } from "zod";
import type { Logger } from "../logger.ts";
import type { OutgoingMessage } from "./outbox/handler.ts";
import type { QueueName } from "./queues.ts";

export interface JobDefinition<S extends z.ZodType = z.ZodType> {
  name: string;
  queue: QueueName;
  schema: S;
  /** Defaults for every job of this name (attempts, backoff...). */
  options?: JobsOptions;
}

export function defineJob<S extends z.ZodType>(def: JobDefinition<S>): JobDefinition<S> {
  if (def.name.includes(":")) throw new Error(`job name must not contain ':': ${def.name}`);
  return def;
}

export interface JobContext {
  logger: Logger;
  job: Job;
  /** The worker's lock token (for job.moveToDelayed). */
  token?: string;
  queue: Queue;
  /** Enqueue another job (fan-out), validated against its definition. */
  enqueue(name: string, payload: unknown, opts?: JobsOptions): Promise<void>;
  /** Records built messages in the Delivery ledger and enqueues their sends in bulk; returns how many. */
  deliver(messages: OutgoingMessage[]): Promise<number>;
}

/** A recurring job added by a module: once, or once per school with payload { schoolId }. */
export interface JobSchedule {
  id: string;
  job: JobDefinition;
  every: number;
  perSchool?: boolean;
}

export interface JobProcessor<P = unknown> {
  name: string;
  process(payload: P, ctx: JobContext): Promise<unknown>;
}

export function processorFor<S extends z.ZodType>(
  def: JobDefinition<S>,
  process: (payload: z.infer<S>, ctx: JobContext) => Promise<unknown>,
): JobProcessor<z.infer<S>> {
  return { name: def.name, process };
}

export interface RegisteredJob {
  definition: JobDefinition;
  processor: JobProcessor;
}

export class JobRegistryError extends Error {
  override name = "JobRegistryError";
}

export function buildRegistry(definitions: JobDefinition[], processors: JobProcessor[]): Map<string, RegisteredJob> {
  const defs = new Map<string, JobDefinition>();
  for (const d of definitions) {
    if (defs.has(d.name)) throw new JobRegistryError(`job "${d.name}" is defined twice`);
    defs.set(d.name, d);
  }
  const registry = new Map<string, RegisteredJob>();
  for (const p of processors) {
    const definition = defs.get(p.name);
    if (!definition) throw new JobRegistryError(`a processor is registered for unknown job "${p.name}"`);
    if (registry.has(p.name)) throw new JobRegistryError(`job "${p.name}" has two processors`);
    registry.set(p.name, { definition, processor: p });
  }
  const missing = [...defs.keys()].filter((n) => !registry.has(n));
  if (missing.length) throw new JobRegistryError(`no processor for job(s): ${missing.join(", ")}`);
  return registry;
}
