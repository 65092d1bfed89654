// Applies a validated workbook to a school as a difference, inside the caller's transaction: creates what is
// new, updates what changed, ends (never deletes) what disappeared. Journal data (lessons with anything in them,
// marks, attendance, homework) is never touched. Stable keys: people by external id; classes by name within the
// year; subjects by name; periods by (year, kind, number); bells by number; assignments by
// (teacher, subject, class, subgroup); timetable entries by (assignment, weekday, bell).

import type { Prisma } from "../../db/generated/client.ts";
import { fromIsoDate, type IsoDate, isoWeekday, toIsoDate } from "../dates.ts";
import type { Tx } from "../tx.ts";
import type { ParsedWorkbook, PersonData } from "./parse-workbook.ts";
import { SHEET_NAMES, type SheetName } from "./sheets.ts";

export interface SheetCounts {
  created: number;
  updated: number;
  unchanged: number;
  /** Rows of the database no longer in the file and therefore ended (enrollment, assignment, timetable...). */
  ended: number;
}

export type ImportCounts = Record<SheetName, SheetCounts>;

export interface ApplyResult {
  yearId: number;
  counts: ImportCounts;
  /** Future lessons of ended timetable entries that held nothing and were removed. */
  lessonsRemoved: number;
  changed: boolean;
}

type Kind = keyof SheetCounts;

const maxDate = (a: IsoDate, b: IsoDate) => (a > b ? a : b);
const D = fromIsoDate;

/** The order a re-import's student movements are recorded under; without one, "-" and the effective date. */
export interface ImportOrder {
  number: string;
  date: IsoDate;
}

export async function applyWorkbook(
  tx: Tx,
  schoolId: number,
  data: ParsedWorkbook,
  effective: IsoDate,
  order?: ImportOrder,
): Promise<ApplyResult> {
  const counts = Object.fromEntries(
    SHEET_NAMES.map((s) => [s, { created: 0, updated: 0, unchanged: 0, ended: 0 }]),
  ) as ImportCounts;
  const bump = (sheet: SheetName, kind: Kind, n = 1) => {
    counts[sheet][kind] += n;
  };
  let otherChanges = 0;
  const effDate = D(effective);

  // --- academic year and periods ---
  let year = await tx.academicYear.findUnique({ where: { schoolId_name: { schoolId, name: data.year.name } } });
  if (!year) {
    year = await tx.academicYear.create({
      data: { schoolId, name: data.year.name, startsOn: D(data.year.startsOn), endsOn: D(data.year.endsOn) },
    });
    otherChanges++;
  } else if (toIsoDate(year.startsOn) !== data.year.startsOn || toIsoDate(year.endsOn) !== data.year.endsOn) {
    year = await tx.academicYear.update({
      where: { id: year.id },
      data: { startsOn: D(data.year.startsOn), endsOn: D(data.year.endsOn) },
    });
    otherChanges++;
  }
  const yearId = year.id;
  /** The first day new things apply from: the effective date, or the year's start when it has not begun. */
  const from = maxDate(effective, data.year.startsOn);

  {
    const existing = new Map(
      (await tx.period.findMany({ where: { yearId } })).map((p) => [`${p.kind}:${p.number}`, p]),
    );
    const create = [];
    for (const p of data.periods) {
      const ex = existing.get(`${p.kind}:${p.number}`);
      if (!ex) {
        create.push({ schoolId, yearId, kind: p.kind, number: p.number, startsOn: D(p.startsOn), endsOn: D(p.endsOn) });
      } else if (toIsoDate(ex.startsOn) !== p.startsOn || toIsoDate(ex.endsOn) !== p.endsOn) {
        await tx.period.update({ where: { id: ex.id }, data: { startsOn: D(p.startsOn), endsOn: D(p.endsOn) } });
        bump("periods", "updated");
      } else bump("periods", "unchanged");
    }
    if (create.length) await tx.period.createMany({ data: create });
    bump("periods", "created", create.length);
  }

  // --- bells ---
  {
    const existing = new Map((await tx.bellSlot.findMany({ where: { schoolId } })).map((b) => [b.number, b]));
    const create = [];
    for (const b of data.bells) {
      const ex = existing.get(b.number);
      if (!ex) create.push({ schoolId, number: b.number, startsAt: b.startsAt, endsAt: b.endsAt });
      else if (ex.startsAt !== b.startsAt || ex.endsAt !== b.endsAt) {
        await tx.bellSlot.update({ where: { id: ex.id }, data: { startsAt: b.startsAt, endsAt: b.endsAt } });
        bump("bells", "updated");
      } else bump("bells", "unchanged");
    }
    if (create.length) await tx.bellSlot.createMany({ data: create });
    bump("bells", "created", create.length);
  }

  // --- subjects ---
  const subjectId = new Map<string, number>();
  {
    const existing = await tx.subject.findMany({ where: { schoolId } });
    for (const s of existing) subjectId.set(s.name, s.id);
    const byName = new Map(existing.map((s) => [s.name, s]));
    const create = [];
    for (const s of data.subjects) {
      const ex = byName.get(s.name);
      if (!ex) create.push({ schoolId, name: s.name, short: s.short });
      else if (ex.short !== s.short) {
        await tx.subject.update({ where: { id: ex.id }, data: { short: s.short } });
        bump("subjects", "updated");
      } else bump("subjects", "unchanged");
    }
    if (create.length) {
      for (const s of await tx.subject.createManyAndReturn({ data: create, select: { id: true, name: true } })) {
        subjectId.set(s.name, s.id);
      }
    }
    bump("subjects", "created", create.length);
  }

  // --- people (staff, students, guardians share Person by external id) ---
  const personId = new Map<string, number>();
  const newPeople = new Set<string>();
  const renamed = new Set<string>();
  {
    const desired = new Map<string, PersonData>();
    for (const p of [...data.staff, ...data.students, ...data.guardians]) if (!desired.has(p.id)) desired.set(p.id, p);
    const existing = await tx.person.findMany({
      where: { schoolId, externalId: { in: [...desired.keys()] } },
      select: { id: true, externalId: true, lastName: true, firstName: true, middleName: true },
    });
    const byExt = new Map(existing.map((p) => [p.externalId!, p]));
    const create = [];
    for (const p of desired.values()) {
      const ex = byExt.get(p.id);
      if (!ex) {
        create.push({
          schoolId,
          externalId: p.id,
          lastName: p.lastName,
          firstName: p.firstName,
          middleName: p.middleName,
        });
        newPeople.add(p.id);
        continue;
      }
      personId.set(p.id, ex.id);
      if (ex.lastName !== p.lastName || ex.firstName !== p.firstName || ex.middleName !== p.middleName) {
        await tx.person.update({
          where: { id: ex.id },
          data: { lastName: p.lastName, firstName: p.firstName, middleName: p.middleName },
        });
        renamed.add(p.id);
      }
    }
    for (const chunk of chunks(create, 2000)) {
      const rows = await tx.person.createManyAndReturn({ data: chunk, select: { id: true, externalId: true } });
      for (const r of rows) personId.set(r.externalId!, r.id);
    }
  }
  const pid = (ext: string) => personId.get(ext)!;

  // --- staff roles ---
  {
    const roles = await tx.staffRole.findMany({
      where: { schoolId },
      select: { id: true, personId: true, role: true },
    });
    const byPerson = new Map<number, typeof roles>();
    for (const r of roles) byPerson.set(r.personId, [...(byPerson.get(r.personId) ?? []), r]);
    const create: { schoolId: number; personId: number; role: (typeof roles)[number]["role"] }[] = [];
    const remove: number[] = [];
    const inFile = new Set<number>();
    for (const s of data.staff) {
      const id = pid(s.id);
      inFile.add(id);
      const have = byPerson.get(id) ?? [];
      const missing = s.roles.filter((r) => !have.some((h) => h.role === r));
      const extra = have.filter((h) => !s.roles.includes(h.role));
      for (const role of missing) create.push({ schoolId, personId: id, role });
      remove.push(...extra.map((h) => h.id));
      if (newPeople.has(s.id)) bump("staff", "created");
      else if (missing.length || extra.length || renamed.has(s.id)) bump("staff", "updated");
      else bump("staff", "unchanged");
    }
    for (const [id, have] of byPerson) {
      if (inFile.has(id)) continue;
      remove.push(...have.map((h) => h.id));
      bump("staff", "ended");
    }
    if (remove.length) await tx.staffRole.deleteMany({ where: { id: { in: remove } } });
    if (create.length) await tx.staffRole.createMany({ data: create });
  }

  // --- classes ---
  const classId = new Map<string, number>();
  const gradeOf = new Map<number, number>();
  {
    const existing = await tx.classGroup.findMany({ where: { schoolId, yearId } });
    const byName = new Map(existing.map((c) => [c.name, c]));
    for (const c of existing) classId.set(c.name, c.id);
    const create = [];
    for (const c of data.classes) {
      const ex = byName.get(c.name);
      const teacher = c.classTeacher ? pid(c.classTeacher) : null;
      if (!ex)
        create.push({ schoolId, yearId, name: c.name, grade: c.grade, letter: c.letter, classTeacherId: teacher });
      else if (ex.grade !== c.grade || ex.letter !== c.letter || ex.classTeacherId !== teacher) {
        await tx.classGroup.update({
          where: { id: ex.id },
          data: { grade: c.grade, letter: c.letter, classTeacherId: teacher },
        });
        bump("classes", "updated");
      } else bump("classes", "unchanged");
    }
    if (create.length) {
      for (const c of await tx.classGroup.createManyAndReturn({ data: create, select: { id: true, name: true } })) {
        classId.set(c.name, c.id);
      }
    }
    bump("classes", "created", create.length);
    for (const c of data.classes) gradeOf.set(classId.get(c.name)!, c.grade);
  }

  // --- students and enrollments ---
  const studentId = new Map<string, number>();
  const studentChanged = new Set<string>();
  const inFileStudents = new Set<number>();
  {
    const personIds = data.students.map((s) => pid(s.id));
    const existing = await tx.student.findMany({
      where: { schoolId },
      select: { id: true, personId: true, leftAt: true },
    });
    const byPerson = new Map(existing.map((s) => [s.personId, s]));
    const create = personIds.filter((p) => !byPerson.has(p)).map((p) => ({ schoolId, personId: p }));
    for (const chunk of chunks(create, 5000)) {
      for (const s of await tx.student.createManyAndReturn({ data: chunk, select: { id: true, personId: true } })) {
        byPerson.set(s.personId, { ...s, leftAt: null });
      }
    }
    const enrollments = await tx.enrollment.findMany({
      where: { schoolId, OR: [{ toDate: null }, { toDate: { gt: effDate } }] },
      select: { id: true, studentId: true, classId: true, fromDate: true },
    });
    const active = new Map<number, typeof enrollments>();
    for (const e of enrollments) active.set(e.studentId, [...(active.get(e.studentId) ?? []), e]);
    const newEnrollments: { schoolId: number; studentId: number; classId: number; fromDate: Date }[] = [];
    // a re-import records the same movements as the bot (the first import of a school records none)
    const movements: Prisma.StudentMovementCreateManyInput[] = [];
    const recordMoves = existing.length > 0;
    const move = (
      studentId: number,
      kind: "ADMISSION" | "TRANSFER" | "LEAVING",
      fromClassId: number | null,
      toClassId: number | null,
    ) => {
      if (!recordMoves) return;
      movements.push({
        schoolId,
        studentId,
        kind,
        fromClassId,
        toClassId,
        date: D(kind === "LEAVING" ? effective : from),
        orderNo: order?.number ?? "-",
        orderDate: D(order?.date ?? effective),
      });
    };
    const endEnrollment = async (e: (typeof enrollments)[number]) => {
      await tx.enrollment.update({
        where: { id: e.id },
        data: { toDate: D(maxDate(effective, toIsoDate(e.fromDate))) },
      });
    };
    for (const s of data.students) {
      const st = byPerson.get(pid(s.id))!;
      studentId.set(s.id, st.id);
      inFileStudents.add(st.id);
      let changed = renamed.has(s.id);
      if (st.leftAt) {
        await tx.student.update({ where: { id: st.id }, data: { leftAt: null } });
        changed = true;
      }
      const target = classId.get(s.className)!;
      const current = active.get(st.id) ?? [];
      const keep = current.find((e) => e.classId === target);
      for (const e of current) {
        if (e === keep) continue;
        await endEnrollment(e);
        changed = true;
      }
      if (!keep) {
        newEnrollments.push({ schoolId, studentId: st.id, classId: target, fromDate: D(from) });
        move(st.id, current.length ? "TRANSFER" : "ADMISSION", current[0]?.classId ?? null, target);
        changed = true;
      }
      if (changed) studentChanged.add(s.id);
    }
    if (newEnrollments.length) await tx.enrollment.createMany({ data: newEnrollments });
    for (const st of existing) {
      if (inFileStudents.has(st.id)) continue;
      const current = active.get(st.id) ?? [];
      if (current.length === 0 && st.leftAt) continue;
      for (const e of current) await endEnrollment(e);
      if (!st.leftAt) await tx.student.update({ where: { id: st.id }, data: { leftAt: effDate } });
      if (!st.leftAt) move(st.id, "LEAVING", current[0]?.classId ?? null, null);
      bump("students", "ended");
    }
    if (movements.length) await tx.studentMovement.createMany({ data: movements });
  }

  // --- subgroups and their members ---
  const subgroupId = new Map<string, number>();
  {
    const key = (cls: number, subj: number, n: number) => `${cls}|${subj}|${n}`;
    const needed = new Map<string, { classId: number; subjectId: number; number: number }>();
    const need = (cls: number, subj: number, n: number) =>
      needed.set(key(cls, subj, n), { classId: cls, subjectId: subj, number: n });
    for (const a of data.assignments) {
      if (a.subgroup !== null) need(classId.get(a.className)!, subjectId.get(a.subject)!, a.subgroup);
    }
    for (const s of data.students) {
      for (const g of s.subgroups) need(classId.get(s.className)!, subjectId.get(g.subject)!, g.number);
    }
    const existing = await tx.subgroup.findMany({ where: { schoolId, class: { yearId } } });
    for (const g of existing) subgroupId.set(key(g.classId, g.subjectId, g.number), g.id);
    const create = [...needed.entries()].filter(([k]) => !subgroupId.has(k)).map(([, v]) => ({ schoolId, ...v }));
    if (create.length) {
      const rows = await tx.subgroup.createManyAndReturn({
        data: create,
        select: { id: true, classId: true, subjectId: true, number: true },
      });
      for (const g of rows) subgroupId.set(key(g.classId, g.subjectId, g.number), g.id);
      otherChanges += rows.length;
    }

    const members = await tx.subgroupMember.findMany({
      where: { schoolId, OR: [{ toDate: null }, { toDate: { gt: effDate } }] },
      select: { id: true, studentId: true, subgroupId: true, fromDate: true },
    });
    const byStudent = new Map<number, typeof members>();
    for (const m of members) byStudent.set(m.studentId, [...(byStudent.get(m.studentId) ?? []), m]);
    const endMember = (m: (typeof members)[number]) =>
      tx.subgroupMember.update({ where: { id: m.id }, data: { toDate: D(maxDate(effective, toIsoDate(m.fromDate))) } });
    const create2: { schoolId: number; subgroupId: number; studentId: number; fromDate: Date }[] = [];
    for (const s of data.students) {
      const sid = studentId.get(s.id)!;
      const cls = classId.get(s.className)!;
      const want = new Set(s.subgroups.map((g) => subgroupId.get(key(cls, subjectId.get(g.subject)!, g.number))!));
      const have = byStudent.get(sid) ?? [];
      for (const m of have) {
        if (want.has(m.subgroupId)) continue;
        await endMember(m);
        studentChanged.add(s.id);
      }
      for (const g of want) {
        if (have.some((m) => m.subgroupId === g)) continue;
        create2.push({ schoolId, subgroupId: g, studentId: sid, fromDate: D(from) });
        studentChanged.add(s.id);
      }
    }
    for (const [sid, have] of byStudent) {
      if (inFileStudents.has(sid)) continue;
      for (const m of have) await endMember(m);
    }
    if (create2.length) await tx.subgroupMember.createMany({ data: create2 });
  }
  for (const s of data.students) {
    if (newPeople.has(s.id)) bump("students", "created");
    else if (studentChanged.has(s.id)) bump("students", "updated");
    else bump("students", "unchanged");
  }

  // --- guardianships ---
  {
    const existing = await tx.guardianship.findMany({
      where: { schoolId },
      select: { id: true, guardianId: true, studentId: true, relation: true, endedAt: true },
    });
    const byPair = new Map(existing.map((g) => [`${g.guardianId}|${g.studentId}`, g]));
    const wanted = new Set<string>();
    const create: { schoolId: number; guardianId: number; studentId: number; relation: string | null }[] = [];
    for (const g of data.guardians) {
      const gid = pid(g.id);
      let changed = renamed.has(g.id);
      for (const ext of g.students) {
        const sid = studentId.get(ext)!;
        const pair = `${gid}|${sid}`;
        if (wanted.has(pair)) continue;
        wanted.add(pair);
        const ex = byPair.get(pair);
        if (!ex) {
          create.push({ schoolId, guardianId: gid, studentId: sid, relation: g.relation });
          changed = true;
        } else if (ex.endedAt || ex.relation !== g.relation) {
          await tx.guardianship.update({ where: { id: ex.id }, data: { endedAt: null, relation: g.relation } });
          changed = true;
        }
      }
      if (newPeople.has(g.id)) bump("guardians", "created");
      else if (changed) bump("guardians", "updated");
      else bump("guardians", "unchanged");
    }
    const endedGuardians = new Set<number>();
    const stillGuardian = new Set(data.guardians.map((g) => pid(g.id)));
    const toEnd = existing.filter((g) => !g.endedAt && !wanted.has(`${g.guardianId}|${g.studentId}`));
    if (toEnd.length) {
      await tx.guardianship.updateMany({ where: { id: { in: toEnd.map((g) => g.id) } }, data: { endedAt: effDate } });
      for (const g of toEnd) if (!stillGuardian.has(g.guardianId)) endedGuardians.add(g.guardianId);
      otherChanges += toEnd.length;
    }
    bump("guardians", "ended", endedGuardians.size);
    if (create.length) await tx.guardianship.createMany({ data: create });
  }

  // --- teaching assignments ---
  const assignmentId = new Map<string, number>();
  const endedAssignments: number[] = [];
  {
    const key = (t: number, s: number, c: number, g: number | null) => `${t}|${s}|${c}|${g ?? ""}`;
    const existing = await tx.teachingAssignment.findMany({ where: { schoolId, yearId } });
    const byKey = new Map(existing.map((a) => [key(a.teacherId, a.subjectId, a.classId, a.subgroupId), a]));
    const create = [];
    const wanted = new Set<string>();
    for (const a of data.assignments) {
      const cls = classId.get(a.className)!;
      const subj = subjectId.get(a.subject)!;
      const sg = a.subgroup === null ? null : subgroupId.get(`${cls}|${subj}|${a.subgroup}`)!;
      const k = key(pid(a.teacher), subj, cls, sg);
      wanted.add(k);
      const ex = byKey.get(k);
      if (!ex) {
        create.push({
          schoolId,
          yearId,
          teacherId: pid(a.teacher),
          subjectId: subj,
          classId: cls,
          subgroupId: sg,
          hoursPerWeek: a.hours,
        });
        continue;
      }
      assignmentId.set(k, ex.id);
      if (ex.hoursPerWeek.toNumber() !== a.hours || ex.endedAt) {
        await tx.teachingAssignment.update({ where: { id: ex.id }, data: { hoursPerWeek: a.hours, endedAt: null } });
        bump("assignments", "updated");
      } else bump("assignments", "unchanged");
    }
    if (create.length) {
      const rows = await tx.teachingAssignment.createManyAndReturn({
        data: create,
        select: { id: true, teacherId: true, subjectId: true, classId: true, subgroupId: true },
      });
      for (const a of rows) assignmentId.set(key(a.teacherId, a.subjectId, a.classId, a.subgroupId), a.id);
    }
    bump("assignments", "created", create.length);
    for (const a of existing) {
      if (a.endedAt || wanted.has(key(a.teacherId, a.subjectId, a.classId, a.subgroupId))) continue;
      endedAssignments.push(a.id);
    }
    if (endedAssignments.length) {
      await tx.teachingAssignment.updateMany({ where: { id: { in: endedAssignments } }, data: { endedAt: effDate } });
      bump("assignments", "ended", endedAssignments.length);
    }
  }

  // --- timetable ---
  const endedEntries: { assignmentId: number; weekday: number; slot: number }[] = [];
  {
    const key = (a: number, w: number, s: number) => `${a}|${w}|${s}`;
    const entries = await tx.timetableEntry.findMany({
      where: { schoolId, OR: [{ validTo: null }, { validTo: { gt: effDate } }] },
      orderBy: { id: "asc" },
    });
    const byKey = new Map<string, (typeof entries)[number]>();
    const surplus: typeof entries = [];
    for (const e of entries) {
      const k = key(e.assignmentId, e.weekday, e.slot);
      if (byKey.has(k)) surplus.push(e);
      else byKey.set(k, e);
    }
    const wanted = new Set<string>();
    const create = [];
    for (const t of data.timetable) {
      const cls = classId.get(t.className)!;
      const subj = subjectId.get(t.subject)!;
      const sg = t.subgroup === null ? null : subgroupId.get(`${cls}|${subj}|${t.subgroup}`)!;
      const aid = assignmentId.get(`${pid(t.teacher)}|${subj}|${cls}|${sg ?? ""}`)!;
      const k = key(aid, t.weekday, t.slot);
      wanted.add(k);
      const ex = byKey.get(k);
      if (!ex) {
        create.push({
          schoolId,
          assignmentId: aid,
          weekday: t.weekday,
          slot: t.slot,
          room: t.room,
          validFrom: D(from),
        });
      } else if (ex.room !== t.room || ex.validTo) {
        await tx.timetableEntry.update({ where: { id: ex.id }, data: { room: t.room, validTo: null } });
        bump("timetable", "updated");
      } else bump("timetable", "unchanged");
    }
    if (create.length) await tx.timetableEntry.createMany({ data: create });
    bump("timetable", "created", create.length);
    const toEnd = [...surplus, ...[...byKey.entries()].filter(([k]) => !wanted.has(k)).map(([, e]) => e)];
    for (const e of toEnd) {
      await tx.timetableEntry.update({
        where: { id: e.id },
        data: { validTo: D(maxDate(effective, toIsoDate(e.validFrom))) },
      });
      if (!wanted.has(key(e.assignmentId, e.weekday, e.slot))) endedEntries.push(e);
    }
    bump("timetable", "ended", toEnd.length);
  }

  // --- future lessons of what ended, when nothing was written in them ---
  let lessonsRemoved = 0;
  if (endedEntries.length || endedAssignments.length) {
    const ended = new Set(endedEntries.map((e) => `${e.assignmentId}|${e.weekday}|${e.slot}`));
    const endedA = new Set(endedAssignments);
    const candidates = await tx.lesson.findMany({
      where: {
        schoolId,
        date: { gte: effDate },
        assignmentId: { in: [...new Set([...endedEntries.map((e) => e.assignmentId), ...endedAssignments])] },
        status: "SCHEDULED",
        topic: null,
        attendanceTakenAt: null,
        marks: { none: {} },
        attendance: { none: {} },
        homework: { none: {} },
        substitutions: { none: {} },
      },
      select: { id: true, assignmentId: true, date: true, slot: true },
    });
    const ids = candidates
      .filter(
        (l) => endedA.has(l.assignmentId) || ended.has(`${l.assignmentId}|${isoWeekday(toIsoDate(l.date))}|${l.slot}`),
      )
      .map((l) => l.id);
    if (ids.length) lessonsRemoved = (await tx.lesson.deleteMany({ where: { id: { in: ids } } })).count;
  }

  const changed =
    otherChanges > 0 ||
    lessonsRemoved > 0 ||
    Object.values(counts).some((c) => c.created > 0 || c.updated > 0 || c.ended > 0);
  return { yearId, counts, lessonsRemoved, changed };
}

function chunks<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}
