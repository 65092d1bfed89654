import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import pino from "pino";
import { extractText } from "unpdf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { archiveCommand, auditVerifyCommand } from "../../src/cli/archive.ts";
import { systemActor } from "../../src/core/actor.ts";
import { archiveScope } from "../../src/core/archive/journal-export.ts";
import { auditHead } from "../../src/core/audit.ts";
import { localMoment } from "../../src/core/dates.ts";
import { closePeriod } from "../../src/core/journal/periods.ts";
import { translator } from "../../src/i18n.ts";
import type { ArchiveEnv } from "../../src/jobs/archive/archive-env.ts";
import { MANIFEST_FILE, type SignedManifest, sha256 } from "../../src/jobs/archive/manifest.ts";
import { archiveCheckFailedHandler, archiveCreatedHandler } from "../../src/jobs/archive/notify-handlers.ts";
import { ARCHIVE_PRODUCERS } from "../../src/jobs/archive/producers/index.ts";
import { printedJournalProducer, summarySheetProducer } from "../../src/jobs/archive/producers/printed-journal.ts";
import { pruneArchives } from "../../src/jobs/archive/prune-archives.ts";
import { archiveTargets } from "../../src/jobs/archive/targets.ts";
import {
  archiveModule,
  archivePruneJob,
  archiveScanJob,
  archiveVerifyJob,
  auditAnchorJob,
} from "../../src/jobs/modules/archive.ts";
import type { OutboxRow } from "../../src/jobs/outbox/handler.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { buildSchool, type TestSchool } from "../helpers/factories.ts";
import { writeJournal } from "../helpers/journal-fixture.ts";

const logger = pino({ level: "silent" });
const ru = translator("ru");

describe("R-30, R-31 archives of closed periods: two targets, signed manifests, checks, retention", () => {
  let db: TestDb;
  let s: TestSchool;
  let dirs: string[];
  let env: ArchiveEnv;
  let q2: string;
  let q1: string;
  const run = (name: string, payload: unknown) => {
    const p = archiveModule({ prisma: db.prisma, logger, archive: env }).processors!.find((x) => x.name === name)!;
    return p.process(payload, { logger } as never) as Promise<Record<string, unknown>>;
  };
  const cli = async (fn: typeof archiveCommand, args: string[]) => {
    const lines: string[] = [];
    const code = await fn(args, { prisma: db.prisma, env, lng: "ru", out: (l) => lines.push(l) });
    return { code, lines };
  };
  const handle = async (kind: string) => {
    const rows = await db.prisma.outbox.findMany({ where: { schoolId: s.schoolId, kind }, orderBy: { id: "asc" } });
    const handler = kind === "archive.created" ? archiveCreatedHandler : archiveCheckFailedHandler;
    const out = [];
    for (const row of rows)
      out.push(...(await handler.handle(row as OutboxRow, { db: db.prisma, now: new Date(), logger })));
    return out;
  };

  beforeAll(async () => {
    db = await createTestDb();
    s = await buildSchool(db.prisma, { today: localMoment("Europe/Moscow").date });
    await writeJournal(db.prisma, s);
    const q1Period = await db.prisma.period.findFirstOrThrow({ where: { schoolId: s.schoolId, number: 1 } });
    await closePeriod(db.prisma, await s.actor(s.people.director), { periodId: q1Period.id });
    const bot = await db.prisma.bot.create({ data: { schoolId: s.schoolId, username: "test_bot" } });
    for (const [i, personId] of [s.people.director, s.people.deputy, s.people.mathTeacher].entries()) {
      await db.prisma.messengerAccount.create({
        data: {
          schoolId: s.schoolId,
          personId,
          botId: bot.id,
          telegramUserId: BigInt(900 + i),
          chatId: BigInt(900 + i),
        },
      });
    }
    dirs = [0, 1].map(() => mkdtempSync(path.join(os.tmpdir(), "classbook-archive-test-")));
    // The data files only: the printed journals (one PDF per class) are checked on their own below.
    const producers = ARCHIVE_PRODUCERS.filter((p) => !p.name.endsWith(".pdf"));
    env = { targets: archiveTargets(dirs), producers, backupEveryHours: 24, backupKeep: 3 };
  });
  afterAll(async () => {
    for (const d of dirs ?? []) rmSync(d, { recursive: true, force: true });
    await db.drop();
  });

  it("without a configuration the archive jobs skip instead of guessing where to write", async () => {
    const p = archiveModule({ prisma: db.prisma, logger }).processors!.find((x) => x.name === archiveScanJob.name)!;
    expect(await p.process({ schoolId: s.schoolId }, { logger } as never)).toEqual({ skipped: true });
    expect(await db.prisma.archive.count()).toBe(0);
  });

  it("R-30: the scheduled scan archives every closed period on both targets, once", async () => {
    expect(await run(archiveScanJob.name, { schoolId: s.schoolId })).toEqual({ built: 2 });
    const archives = await db.prisma.archive.findMany({ where: { schoolId: s.schoolId }, orderBy: { id: "asc" } });
    expect(archives.map((a) => a.path)).toEqual([
      expect.stringMatching(/^school-\d+\/test-y\d+\/quarter-2$/),
      expect.stringMatching(/^school-\d+\/test-y\d+\/quarter-1$/),
    ]);
    q2 = archives[0].path;
    q1 = archives[1].path;
    for (const dir of dirs) {
      const manifestBytes = readFileSync(path.join(dir, q2, MANIFEST_FILE));
      expect(sha256(manifestBytes)).toBe(archives[0].manifestSha256);
      const manifest = JSON.parse(manifestBytes.toString()) as SignedManifest;
      expect(manifest.files.map((f) => f.name)).toEqual(["journal.json", "journal.xlsx", "term-marks.json"]);
      for (const f of manifest.files) expect(sha256(readFileSync(path.join(dir, q2, f.name)))).toBe(f.sha256);
      expect(manifest.files.map((f) => f.retention)).toEqual(["journal", "journal", "summary"]);
      expect(manifest.hmac).toMatch(/^[0-9a-f]{64}$/);
      expect(manifest.auditHead?.lastId).toBe(archives[0].auditLastId?.toString());
      // the anchor also went to the daily anchor file
      const anchorDir = path.join(dir, "anchors", `school-${s.schoolId}`);
      const day = JSON.parse(
        readFileSync(path.join(anchorDir, `${new Date().toISOString().slice(0, 10)}.json`), "utf8"),
      );
      expect(day.anchors.map((a: { lastId: string }) => a.lastId)).toContain(manifest.auditHead?.lastId);
    }
    const journal = JSON.parse(readFileSync(path.join(dirs[0], q2, "journal.json"), "utf8"));
    expect(journal.lessons.find((l: { topic: string | null }) => l.topic === "Линейные уравнения")).toBeTruthy();
    expect(journal.homework.map((h: { text: string }) => h.text)).toEqual(["№ 101–105"]);
    expect(journal.marks.map((m: { value: string; status: string }) => `${m.value}:${m.status}`).sort()).toEqual([
      "2:SUPERSEDED",
      "4:ACTIVE",
      "5:ACTIVE",
    ]);
    expect(journal.attendance.map((a: { status: string }) => a.status).sort()).toEqual(["ABSENT", "LATE"]);
    expect(journal.termMarks.map((g: { value: string }) => g.value).sort()).toEqual(["4", "5"]);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(readFileSync(path.join(dirs[1], q2, "journal.xlsx")) as never);
    expect(book.worksheets.map((w) => w.name)).toEqual([
      "students",
      "lessons",
      "homework",
      "marks",
      "attendance",
      "term-marks",
    ]);
    expect(book.getWorksheet("marks")!.rowCount).toBe(4);
    expect(book.getWorksheet("homework")!.getRow(2).getCell(3).value).toBe("№ 101–105");
    // idempotent: a second scan finds nothing to do
    expect(await run(archiveScanJob.name, { schoolId: s.schoolId })).toEqual({ built: 0 });
    expect(await db.prisma.archive.count({ where: { schoolId: s.schoolId } })).toBe(2);
  });

  it("R-30: the administration is told that the archive was made; teachers are not", async () => {
    const messages = await handle("archive.created");
    expect(messages.map((m) => m.personId).sort()).toEqual(
      [s.people.director, s.people.deputy, s.people.director, s.people.deputy].sort(),
    );
    const first = messages[0];
    expect(first.render).toMatchObject({
      key: "archive:notify.created",
      params: { what: "2-я четверть test", count: 3 },
    });
    if ("key" in first.render) {
      expect(ru(first.render.key, first.render.params)).toContain("Журнал за период «2-я четверть test» сдан в архив");
    }
  });

  it("R-30: archive verify finds everything intact, then names a changed file, a removed file and a forged manifest", async () => {
    expect(await run(archiveVerifyJob.name, { schoolId: s.schoolId })).toMatchObject({ ok: true, archives: 2 });
    writeFileSync(
      path.join(dirs[0], q2, "journal.json"),
      readFileSync(path.join(dirs[0], q2, "journal.json"), "utf8").replace("№ 101–105", "№ 1"),
    );
    unlinkSync(path.join(dirs[1], q2, "journal.xlsx"));
    const manifestFile = path.join(dirs[1], q1, MANIFEST_FILE);
    const forged = JSON.parse(readFileSync(manifestFile, "utf8")) as SignedManifest;
    forged.files[0].sha256 = "0".repeat(64);
    writeFileSync(manifestFile, JSON.stringify(forged));

    const { code, lines } = await cli(archiveCommand, ["verify"]);
    expect(code).toBe(1);
    expect(lines).toEqual([
      `Носитель dir:${dirs[0]}, архив ${q2}: изменён файл journal.json.`,
      `Носитель dir:${dirs[1]}, архив ${q2}: удалён файл journal.xlsx.`,
      `Носитель dir:${dirs[1]}, архив ${q1}: опись подделана (подпись не сходится).`,
    ]);
    const check = await db.prisma.archiveCheck.findFirstOrThrow({
      where: { schoolId: s.schoolId },
      orderBy: { id: "desc" },
    });
    expect(check).toMatchObject({ ok: false, checked: 2 });
    const messages = await handle("archive.check-failed");
    expect(messages.map((m) => m.personId).sort()).toEqual([s.people.director, s.people.deputy].sort());
    if ("key" in messages[0].render) {
      expect(ru(messages[0].render.key, messages[0].render.params)).toContain("выявила 3 нарушения целостности");
    }
  });

  it("R-31: nothing is pruned before its time; journals go after 5 years, the summary after 25", async () => {
    const before = await pruneArchives(db.prisma, env.targets);
    expect(before).toEqual({ files: 0, archives: 0 });
    const year = await db.prisma.academicYear.findUniqueOrThrow({ where: { id: s.yearId } });
    const at = (years: number, days: number) => {
      const d = new Date(year.endsOn);
      d.setUTCFullYear(d.getUTCFullYear() + years);
      return new Date(d.getTime() + days * 86_400_000);
    };
    // on the last day of the 5 years: still kept
    expect(await pruneArchives(db.prisma, env.targets, at(5, 0))).toEqual({ files: 0, archives: 0 });
    // after it, the journal's files go on both targets (the forged manifest of q1 on target 2 is left alone)
    await pruneArchives(db.prisma, env.targets, at(5, 1));
    const list = (dir: string, archive: string) => env.targets[dirs.indexOf(dir)].list(archive);
    expect(await list(dirs[0], q1)).toEqual([MANIFEST_FILE, "term-marks.json"]);
    expect(await list(dirs[1], q2)).toEqual([MANIFEST_FILE, "term-marks.json"]);
    expect(await list(dirs[1], q1)).toEqual(["journal.json", "journal.xlsx", MANIFEST_FILE, "term-marks.json"]);
    expect((await db.prisma.archive.findMany({ where: { prunedAt: { not: null } } })).length).toBe(0);
    // after 25 years the whole archive goes and is marked pruned
    expect(await pruneArchives(db.prisma, env.targets, at(25, 1))).toMatchObject({ archives: 3 });
    expect(await list(dirs[0], q1)).toEqual([]);
    expect(await db.prisma.archive.count({ where: { prunedAt: { not: null } } })).toBe(2);
  });

  it("R-30: a closed year is archived whole, once", async () => {
    await db.prisma.academicYear.update({ where: { id: s.yearId }, data: { closedAt: new Date() } });
    expect(await run(archiveScanJob.name, { schoolId: s.schoolId })).toEqual({ built: 1 });
    const year = await db.prisma.archive.findFirstOrThrow({ where: { schoolId: s.schoolId, scope: "year" } });
    expect(year.path).toMatch(/\/year$/);
    for (const dir of dirs) {
      const journal = JSON.parse(readFileSync(path.join(dir, year.path, "journal.json"), "utf8"));
      expect(journal.scope).toMatchObject({ scope: "year", periodId: null });
      expect(journal.marks).toHaveLength(3);
      expect(journal.termMarks).toHaveLength(2);
    }
    expect(await run(archiveScanJob.name, { schoolId: s.schoolId })).toEqual({ built: 0 });
  });

  it("R-30: audit-verify compares the chain with the newest anchor on the targets and notices deleted newest events", async () => {
    expect(await run(auditAnchorJob.name, { schoolId: s.schoolId })).toMatchObject({ lastId: expect.any(String) });
    const ok = await cli(auditVerifyCommand, ["--school", String(s.schoolId)]);
    expect(ok.code).toBe(0);
    expect(ok.lines[0]).toContain("цел");
    const head = (await auditHead(db.prisma, s.schoolId))!;
    await db.prisma.auditEvent.delete({ where: { id: BigInt(head.lastId) } });
    const bad = await cli(auditVerifyCommand, ["--school", String(s.schoolId)]);
    expect(bad.code).toBe(1);
    expect(bad.lines[0]).toContain(`удалены последние события (заверенная вершина — событие ${head.lastId}`);
    // an anchor planted on a target without the key is refused, not trusted
    const file = path.join(dirs[0], "anchors", `school-${s.schoolId}`, "2999-01-01.json");
    const planted = {
      ...head,
      lastId: String(BigInt(head.lastId) + 100n),
      at: new Date().toISOString(),
      mac: "0".repeat(64),
    };
    writeFileSync(file, JSON.stringify({ anchors: [planted] }));
    const forged = await cli(auditVerifyCommand, ["--school", String(s.schoolId)]);
    expect(forged.code).toBe(1);
    expect(forged.lines[0]).toContain("подделана");
    expect(await run(archivePruneJob.name, {})).toEqual({ files: 0, archives: 0 });
  });

  it("R-31: an archive found on a target without its record is never replaced: the new one goes beside it", async () => {
    const year = await db.prisma.archive.findFirstOrThrow({ where: { schoolId: s.schoolId, scope: "year" } });
    // as after restoring a database backup older than the archive
    await db.prisma.archive.delete({ where: { id: year.id } });
    expect(await run(archiveScanJob.name, { schoolId: s.schoolId })).toEqual({ built: 1 });
    const again = await db.prisma.archive.findFirstOrThrow({ where: { schoolId: s.schoolId, scope: "year" } });
    expect(again.path).toBe(`${year.path}-r2`);
    for (const t of env.targets) {
      expect(await t.list(year.path)).toContain(MANIFEST_FILE);
      expect(await t.list(again.path)).toContain(MANIFEST_FILE);
    }
  });

  it("R-30: a target added later gets a copy of every intact archive at the next scan", async () => {
    const third = mkdtempSync(path.join(os.tmpdir(), "classbook-archive-test-"));
    dirs.push(third);
    env = { ...env, targets: archiveTargets(dirs) };
    const year = await db.prisma.archive.findFirstOrThrow({ where: { schoolId: s.schoolId, scope: "year" } });
    expect(await run(archiveScanJob.name, { schoolId: s.schoolId })).toMatchObject({
      built: 0,
      copied: expect.any(Number),
    });
    const copy = env.targets[2];
    expect(await copy.list(year.path)).toEqual(["journal.json", "journal.xlsx", MANIFEST_FILE, "term-marks.json"]);
    // every archive still kept is now intact on all three media
    expect(await run(archiveVerifyJob.name, { schoolId: s.schoolId })).toEqual({ ok: true, archives: 1, problems: 0 });
    expect(await run(archiveScanJob.name, { schoolId: s.schoolId })).toEqual({ built: 0 });
  });

  describe("R-29, R-31 the printed journal in the archive", () => {
    it("a period's archive holds every class's printed journal (kept 5 years) and summary sheet (kept 25)", async () => {
      const db = await createTestDb();
      try {
        const s = await buildSchool(db.prisma, { today: localMoment("Europe/Moscow").date });
        await writeJournal(db.prisma, s);
        const q1 = await db.prisma.period.findFirstOrThrow({ where: { schoolId: s.schoolId, number: 1 } });
        await closePeriod(db.prisma, await s.actor(s.people.director), { periodId: q1.id });
        const scope = await archiveScope(db.prisma, systemActor(s.schoolId), { scope: "period", id: q1.id });
        const ctx = { db: db.prisma, scope, journal: async () => Promise.reject(new Error("not needed")) };
        const journals = (await printedJournalProducer.produce(ctx)) as { name: string; bytes: Buffer }[];
        const summaries = (await summarySheetProducer.produce(ctx)) as { name: string; bytes: Buffer }[];
        const classes = await db.prisma.classGroup.count({ where: { schoolId: s.schoolId } });
        expect(journals).toHaveLength(classes);
        expect(summaries).toHaveLength(classes);
        expect(journals.map((f) => f.name)).toEqual(
          expect.arrayContaining([expect.stringMatching(/^journal-7B-\d+\.pdf$/)]),
        );
        const text = (await extractText(new Uint8Array(journals.find((f) => f.name.startsWith("journal-7B"))!.bytes)))
          .text;
        expect(String(text)).toContain("7Б");
        const summaryText = String((await extractText(new Uint8Array(summaries[0].bytes))).text);
        expect(summaryText).toContain("Сводная ведомость");
        expect([printedJournalProducer.retention, summarySheetProducer.retention]).toEqual(["journal", "summary"]);
        expect(ARCHIVE_PRODUCERS).toContain(printedJournalProducer);
        expect(ARCHIVE_PRODUCERS).toContain(summarySheetProducer);
      } finally {
        await db.drop();
      }
    });
  });
});
