// The digest jobs: one fan-out per school, every minute (issue 5 item 3).
import { z } from "zod";
import { defineJob } from "../registry.ts";

export const digestFanoutJob = defineJob({
  name: "digest.fanout",
  queue: "digest",
  schema: z.object({ schoolId: z.number().int().positive() }),
  options: {
    attempts: 3,
    backoff: { type: "exponential", delay: 5000 },
    removeOnComplete: true,
    removeOnFail: { count: 200 },
  },
});

export const DIGEST_FANOUT_EVERY_MS = 60_000;
