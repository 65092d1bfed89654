import pino from "pino";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { Db } from "../../src/db/database.ts";
import { createJobs, defineJob, JobRegistryError, processorFor } from "../../src/jobs/index.ts";
import { featureJobs } from "../../src/jobs/modules/index.ts";
import { OutboxRegistryError } from "../../src/jobs/outbox-kinds.ts";
import { buildRegistry } from "../../src/jobs/registry.ts";

const logger = pino({ level: "silent" });
const deps = {
  prisma: {} as Db,
  logger,
  databaseUrl: "postgresql://127.0.0.1:1/none",

  handlers: featureJobs({ prisma: {} as Db, logger }).handlers,
};

describe("job registry", () => {
  const digest = defineJob({ name: "digest.guardian", queue: "digest", schema: z.object({ guardianId: z.number() }) });

  it("refuses to start when a defined job has no processor", () => {
    expect(() => createJobs({ ...deps, jobs: { definitions: [digest] } })).toThrow(JobRegistryError);
    expect(() => createJobs({ ...deps, jobs: { definitions: [digest] } })).toThrow(
      /no processor for job\(s\): digest.guardian/,
    );
  });

  it("refuses a processor registered twice, or for a job nobody defined", () => {
    const p = processorFor(digest, async () => null);
    expect(() => buildRegistry([digest], [p, p])).toThrow(/two processors/);
    expect(() => buildRegistry([], [p])).toThrow(/unknown job "digest.guardian"/);
    expect(() => createJobs({ ...deps, jobs: { definitions: [digest], processors: [p, p] } })).toThrow(
      JobRegistryError,
    );
  });

  it("refuses an outbox kind handled twice", () => {
    const h = { kind: "x.y", handle: async () => [] };
    expect(() => createJobs({ ...deps, handlers: [...deps.handlers, h, h] })).toThrow(/two handlers/);
  });

  it("refuses to start when a kind core writes has no handler: nothing it announces is dropped", () => {
    const withoutNotices = deps.handlers.filter((h) => h.kind !== "announcement.created");
    expect(() => createJobs({ ...deps, handlers: withoutNotices })).toThrow(OutboxRegistryError);
    expect(() => createJobs({ ...deps, handlers: withoutNotices })).toThrow(/announcement\.created/);
  });

  it("accepts a complete registry, and rejects job names and ids with ':'", async () => {
    const jobs = createJobs({
      ...deps,
      jobs: { definitions: [digest], processors: [processorFor(digest, async () => null)] },
    });
    expect(jobs.backend).toBe("postgres");
    expect(() => defineJob({ name: "a:b", queue: "digest", schema: z.object({}) })).toThrow(/':'/);
    await expect(jobs.enqueue("digest.guardian", { guardianId: 1 }, { jobId: "a:b" })).rejects.toThrow(/':'/);
    await expect(jobs.enqueue("digest.guardian", { guardianId: "x" })).rejects.toThrow();
    await jobs.close();
  });
});
