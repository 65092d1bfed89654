// The administration (DIRECTOR, DEPUTY, ADMIN) hears from the bot when an archive was made and when a check of
// the archives found a problem. Outbox kinds "archive.created" { archiveId } and "archive.check-failed"
// { checkId }.
import { z } from "zod";
import { ADMINISTRATION_ROLES } from "../../core/actor.ts";
import type { DbOrTx } from "../../core/tx.ts";
import { translator } from "../../i18n.ts";
import { languagesOf } from "../notices-messages/recipient-language.ts";
import type { OutboxHandler } from "../outbox/handler.ts";
import type { ArchiveProblem } from "./verify-archives.ts";

async function administrationOf(db: DbOrTx, schoolId: number): Promise<number[]> {
  const rows = await db.staffRole.findMany({
    where: {
      schoolId,
      role: { in: [...ADMINISTRATION_ROLES] },
      person: { accounts: { some: { blockedAt: null } } },
    },
    select: { personId: true },
    orderBy: { personId: "asc" },
  });
  return [...new Set(rows.map((r) => r.personId))];
}

const createdSchema = z.object({ archiveId: z.number().int().positive() });

export const archiveCreatedHandler: OutboxHandler = {
  kind: "archive.created",
  async handle(row, { db }) {
    const { archiveId } = createdSchema.parse(row.payload);
    const a = await db.archive.findUnique({ where: { id: archiveId } });
    if (!a || a.schoolId !== row.schoolId) return [];
    const year = await db.academicYear.findUnique({ where: { id: a.yearId }, select: { name: true } });
    const period = a.periodId
      ? await db.period.findUnique({ where: { id: a.periodId }, select: { kind: true, number: true } })
      : null;
    const people = await administrationOf(db, row.schoolId);
    const langs = await languagesOf(db, people);
    return people.map((personId) => {
      const t = translator(langs.get(personId) ?? "ru");
      const what = period
        ? t(`archive:period.${period.kind}`, { number: period.number, year: year?.name ?? "" })
        : t("archive:period.wholeYear", { year: year?.name ?? "" });
      return {
        dedupKey: `archive.created-${a.id}-${personId}`,
        schoolId: row.schoolId,
        personId,
        kind: "archive.created",
        render: {
          key: "archive:notify.created",
          params: { what, count: a.fileCount, size: (Number(a.bytes) / 1_048_576).toFixed(1) },
        },
      };
    });
  },
};

const failedSchema = z.object({ checkId: z.number().int().positive() });

export const archiveCheckFailedHandler: OutboxHandler = {
  kind: "archive.check-failed",
  async handle(row, { db }) {
    const { checkId } = failedSchema.parse(row.payload);
    const check = await db.archiveCheck.findUnique({ where: { id: checkId } });
    if (!check || check.schoolId !== row.schoolId || check.ok) return [];
    const problems = check.problems as unknown as ArchiveProblem[];
    const archives = new Set(problems.map((p) => p.archive)).size;
    const people = await administrationOf(db, row.schoolId);
    return people.map((personId) => ({
      dedupKey: `archive.check-failed-${check.id}-${personId}`,
      schoolId: row.schoolId,
      personId,
      kind: "archive.check-failed",
      render: { key: "archive:notify.checkFailed", params: { count: problems.length, archives } },
    }));
  },
};
