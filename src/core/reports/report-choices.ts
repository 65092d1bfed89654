// What the reports screens offer: the school's parallels, classes, subjects and teachers of the current year
// (administration only), and the periods a class's printed journal can be made for (its class teacher too).
import { requireClassManage } from "../access/classes.ts";
import { requirePermission } from "../access/index.ts";
import type { AnyActor } from "../actor.ts";
import { fromIsoDate, type IsoDate, localMoment, toIsoDate } from "../dates.ts";
import { notFound } from "../errors.ts";
import type { DbOrTx } from "../tx.ts";
import { compareRu, staffLabel } from "./labels.ts";

export interface ReportChoices {
  grades: number[];
  classes: { id: number; name: string }[];
  subjects: { id: number; name: string }[];
  teachers: { id: number; label: string }[];
}

async function currentYear(db: DbOrTx, schoolId: number) {
  const school = await db.school.findUniqueOrThrow({ where: { id: schoolId }, select: { timezone: true } });
  const today = fromIsoDate(localMoment(school.timezone).date);
  const year =
    (await db.academicYear.findFirst({ where: { schoolId, startsOn: { lte: today }, endsOn: { gte: today } } })) ??
    (await db.academicYear.findFirst({ where: { schoolId }, orderBy: { startsOn: "desc" } }));
  if (!year) throw notFound({ year: "current" });
  return year;
}

export async function reportChoices(db: DbOrTx, actor: AnyActor): Promise<ReportChoices> {
  requirePermission(actor, "report.school");
  const year = await currentYear(db, actor.schoolId);
  const [classes, assignments] = await Promise.all([
    db.classGroup.findMany({
      where: { schoolId: actor.schoolId, yearId: year.id },
      orderBy: [{ grade: "asc" }, { name: "asc" }],
      select: { id: true, name: true, grade: true },
    }),
    db.teachingAssignment.findMany({
      where: { schoolId: actor.schoolId, yearId: year.id },
      select: {
        subject: { select: { id: true, name: true } },
        teacher: { select: { id: true, lastName: true, firstName: true, middleName: true } },
      },
    }),
  ]);
  const subjects = [...new Map(assignments.map((a) => [a.subject.id, a.subject])).values()].sort((a, b) =>
    compareRu(a.name, b.name),
  );
  const teachers = [
    ...new Map(assignments.map((a) => [a.teacher.id, { id: a.teacher.id, label: staffLabel(a.teacher) }])).values(),
  ].sort((a, b) => compareRu(a.label, b.label));
  return {
    grades: [...new Set(classes.map((c) => c.grade))],
    classes: classes.map((c) => ({ id: c.id, name: c.name })),
    subjects,
    teachers,
  };
}

export interface JournalPeriod {
  id: number;
  kind: string;
  number: number;
  from: IsoDate;
  to: IsoDate;
}

export async function journalPeriods(
  db: DbOrTx,
  actor: AnyActor,
  input: { classId: number },
): Promise<{ className: string; periods: JournalPeriod[] }> {
  const access = await requireClassManage(db, actor, input.classId);
  const cls = await db.classGroup.findUniqueOrThrow({ where: { id: access.classId }, select: { yearId: true } });
  const periods = await db.period.findMany({
    where: { schoolId: actor.schoolId, yearId: cls.yearId, kind: { not: "YEAR" } },
    orderBy: { startsOn: "asc" },
  });
  return {
    className: access.name,
    periods: periods.map((p) => ({
      id: p.id,
      kind: p.kind,
      number: p.number,
      from: toIsoDate(p.startsOn),
      to: toIsoDate(p.endsOn),
    })),
  };
}
