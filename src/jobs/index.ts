// The public surface of the jobs layer.
export { createJobsConnection, type JobsConnection, type JobsConnectionOptions } from "./connection.ts";
export { type CreateJobsDeps, createJobs, type Jobs } from "./create-jobs.ts";
export type { BuiltinJobName, BuiltinPayloads } from "./definitions.ts";
export type { NotifyPayload } from "./notify/payload.ts";
export type { SendOutcome } from "./notify/send-notification.ts";
export type { DispatchResult } from "./outbox/dispatch.ts";
export type { MessageRender, OutboxContext, OutboxHandler, OutboxRow, OutgoingMessage } from "./outbox/handler.ts";
export { JOB_STATES, type JobState, jobId, QUEUE_NAMES, type QueueName } from "./queues.ts";
export {
  defineJob,
  type JobContext,
  type JobDefinition,
  type JobProcessor,
  JobRegistryError,
  type JobSchedule,
  processorFor,
} from "./registry.ts";
