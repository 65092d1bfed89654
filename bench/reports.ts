// Reports (issue 10): the printed journal of a class of 30 for a quarter, and the school's performance
// report for 1,020 students from the term marks — core data, PDF and XLSX — on a generated school:
// 34 classes × 30 students, 10 subjects (25 lessons a week a class), 8 weeks of lessons with topics, homework,
// marks and absences. Time and peak memory (RSS sampled every 10 ms, and the heap growth) of each.
import { systemActor } from "../src/core/actor.ts";
import { addDays, fromIsoDate, isoWeekday } from "../src/core/dates.ts";
import { buildReport } from "../src/core/reports/build-report.ts";
import { printedJournal } from "../src/core/reports/printed-journal.ts";
import { translator } from "../src/i18n.ts";
import { journalLabels } from "../src/jobs/reports/build-file.ts";
import { renderPrintedJournal } from "../src/jobs/reports/printed-journal-pdf.ts";
import { reportDocument, type Translate } from "../src/jobs/reports/report-content.ts";
import { renderReportPdf, renderReportXlsx } from "../src/jobs/reports/report-document.ts";
import { benchDatabase } from "./helpers.ts";

const CLASSES = 34;
const STUDENTS = 30;
const HOURS = [5, 4, 4, 3, 2, 2, 2, 1, 1, 1]; // 25 lessons a week
const FROM = "2025-09-01"; // a Monday
const WEEKS = Number(process.env.BENCH_WEEKS ?? 8);

async function measured<T>(fn: () => Promise<T>): Promise<{ out: T; ms: number; peakRssMb: number; heapMb: number }> {
  global.gc?.();
  const rss0 = process.memoryUsage().rss;
  const heap0 = process.memoryUsage().heapUsed;
  let peak = rss0;
  let peakHeap = heap0;
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    peak = Math.max(peak, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 10);
  const started = performance.now();
  try {
    const out = await fn();
    const m = process.memoryUsage();
    peak = Math.max(peak, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
    return {
      out,
      ms: Math.round(performance.now() - started),
      peakRssMb: Math.round(peak / 1e5) / 10,
      heapMb: Math.round((peakHeap - heap0) / 1e5) / 10,
    };
  } finally {
    clearInterval(timer);
  }
}

export async function benchReports(): Promise<Record<string, number | string>> {
  const db = await benchDatabase("reports");
  const { prisma } = db;
  try {
    const seedStarted = performance.now();
    const school = await prisma.school.create({ data: { name: "Школа № 1", timezone: "Europe/Moscow" } });
    const schoolId = school.id;
    const year = await prisma.academicYear.create({
      data: { schoolId, name: "2025/2026", startsOn: fromIsoDate(FROM), endsOn: fromIsoDate("2026-05-31") },
    });
    const period = await prisma.period.create({
      data: {
        schoolId,
        yearId: year.id,
        kind: "QUARTER",
        number: 1,
        startsOn: fromIsoDate(FROM),
        endsOn: fromIsoDate(addDays(FROM, WEEKS * 7 - 1)),
      },
    });
    const teachers = await prisma.person.createManyAndReturn({
      data: Array.from({ length: 40 }, (_, i) => ({
        schoolId,
        lastName: `Учитель${i}`,
        firstName: "Анна",
        middleName: "Петровна",
      })),
    });
    await prisma.staffRole.create({ data: { schoolId, personId: teachers[0].id, role: "DIRECTOR" } });
    const subjects = await prisma.subject.createManyAndReturn({
      data: HOURS.map((_, i) => ({ schoolId, name: `Предмет ${i + 1}`, short: `п${i + 1}` })),
    });
    const classes = await prisma.classGroup.createManyAndReturn({
      data: Array.from({ length: CLASSES }, (_, i) => ({
        schoolId,
        yearId: year.id,
        name: `${5 + (i % 7)}${"АБВГДЕ"[Math.floor(i / 7)]}`,
        grade: 5 + (i % 7),
        letter: "АБВГДЕ"[Math.floor(i / 7)],
        classTeacherId: teachers[i % 40].id,
      })),
    });
    const people = await prisma.person.createManyAndReturn({
      data: Array.from({ length: CLASSES * STUDENTS }, (_, i) => ({
        schoolId,
        lastName: `Фамилия${i}`,
        firstName: "Ученик",
      })),
    });
    const students = await prisma.student.createManyAndReturn({
      data: people.map((p) => ({ schoolId, personId: p.id })),
    });
    await prisma.enrollment.createMany({
      data: students.map((s, i) => ({
        schoolId,
        studentId: s.id,
        classId: classes[Math.floor(i / STUDENTS)].id,
        fromDate: fromIsoDate(FROM),
      })),
    });
    const assignments = await prisma.teachingAssignment.createManyAndReturn({
      data: classes.flatMap((c, ci) =>
        subjects.map((s, si) => ({
          schoolId,
          yearId: year.id,
          teacherId: teachers[(ci + si) % 40].id,
          subjectId: s.id,
          classId: c.id,
          hoursPerWeek: HOURS[si],
        })),
      ),
    });
    // lessons: each subject's hours spread over Monday..Friday
    const lessonRows = [];
    for (const a of assignments) {
      const si = subjects.findIndex((s) => s.id === a.subjectId);
      for (let w = 0; w < WEEKS; w++) {
        for (let h = 0; h < HOURS[si]; h++) {
          const date = addDays(FROM, w * 7 + ((h + si) % 5));
          if (isoWeekday(date) > 5) continue;
          lessonRows.push({
            schoolId,
            assignmentId: a.id,
            date: fromIsoDate(date),
            slot: si + 1 + h * 10,
            status: "HELD" as const,
            topic: `Тема ${w * HOURS[si] + h + 1}: повторение и закрепление пройденного материала`,
            attendanceTakenAt: new Date(`${date}T09:00:00Z`),
          });
        }
      }
    }
    const lessons = await prisma.lesson.createManyAndReturn({
      data: lessonRows,
      select: { id: true, assignmentId: true, date: true },
    });
    const byAssignment = new Map(assignments.map((a) => [a.id, a]));
    const studentsOf = new Map<number, typeof students>();
    students.forEach((s, i) => {
      const c = classes[Math.floor(i / STUDENTS)].id;
      studentsOf.set(c, [...(studentsOf.get(c) ?? []), s]);
    });
    const marks = [];
    const absences = [];
    const homework = [];
    for (const [li, l] of lessons.entries()) {
      const a = byAssignment.get(l.assignmentId)!;
      const roster = studentsOf.get(a.classId)!;
      if (li % 2 === 0)
        homework.push({
          schoolId,
          lessonId: l.id,
          text: `§${li % 40}, упр. ${li % 200}`,
          dueDate: l.date,
          authorId: a.teacherId,
        });
      for (let k = 0; k < 5; k++) {
        const s = roster[(li * 7 + k * 5) % STUDENTS];
        marks.push({
          schoolId,
          studentId: s.id,
          lessonId: l.id,
          subjectId: a.subjectId,
          date: l.date,
          workType: "oral",
          weight: 1,
          value: String(2 + ((li + k) % 4)),
          authorId: a.teacherId,
          createdAt: l.date,
        });
      }
      const absent = roster[(li * 3) % STUDENTS];
      absences.push({
        schoolId,
        studentId: absent.id,
        lessonId: l.id,
        classId: a.classId,
        date: l.date,
        status: "ABSENT" as const,
        updatedById: a.teacherId,
      });
    }
    for (let i = 0; i < marks.length; i += 5000) await prisma.mark.createMany({ data: marks.slice(i, i + 5000) });
    for (let i = 0; i < absences.length; i += 5000)
      await prisma.attendance.createMany({ data: absences.slice(i, i + 5000) });
    for (let i = 0; i < homework.length; i += 5000)
      await prisma.homework.createMany({ data: homework.slice(i, i + 5000) });
    await prisma.termGrade.createMany({
      data: students.flatMap((s, i) =>
        subjects.map((sub, si) => ({
          schoolId,
          studentId: s.id,
          subjectId: sub.id,
          periodId: period.id,
          value: (i + si) % 37 === 0 ? "осв" : (i + si) % 41 === 0 ? "н/а" : String(2 + ((i * 3 + si) % 4)),
          authorId: teachers[0].id,
        })),
      ),
    });
    const seedMs = Math.round(performance.now() - seedStarted);

    const actor = systemActor(schoolId);
    const t = translator("ru") as unknown as Translate;
    const journal = await measured(async () => {
      const j = await printedJournal(prisma, actor, { classId: classes[0].id, periodId: period.id });
      const pdf = await renderPrintedJournal(j, journalLabels(t, j));
      return { j, pdf };
    });
    const pages = (journal.out.pdf.toString("latin1").match(/\/Type \/Page\b/g) ?? []).length;
    const perfData = await measured(() =>
      buildReport(prisma, actor, {
        kind: "performance",
        span: { span: "period", at: "2025-10-01" },
        scope: { kind: "school" },
      }),
    );
    const perfPdf = await measured(() => renderReportPdf(reportDocument(t, perfData.out)));
    const perfXlsx = await measured(() => renderReportXlsx(reportDocument(t, perfData.out)));
    const filling = await measured(() =>
      buildReport(prisma, actor, {
        kind: "filling",
        span: { span: "period", at: "2025-10-01" },
        scope: { kind: "school" },
      }),
    );
    return {
      "school: students / lessons / marks": `${students.length} / ${lessons.length} / ${marks.length}`,
      "seed, ms": seedMs,
      "printed journal (30 students, quarter), ms": journal.ms,
      "printed journal: sheets / bytes": `${pages} / ${journal.out.pdf.length}`,
      "printed journal: peak RSS, MB / heap growth, MB": `${journal.peakRssMb} / ${journal.heapMb}`,
      "performance data (1,020 students), ms": perfData.ms,
      "performance data: peak RSS, MB / heap growth, MB": `${perfData.peakRssMb} / ${perfData.heapMb}`,
      "performance PDF, ms / bytes": `${perfPdf.ms} / ${perfPdf.out.length}`,
      "performance XLSX, ms / bytes": `${perfXlsx.ms} / ${perfXlsx.out.length}`,
      "performance files: peak RSS, MB": Math.max(perfPdf.peakRssMb, perfXlsx.peakRssMb),
      "filling control (school, quarter), ms": filling.ms,
      "filling control: peak RSS, MB / heap growth, MB": `${filling.peakRssMb} / ${filling.heapMb}`,
      "process max RSS (resourceUsage), MB": Math.round(process.resourceUsage().maxRSS / 100) / 10,
    };
  } finally {
    await db.close();
  }
}
