// Daily digests and weekly summaries for families (issue 5 item 3): a per-school fan-out every minute and the
// outbox handlers the sender runs for "digest.daily" and "digest.weekly" notify jobs.
import { DIGEST_FANOUT_EVERY_MS, digestFanoutJob } from "../digest/definitions.ts";
import { runDigestFanout } from "../digest/fanout.ts";
import { digestDailyHandler, digestWeeklyHandler } from "../digest/handlers.ts";
import { processorFor } from "../registry.ts";
import type { JobsModuleFactory } from "./index.ts";

export const digestModule: JobsModuleFactory = ({ prisma }) => ({
  definitions: [digestFanoutJob],
  processors: [
    processorFor(digestFanoutJob, ({ schoolId }, ctx) =>
      runDigestFanout({ prisma, logger: ctx.logger, deliver: ctx.deliver }, schoolId),
    ),
  ],
  schedules: [{ id: "digest-fanout", job: digestFanoutJob, every: DIGEST_FANOUT_EVERY_MS, perSchool: true }],
  handlers: [digestDailyHandler, digestWeeklyHandler],
});
