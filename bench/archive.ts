// The archive of a 1,000-student school for a quarter (issue 11), and a backup/restore of its database.
// The school comes from the demo workbook (37 classes, as the import bench), its first quarter's lessons are
// materialised and filled with bulk inserts (a topic on every lesson, homework on every other, marks for a
// quarter of the class per lesson, a few corrections, absences, term marks), the quarter is closed, and then:
// the archive is built on two directory targets and verified; the database is backed up with pg_dump when one
// of the server's version exists (and always with the logical format) and restored into an empty database or
// schema. Peak memory is this process's RSS sampled every 20 ms (pg_dump/pg_restore run as child processes).
import { mkdirSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { systemActor } from "../src/core/actor.ts";
import { scopesWithoutArchive } from "../src/core/archive/journal-export.ts";
import { addDays, fromIsoDate, toIsoDate } from "../src/core/dates.ts";
import { buildDemoWorkbook } from "../src/core/demo/build-workbook.ts";
import { importSchool } from "../src/core/import/import-school.ts";
import { materializeLessons } from "../src/core/lessons/materialize.ts";
import { buildArchive } from "../src/jobs/archive/build-archive.ts";
import { ARCHIVE_PRODUCERS } from "../src/jobs/archive/producers/index.ts";
import { archiveTargets } from "../src/jobs/archive/targets.ts";
import { verifySchoolArchives } from "../src/jobs/archive/verify-archives.ts";
import { BACKUP_DIR, backupDatabase, restoreDatabase } from "../src/jobs/backup/backup.ts";
import { benchDatabase } from "./helpers.ts";

const TODAY = "2026-11-24";
const CHUNK = 5000;

async function measured<T>(fn: () => Promise<T>): Promise<[T, number, number]> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const started = performance.now();
  try {
    const out = await fn();
    peak = Math.max(peak, process.memoryUsage().rss);
    return [out, Math.round(performance.now() - started), Math.round(peak / 1_048_576)];
  } finally {
    clearInterval(timer);
  }
}

const mb = (bytes: number) => (bytes / 1_048_576).toFixed(1);

async function inChunks<T>(rows: T[], write: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await write(rows.slice(i, i + CHUNK));
}

export async function benchArchive(): Promise<Record<string, number | string>> {
  const db = await benchDatabase("archive");
  const { prisma } = db;
  const restoreDb = `bench_restore_${db.id}`;
  const admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
  try {
    const wb = buildDemoWorkbook(TODAY, { classes: 37 });
    const { schoolId } = await importSchool(prisma, wb, { effectiveDate: "2026-09-01" });
    const q = await prisma.period.findFirstOrThrow({ where: { schoolId, kind: "QUARTER", number: 1 } });
    const from = toIsoDate(q.startsOn);
    const to = toIsoDate(q.endsOn);
    await materializeLessons(prisma, schoolId, from, to);

    // --- a quarter of journal, in bulk ---
    const lessons = await prisma.lesson.findMany({
      where: { schoolId, date: { gte: q.startsOn, lte: q.endsOn } },
      select: { id: true, date: true, assignment: { select: { classId: true, subjectId: true, teacherId: true } } },
    });
    const enrollments = await prisma.enrollment.findMany({
      where: { schoolId },
      select: { classId: true, studentId: true },
    });
    const byClass = new Map<number, number[]>();
    for (const e of enrollments) byClass.set(e.classId, [...(byClass.get(e.classId) ?? []), e.studentId]);
    const marks: {
      schoolId: number;
      studentId: number;
      lessonId: number;
      subjectId: number;
      date: Date;
      workType: string;
      weight: number;
      value: string;
      authorId: number;
      status: "ACTIVE" | "SUPERSEDED";
    }[] = [];
    const attendance: {
      schoolId: number;
      studentId: number;
      lessonId: number;
      classId: number;
      date: Date;
      status: "ABSENT" | "LATE";
      reason: "ILLNESS" | null;
      updatedById: number;
    }[] = [];
    const homework: { schoolId: number; lessonId: number; text: string; dueDate: Date; authorId: number }[] = [];
    let n = 0;
    for (const [i, l] of lessons.entries()) {
      const a = l.assignment;
      const students = byClass.get(a.classId) ?? [];
      for (const [k, studentId] of students.entries()) {
        n++;
        if ((k + i) % 4 === 0) {
          marks.push({
            schoolId,
            studentId,
            lessonId: l.id,
            subjectId: a.subjectId,
            date: l.date,
            workType: "oral",
            weight: 1,
            value: String(2 + (n % 4)),
            authorId: a.teacherId,
            status: n % 50 === 0 ? "SUPERSEDED" : "ACTIVE",
          });
        }
        if (n % 23 === 0) {
          attendance.push({
            schoolId,
            studentId,
            lessonId: l.id,
            classId: a.classId,
            date: l.date,
            status: n % 3 === 0 ? "LATE" : "ABSENT",
            reason: n % 2 === 0 ? "ILLNESS" : null,
            updatedById: a.teacherId,
          });
        }
      }
      if (i % 2 === 0) {
        homework.push({
          schoolId,
          lessonId: l.id,
          text: `Параграф ${1 + (i % 40)}, упражнения ${i % 300}–${(i % 300) + 5}`,
          dueDate: fromIsoDate(addDays(toIsoDate(l.date), 2)),
          authorId: a.teacherId,
        });
      }
    }
    await prisma.$executeRaw`UPDATE "Lesson" SET topic = 'Тема урока ' || id, status = 'HELD' WHERE "schoolId" = ${schoolId}`;
    await inChunks(marks, (c) => prisma.mark.createMany({ data: c }));
    await inChunks(attendance, (c) => prisma.attendance.createMany({ data: c }));
    await inChunks(homework, (c) => prisma.homework.createMany({ data: c }));
    const assignments = await prisma.teachingAssignment.findMany({
      where: { schoolId },
      select: { classId: true, subjectId: true, teacherId: true },
    });
    const seen = new Set<string>();
    const termGrades = [];
    for (const a of assignments) {
      for (const studentId of byClass.get(a.classId) ?? []) {
        const key = `${studentId}-${a.subjectId}`;
        if (seen.has(key)) continue;
        seen.add(key);
        termGrades.push({
          schoolId,
          studentId,
          subjectId: a.subjectId,
          periodId: q.id,
          value: String(3 + (studentId % 3)),
          authorId: a.teacherId,
        });
      }
    }
    await inChunks(termGrades, (c) => prisma.termGrade.createMany({ data: c }));
    await prisma.period.update({ where: { id: q.id }, data: { closedAt: new Date() } });

    // --- the archive on two targets ---
    const targets = archiveTargets([path.join(db.tmpDir, "archive-a"), path.join(db.tmpDir, "archive-b")]);
    const due = await scopesWithoutArchive(prisma, systemActor(schoolId));
    const [built, archiveMs, archivePeak] = await measured(() =>
      buildArchive({ prisma, targets, producers: ARCHIVE_PRODUCERS }, { schoolId, ...due[0] }),
    );
    const archive = await prisma.archive.findUniqueOrThrow({ where: { id: built.archiveId } });
    const [check, verifyMs, verifyPeak] = await measured(() => verifySchoolArchives(prisma, targets, schoolId));
    if (!check.ok) throw new Error("the fresh archive did not verify");
    const sizes = await Promise.all(
      ["journal.json", "journal.xlsx", "term-marks.json"].map(
        async (f) => (await targets[0].readFile(`${archive.path}/${f}`))?.length ?? 0,
      ),
    );

    // --- backups ---
    const out: Record<string, number | string> = {
      students: enrollments.length,
      lessons: lessons.length,
      marks: marks.length,
      "attendance rows": attendance.length,
      homework: homework.length,
      "term marks": termGrades.length,
      "archive (2 targets), ms": archiveMs,
      "archive peak RSS, MB": archivePeak,
      "archive size per target, MB": mb(built.bytes),
      "journal.json / .xlsx / term-marks.json, MB": sizes.map(mb).join(" / "),
      "archive verify (2 targets), ms": verifyMs,
      "archive verify peak RSS, MB": verifyPeak,
    };
    const backupDir = path.join(db.tmpDir, "backup");
    mkdirSync(backupDir, { recursive: true });
    const backupTargets = archiveTargets([backupDir]);
    const source = { url: db.url, schema: db.schema };
    try {
      const [dump, dumpMs, dumpPeak] = await measured(() =>
        backupDatabase(source, backupTargets, { keep: 5, format: "pg_dump" }),
      );
      await admin.query(`CREATE DATABASE "${restoreDb}"`);
      const u = new URL(db.url);
      u.pathname = `/${restoreDb}`;
      const [, restoreMs, restorePeak] = await measured(() =>
        restoreDatabase(path.join(backupDir, BACKUP_DIR, dump.file), u.toString()),
      );
      Object.assign(out, {
        "pg_dump backup, ms": dumpMs,
        "pg_dump backup size, MB": mb(dump.bytes),
        "pg_dump backup peak RSS (Node), MB": dumpPeak,
        "pg_restore into an empty database, ms": restoreMs,
        "pg_restore peak RSS (Node), MB": restorePeak,
        "pg_dump used": dump.tool,
      });
    } catch (err) {
      out["pg_dump backup"] = `not run: ${(err as Error).message.slice(0, 120)}`;
    }
    const [logical, logicalMs, logicalPeak] = await measured(() =>
      backupDatabase(source, backupTargets, { keep: 5, format: "logical", now: new Date(Date.now() + 1000) }),
    );
    const target = db.extraSchema("restored");
    const [, logicalRestoreMs, logicalRestorePeak] = await measured(() =>
      restoreDatabase(path.join(backupDir, BACKUP_DIR, logical.file), db.url, { schema: target }),
    );
    const check2 = await admin.query<{ n: string }>(`SELECT count(*) AS n FROM "${target}"."Mark"`);
    if (Number(check2.rows[0].n) !== marks.length) throw new Error("logical restore lost marks");
    Object.assign(out, {
      "logical backup, ms": logicalMs,
      "logical backup size, MB": mb(logical.bytes),
      "logical backup peak RSS, MB": logicalPeak,
      "logical restore into an empty schema, ms": logicalRestoreMs,
      "logical restore peak RSS, MB": logicalRestorePeak,
    });
    return out;
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${restoreDb}" WITH (FORCE)`).catch(() => {});
    await admin.end();
    await db.close();
  }
}
