// The jobs Classbook defines: name → queue and payload schema. Processors are bound in create-jobs.ts;
// the registry refuses to start when one is missing.
import { z } from "zod";
import { NOTIFY_JOB_OPTIONS } from "./notify/notify-processor.ts";
import { notifyPayloadSchema } from "./notify/payload.ts";
import { defineJob } from "./registry.ts";

export const outboxDispatchJob = defineJob({
  name: "outbox.dispatch",
  queue: "outbox",
  schema: z.object({}),
  options: { attempts: 1, removeOnComplete: true, removeOnFail: { count: 100 } },
});

export const notifySendJob = defineJob({
  name: "notify.send",
  queue: "notify",
  schema: notifyPayloadSchema,
  options: NOTIFY_JOB_OPTIONS,
});

export const materializeLessonsJob = defineJob({
  name: "maintenance.materialize-lessons",
  queue: "maintenance",
  schema: z.object({ schoolId: z.number().int().positive() }),
  options: { attempts: 3, backoff: { type: "exponential", delay: 5000 } },
});

export const BUILTIN_JOBS = [outboxDispatchJob, notifySendJob, materializeLessonsJob];

export interface BuiltinPayloads {
  "outbox.dispatch": z.infer<typeof outboxDispatchJob.schema>;
  "notify.send": z.infer<typeof notifySendJob.schema>;
  "maintenance.materialize-lessons": z.infer<typeof materializeLessonsJob.schema>;
}
export type BuiltinJobName = keyof BuiltinPayloads;
