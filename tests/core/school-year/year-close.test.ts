// year close and promotion by order on a fixture with promotions, a student held back and graduates: the
// dry run shows who moves where and writes nothing; applying does it in one transaction; every row of the old
// year is still there, unchanged except the documented end dates; the old year is closed (marks locked).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../../src/core/actor.ts";
import { verifyAuditChain } from "../../../src/core/audit.ts";
import { fromIsoDate } from "../../../src/core/dates.ts";
import { type ErrorCode, isAppError } from "../../../src/core/errors.ts";
import { addMarks } from "../../../src/core/journal/marks.ts";
import { applyYearClose, planYearClose } from "../../../src/core/school-year/year-close.ts";
import { createTestDb, type TestDb } from "../../helpers/db.ts";

const code = (c: ErrorCode) => (e: unknown) => isAppError(e, c);
const order = { number: "112-у", date: "2026-05-29" };

let db: TestDb;
let schoolId: number;
let director: Actor;
let teacher: Actor;
const st: Record<string, number> = {};
let lessonId: number;

/** Every row of the tables that hold a year's journal, by table and id. */
async function snapshot() {
  const p = db.prisma;
  const where = { where: { schoolId } };
  const tables = {
    academicYear: await p.academicYear.findMany(where),
    period: await p.period.findMany(where),
    classGroup: await p.classGroup.findMany(where),
    student: await p.student.findMany(where),
    enrollment: await p.enrollment.findMany(where),
    subgroup: await p.subgroup.findMany(where),
    subgroupMember: await p.subgroupMember.findMany(where),
    teachingAssignment: await p.teachingAssignment.findMany(where),
    timetableEntry: await p.timetableEntry.findMany(where),
    lesson: await p.lesson.findMany(where),
    mark: await p.mark.findMany(where),
    attendance: await p.attendance.findMany(where),
    termGrade: await p.termGrade.findMany(where),
    guardianship: await p.guardianship.findMany(where),
  };
  return JSON.parse(JSON.stringify(tables)) as Record<string, Record<string, unknown>[]>;
}

beforeAll(async () => {
  db = await createTestDb();
  const p = db.prisma;
  const school = await p.school.create({ data: { name: "Школа", timezone: "Europe/Moscow" } });
  schoolId = school.id;
  const old = await p.academicYear.create({
    data: { schoolId, name: "2025/2026", startsOn: fromIsoDate("2025-09-01"), endsOn: fromIsoDate("2026-05-31") },
  });
  const next = await p.academicYear.create({
    data: { schoolId, name: "2026/2027", startsOn: fromIsoDate("2026-09-01"), endsOn: fromIsoDate("2027-05-31") },
  });
  await p.period.create({
    data: {
      schoolId,
      yearId: old.id,
      kind: "QUARTER",
      number: 4,
      startsOn: fromIsoDate("2026-03-30"),
      endsOn: fromIsoDate("2026-05-31"),
    },
  });
  const person = (lastName: string, firstName: string) =>
    p.person.create({ data: { schoolId, lastName, firstName } }).then((x) => x.id);
  const dir = await person("Директорова", "Ольга");
  await p.staffRole.create({ data: { schoolId, personId: dir, role: "DIRECTOR" } });
  director = { personId: dir, schoolId, roles: ["DIRECTOR"] };
  const tch = await person("Учителева", "Анна");
  await p.staffRole.create({ data: { schoolId, personId: tch, role: "TEACHER" } });
  teacher = { personId: tch, schoolId, roles: ["TEACHER"] };
  const c5a = (
    await p.classGroup.create({
      data: { schoolId, yearId: old.id, name: "5А", grade: 5, letter: "А", classTeacherId: tch },
    })
  ).id;
  const c11a = (await p.classGroup.create({ data: { schoolId, yearId: old.id, name: "11А", grade: 11, letter: "А" } }))
    .id;
  // the new year was imported with its 6А; there is no new 5А yet
  await p.classGroup.create({ data: { schoolId, yearId: next.id, name: "6А", grade: 6, letter: "А" } });
  const enroll = async (key: string, last: string, classId: number) => {
    const personId = await person(last, "Иван");
    const s = await p.student.create({ data: { schoolId, personId } });
    await p.enrollment.create({ data: { schoolId, studentId: s.id, classId, fromDate: fromIsoDate("2025-09-01") } });
    st[key] = s.id;
  };
  await enroll("a", "Андреев", c5a);
  await enroll("b", "Борисов", c5a);
  await enroll("c", "Волков", c5a); // held back
  await enroll("x", "Жуков", c11a);
  await enroll("y", "Зайцев", c11a);
  const subject = await p.subject.create({ data: { schoolId, name: "Математика", short: "Мат" } });
  const sg = await p.subgroup.create({ data: { schoolId, classId: c5a, subjectId: subject.id, number: 1 } });
  await p.subgroupMember.create({
    data: { schoolId, subgroupId: sg.id, studentId: st.a, fromDate: fromIsoDate("2025-09-01") },
  });
  const a = await p.teachingAssignment.create({
    data: { schoolId, yearId: old.id, teacherId: tch, subjectId: subject.id, classId: c5a },
  });
  await p.timetableEntry.create({
    data: { schoolId, assignmentId: a.id, weekday: 1, slot: 1, validFrom: fromIsoDate("2025-09-01") },
  });
  await p.bellSlot.create({ data: { schoolId, number: 1, startsAt: "08:30", endsAt: "09:15" } });
  const lesson = await p.lesson.create({
    data: { schoolId, assignmentId: a.id, date: fromIsoDate("2026-05-25"), slot: 1 },
  });
  lessonId = lesson.id;
  await addMarks(
    p,
    teacher,
    { lessonId, workType: "oral", entries: [{ studentId: st.a, value: "5" }] },
    {
      now: new Date("2026-05-25T08:40:00Z"),
    },
  );
});
afterAll(() => db.drop());

describe("R-32 year close and promotion", () => {
  const input = () => ({ fromYear: "2025/2026", toYear: "2026/2027", heldBack: [st.c], order });

  it("R-32: a teacher may neither plan nor apply, and nothing changes", async () => {
    const before = await snapshot();
    await expect(planYearClose(db.prisma, teacher, input())).rejects.toSatisfy(code("FORBIDDEN"));
    await expect(applyYearClose(db.prisma, teacher, input())).rejects.toSatisfy(code("FORBIDDEN"));
    expect(await snapshot()).toEqual(before);
  });

  it("R-32: the dry run shows 5А → 6А, the one held back stays in 5А, 11А leaves; nothing is written", async () => {
    const before = await snapshot();
    const plan = await planYearClose(db.prisma, director, input());
    expect(plan.byClass).toEqual([
      { fromClass: "5А", toClass: "6А", kind: "PROMOTION", count: 2 },
      { fromClass: "5А", toClass: "5А", kind: "HELD_BACK", count: 1 },
      { fromClass: "11А", toClass: null, kind: "GRADUATION", count: 2 },
    ]);
    expect(plan.createClasses).toEqual(["5А"]);
    expect(plan.moves.find((m) => m.studentId === st.c)).toMatchObject({ kind: "HELD_BACK", name: "Волков Иван" });
    expect(await snapshot()).toEqual(before);
  });

  it("R-32: applying moves everyone in one go and keeps every row of the old year", async () => {
    const before = await snapshot();
    const plan = await applyYearClose(db.prisma, director, input());
    expect(plan.moves).toHaveLength(5);
    const after = await snapshot();

    // every row of before is still there; only these fields changed, and only this way
    const allowed: Record<string, string[]> = {
      academicYear: ["closedAt"],
      enrollment: ["toDate"],
      subgroupMember: ["toDate"],
      teachingAssignment: ["endedAt"],
      student: ["leftAt"],
    };
    for (const [table, rows] of Object.entries(before)) {
      const now = new Map(after[table].map((r) => [r.id, r]));
      for (const row of rows) {
        const later = now.get(row.id);
        expect(later, `${table} ${row.id}`).toBeDefined();
        for (const [k, v] of Object.entries(row)) {
          if (JSON.stringify(later![k]) === JSON.stringify(v)) continue;
          expect(allowed[table] ?? [], `${table}.${k}`).toContain(k);
          expect(v, `${table}.${k} was empty before`).toBeNull();
        }
      }
    }
    expect(after.mark).toEqual(before.mark);
    expect(after.lesson).toEqual(before.lesson);

    const classOf = async (studentId: number) => {
      const e = await db.prisma.enrollment.findMany({
        where: { studentId, toDate: null },
        include: { class: { include: { year: true } } },
      });
      return e.map((x) => `${x.class.name} ${x.class.year.name}`);
    };
    expect(await classOf(st.a)).toEqual(["6А 2026/2027"]);
    expect(await classOf(st.b)).toEqual(["6А 2026/2027"]);
    expect(await classOf(st.c)).toEqual(["5А 2026/2027"]);
    expect(await classOf(st.x)).toEqual([]);
    const grad = await db.prisma.student.findUniqueOrThrow({ where: { id: st.x } });
    expect(grad.leftAt).toEqual(fromIsoDate("2026-06-01"));
    const moves = await db.prisma.studentMovement.findMany({ orderBy: { studentId: "asc" } });
    expect(moves.map((m) => [m.kind, m.orderNo])).toEqual([
      ["PROMOTION", "112-у"],
      ["PROMOTION", "112-у"],
      ["HELD_BACK", "112-у"],
      ["GRADUATION", "112-у"],
      ["GRADUATION", "112-у"],
    ]);
    expect((await verifyAuditChain(db.prisma, schoolId)).ok).toBe(true);
  });

  it("R-32: last year stays readable but locked, and cannot be closed twice", async () => {
    const mark = await db.prisma.mark.findFirstOrThrow({ where: { lessonId } });
    expect(mark.value).toBe("5");
    await expect(
      addMarks(db.prisma, teacher, { lessonId, workType: "oral", entries: [{ studentId: st.b, value: "4" }] }),
    ).rejects.toSatisfy(code("LOCKED_PERIOD"));
    await expect(applyYearClose(db.prisma, director, input())).rejects.toSatisfy(code("LOCKED_PERIOD"));
  });
});
