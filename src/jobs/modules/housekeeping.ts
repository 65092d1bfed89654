// Housekeeping: the webhook's record of taken update ids only needs to outlive Telegram's redelivery (it retries
// for about a day), so older rows are pruned once an hour.
import { z } from "zod";
import { defineJob, processorFor } from "../registry.ts";
import type { JobsModuleFactory } from "./index.ts";

const KEEP_UPDATES_MS = 2 * 24 * 3_600_000;

export const pruneJob = defineJob({
  name: "maintenance.prune",
  queue: "maintenance",
  schema: z.object({}),
  options: { attempts: 3, backoff: { type: "exponential", delay: 10_000 } },
});

export const housekeepingModule: JobsModuleFactory = ({ prisma }) => ({
  definitions: [pruneJob],
  processors: [
    processorFor(pruneJob, async (_payload, ctx) => {
      const { count } = await prisma.processedUpdate.deleteMany({
        where: { createdAt: { lt: new Date(Date.now() - KEEP_UPDATES_MS) } },
      });
      ctx.logger.info({ processedUpdates: count }, "pruned");
      return { processedUpdates: count };
    }),
  ],
  schedules: [{ id: "maintenance-prune", job: pruneJob, every: 3_600_000 }],
});
