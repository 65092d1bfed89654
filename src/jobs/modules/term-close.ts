// The end of a term (issue 10): term-mark reminders to teachers (an hourly scan per school), families told of
// term and year marks (term-grade.set), teachers told that a period is closed (period.closed).
import { z } from "zod";
import { defineJob, processorFor } from "../registry.ts";
import { periodClosedHandler } from "../term-close/period-closed.ts";
import { scanTermReminders, termReminderHandler } from "../term-close/reminders.ts";
import { termGradeSetHandler } from "../term-close/term-grade-set.ts";
import type { JobsModule, JobsModuleDeps, JobsModuleFactory } from "./index.ts";

export const termReminderScanJob = defineJob({
  name: "term-grade.reminder-scan",
  queue: "maintenance",
  schema: z.object({ schoolId: z.number().int().positive() }),
  options: { attempts: 1, removeOnComplete: true, removeOnFail: { count: 100 } },
});

export const TERM_CLOSE_HANDLERS = [termGradeSetHandler, periodClosedHandler, termReminderHandler];

export function createTermCloseModule(deps: JobsModuleDeps & { now?: () => Date }): JobsModule {
  const now = deps.now ?? (() => new Date());
  return {
    definitions: [termReminderScanJob],
    processors: [
      processorFor(termReminderScanJob, async ({ schoolId }, ctx) => {
        const r = await scanTermReminders(deps.prisma, schoolId, now());
        if (r.written > 0) (ctx.logger ?? deps.logger).info({ schoolId, ...r }, "term-mark reminders written");
        return r;
      }),
    ],
    schedules: [{ id: "term-grade-reminders", job: termReminderScanJob, every: 3_600_000, perSchool: true }],
    handlers: TERM_CLOSE_HANDLERS,
  };
}

export const termCloseModule: JobsModuleFactory = (deps) => createTermCloseModule(deps);
