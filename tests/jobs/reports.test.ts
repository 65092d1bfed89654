// The reports job on real BullMQ (Redis): a request recorded by the bot is picked up per school, built once for
// its requester and sent as a document; a requester who lost the right gets nothing (FORBIDDEN, final).
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestReport } from "../../src/core/reports/request-report.ts";
import type { DocumentSender } from "../../src/jobs/documents.ts";
import { featureJobs } from "../../src/jobs/modules/index.ts";
import { type ReportSchool, seedReportSchool } from "../core/reports/fixture.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { makeJobs, type TestJobs } from "./helpers/jobs.ts";

const sent: { personId: number; fileName: string; bytes: Buffer; caption: string }[] = [];
const documents: DocumentSender = {
  async send(input) {
    sent.push(input);
    return "sent";
  },
};

async function until<T>(what: () => Promise<T | undefined | false>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await what();
    if (v) return v;
    if (Date.now() > end) throw new Error("condition not reached");
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe("reports job", () => {
  let db: TestDb;
  let f: ReportSchool;
  let t: TestJobs;

  beforeAll(async () => {
    db = await createTestDb();
    f = await seedReportSchool(db.prisma);
    const logger = pino({ level: "silent" });
    const feature = featureJobs({ prisma: db.prisma, logger, documents });
    t = makeJobs(db, "redis", { token: "1:x", botId: 0 }, { jobs: feature.jobs, handlers: feature.handlers });
    await t.jobs.startWorkers();
  });
  afterAll(async () => {
    await t.cleanup();
    await db.drop();
  });

  it("R-27/R-29: requests are picked up, built once as their requester and sent as documents", async () => {
    const perf = await requestReport(db.prisma, f.deputy, {
      kind: "performance",
      span: { span: "period", at: "2025-10-01" },
      scope: { kind: "school" },
      format: "xlsx",
    });
    const journal = await requestReport(db.prisma, f.deputy, {
      kind: "journal",
      classId: f.classes.c5,
      periodId: f.q1,
      format: "pdf",
    });
    await t.jobs.enqueue("reports.pickup", { schoolId: f.schoolId });
    await t.jobs.enqueue("reports.pickup", { schoolId: f.schoolId }); // twice: still one file each
    const rows = await until(async () => {
      const r = await db.prisma.reportRequest.findMany({ where: { id: { in: [perf.requestId, journal.requestId] } } });
      return r.every((x) => x.status === "DONE") && r;
    });
    expect(rows).toHaveLength(2);
    expect(sent.map((s) => s.fileName).sort()).toEqual([
      "journal-5A-2025-09-01-2025-10-26.pdf",
      "performance-school-2025-09-01-2025-10-26.xlsx",
    ]);
    expect(sent.every((s) => s.personId === f.people.director)).toBe(true);
    const pdf = sent.find((s) => s.fileName.endsWith(".pdf"))!;
    expect(pdf.bytes.subarray(0, 5).toString()).toBe("%PDF-");
    expect(pdf.caption).toContain("КЛАССНЫЙ ЖУРНАЛ 5А");
  });

  it("R-26: a requester who is no longer administration gets no file; the request ends FORBIDDEN", async () => {
    const before = sent.length;
    const r = await requestReport(db.prisma, f.deputy, {
      kind: "filling",
      span: { span: "week", at: "2025-10-08" },
      scope: { kind: "school" },
      format: "pdf",
    });
    await db.prisma.staffRole.deleteMany({ where: { personId: f.people.director } });
    await t.jobs.enqueue("reports.pickup", { schoolId: f.schoolId });
    const row = await until(async () => {
      const x = await db.prisma.reportRequest.findUnique({ where: { id: r.requestId } });
      return x?.status === "FAILED" && x;
    });
    expect(row.error).toBe("FORBIDDEN");
    expect(sent.length).toBe(before);
  });
});
