import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { verifyAuditChain } from "../../src/core/audit.ts";
import { localMoment } from "../../src/core/dates.ts";
import { createPrisma } from "../../src/db/database.ts";
import { archiveTargets } from "../../src/jobs/archive/targets.ts";
import { BACKUP_DIR, backupDatabase, restoreDatabase } from "../../src/jobs/backup/backup.ts";
import { findPgTool, serverMajor } from "../../src/jobs/backup/pg-tools.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { buildSchool, type TestSchool } from "../helpers/factories.ts";
import { writeJournal } from "../helpers/journal-fixture.ts";

// pg_dump must be at least the server's version: without one (e.g. the embedded 18 and only the system's 15
// installed) there is nothing to test here, as with the browser test without Chromium.
const major = await serverMajor(inject("databaseUrl"));
const tool = await findPgTool("pg_dump", major).catch(() => null);

const JOURNAL_TABLES = [
  "AcademicYear",
  "Period",
  "Person",
  "Student",
  "ClassGroup",
  "Enrollment",
  "Subject",
  "TeachingAssignment",
  "Lesson",
  "Mark",
  "Attendance",
  "Homework",
  "TermGrade",
  "AuditEvent",
];

async function rowsOf(url: string, schema: string, table: string): Promise<string[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query<{ row: string }>(
      `SELECT row_to_json(t)::text AS row FROM "${schema}"."${table}" t ORDER BY id`,
    );
    return r.rows.map((x) => x.row);
  } finally {
    await c.end();
  }
}

describe.skipIf(!tool)(
  "R-30 database backups: pg_dump to the archive targets, pg_restore into an empty database",
  () => {
    let db: TestDb;
    let s: TestSchool;
    let dir: string;
    const restoredDb = `restore_${Date.now()}`;
    let restoredUrl: string;
    let admin: pg.Client;

    beforeAll(async () => {
      db = await createTestDb();
      s = await buildSchool(db.prisma, { today: localMoment("Europe/Moscow").date });
      await writeJournal(db.prisma, s);
      dir = mkdtempSync(path.join(os.tmpdir(), "classbook-backup-test-"));
      admin = new pg.Client({ connectionString: db.url });
      await admin.connect();
      await admin.query(`CREATE DATABASE "${restoredDb}"`);
      const u = new URL(db.url);
      u.pathname = `/${restoredDb}`;
      restoredUrl = u.toString();
    });
    afterAll(async () => {
      await admin.query(`DROP DATABASE IF EXISTS "${restoredDb}" WITH (FORCE)`);
      await admin.end();
      rmSync(dir, { recursive: true, force: true });
      await db.drop();
    });

    it("R-30: a backup restored into an empty database holds the journal row for row, and the audit chain verifies", async () => {
      const targets = archiveTargets([dir]);
      const backup = await backupDatabase({ url: db.url, schema: db.schema }, targets, { keep: 2 });
      expect(backup.file).toMatch(new RegExp(`^classbook-${db.schema}-\\d{8}-\\d{6}\\.dump$`));
      expect(backup.bytes).toBeGreaterThan(1000);
      expect(await targets[0].list(BACKUP_DIR)).toEqual([backup.file]);

      await restoreDatabase(path.join(dir, BACKUP_DIR, backup.file), restoredUrl);
      for (const table of JOURNAL_TABLES) {
        const before = await rowsOf(db.url, db.schema, table);
        expect(before.length, table).toBeGreaterThan(0);
        expect(await rowsOf(restoredUrl, db.schema, table), table).toEqual(before);
      }
      const restored = createPrisma(restoredUrl, db.schema);
      try {
        const marks = await restored.mark.findMany({ where: { schoolId: s.schoolId }, select: { status: true } });
        expect(marks.map((m) => m.status).sort()).toEqual(["ACTIVE", "ACTIVE", "SUPERSEDED"]);
        expect((await verifyAuditChain(restored, s.schoolId)).ok).toBe(true);
      } finally {
        await restored.$disconnect();
      }
      // restoring again over the restored copy replaces it, all in one transaction
      await restoreDatabase(path.join(dir, BACKUP_DIR, backup.file), restoredUrl);
      expect(await rowsOf(restoredUrl, db.schema, "Mark")).toEqual(await rowsOf(db.url, db.schema, "Mark"));
    });

    it("R-30: each target keeps the newest BACKUP_KEEP backups", async () => {
      const targets = archiveTargets([dir]);
      const names: string[] = [];
      for (const day of ["2026-01-01", "2026-01-02", "2026-01-03"]) {
        const r = await backupDatabase({ url: db.url, schema: db.schema }, targets, {
          keep: 2,
          now: new Date(`${day}T03:00:00Z`),
        });
        names.push(r.file);
      }
      // the first test's backup is newer than these three by name (today), so it stays with the newest of them
      const kept = await targets[0].list(BACKUP_DIR);
      expect(kept).toHaveLength(2);
      expect(kept).toContain(names[2]);
      expect(kept).not.toContain(names[0]);
      expect(kept).not.toContain(names[1]);
    });
  },
);

describe("R-30 database backups without a pg_dump of the server's version: the logical format", () => {
  let db: TestDb;
  let s: TestSchool;
  let dir: string;
  let admin: pg.Client;
  const target = `restore_${Date.now().toString(36)}`;

  beforeAll(async () => {
    db = await createTestDb();
    s = await buildSchool(db.prisma, { today: localMoment("Europe/Moscow").date });
    await writeJournal(db.prisma, s);
    dir = mkdtempSync(path.join(os.tmpdir(), "classbook-backup-test-"));
    admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
  });
  afterAll(async () => {
    await admin.query(`DROP SCHEMA IF EXISTS "${target}" CASCADE`);
    await admin.end();
    rmSync(dir, { recursive: true, force: true });
    await db.drop();
  });

  it("R-30: restored into an empty schema, every row of the journal is identical and new rows get fresh ids", async () => {
    const targets = archiveTargets([dir]);
    const backup = await backupDatabase({ url: db.url, schema: db.schema }, targets, { keep: 2, format: "logical" });
    expect(backup.file).toMatch(/\.jsonl\.gz$/);
    expect(backup.tool).toBe("logical");
    expect(await restoreDatabase(path.join(dir, BACKUP_DIR, backup.file), db.url, { schema: target })).toBe("logical");
    for (const table of JOURNAL_TABLES) {
      const before = await rowsOf(db.url, db.schema, table);
      expect(before.length, table).toBeGreaterThan(0);
      expect(await rowsOf(db.url, target, table), table).toEqual(before);
    }
    const restored = createPrisma(db.url, target);
    try {
      expect((await verifyAuditChain(restored, s.schoolId)).ok).toBe(true);
      const maxId = (await restored.person.aggregate({ _max: { id: true } }))._max.id ?? 0;
      const p = await restored.person.create({ data: { schoolId: s.schoolId, lastName: "Новая", firstName: "Анна" } });
      expect(p.id).toBeGreaterThan(maxId);
    } finally {
      await restored.$disconnect();
    }
  });
});
