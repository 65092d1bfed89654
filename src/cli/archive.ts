// `npm run cli -- archive verify|build|prune|anchor [--school N]`, `backup`, `restore <file>` and the anchor
// check of `audit-verify`: what the school's IT person runs by hand; the jobs run the same functions on a
// schedule.
import { systemActor } from "../core/actor.ts";
import { scopesWithoutArchive } from "../core/archive/journal-export.ts";
import { verifyAuditChain } from "../core/audit.ts";
import type { Db } from "../core/tx.ts";
import type { Language } from "../i18n.ts";
import { translator } from "../i18n.ts";
import { anchorAuditHead, readNewestAnchor } from "../jobs/archive/anchors.ts";
import type { ArchiveEnv } from "../jobs/archive/archive-env.ts";
import { buildArchive } from "../jobs/archive/build-archive.ts";
import { pruneArchives } from "../jobs/archive/prune-archives.ts";
import { verifySchoolArchives } from "../jobs/archive/verify-archives.ts";
import { backupDatabase, restoreDatabase } from "../jobs/backup/backup.ts";

export interface ArchiveCommandDeps {
  prisma: Db;
  env: ArchiveEnv;
  lng: Language;
  out: (line: string) => void;
}

async function schoolsOf(prisma: Db, args: string[]): Promise<number[]> {
  const i = args.indexOf("--school");
  if (i >= 0) return [Number(args[i + 1])];
  return (await prisma.school.findMany({ select: { id: true }, orderBy: { id: "asc" } })).map((s) => s.id);
}

export async function archiveCommand(args: string[], deps: ArchiveCommandDeps): Promise<number> {
  const { prisma, env, out } = deps;
  const t = translator(deps.lng);
  const [sub, ...rest] = args;
  const schools = await schoolsOf(prisma, rest);
  const targets = env.targets.map((x) => x.name).join(", ");
  switch (sub) {
    case "verify": {
      let ok = true;
      for (const schoolId of schools) {
        const r = await verifySchoolArchives(prisma, env.targets, schoolId);
        for (const p of r.problems) out(t(`archive:cli.problem.${p.problem}`, { ...p }));
        if (r.ok) out(t("archive:cli.ok", { schoolId, archives: r.archives, targets: r.targets }));
        ok &&= r.ok;
      }
      return ok ? 0 : 1;
    }
    case "build": {
      for (const schoolId of schools) {
        const due = await scopesWithoutArchive(prisma, systemActor(schoolId));
        if (due.length === 0) out(t("archive:cli.nothing", { schoolId }));
        for (const ref of due) {
          const r = await buildArchive(
            { prisma, targets: env.targets, producers: env.producers },
            { schoolId, ...ref },
          );
          out(t(r.created ? "archive:cli.built" : "archive:cli.exists", { path: r.path, count: r.files, targets }));
        }
      }
      return 0;
    }
    case "prune": {
      const r = await pruneArchives(prisma, env.targets);
      out(t("archive:cli.pruned", { files: r.files, archives: r.archives }));
      return 0;
    }
    case "anchor": {
      for (const schoolId of schools) {
        const a = await anchorAuditHead(prisma, env.targets, schoolId);
        if (a) out(t("archive:cli.anchored", { schoolId, id: a.lastId }));
      }
      return 0;
    }
    default:
      out(t("archive:cli.usage"));
      return 2;
  }
}

/** audit-verify: each school's chain, against the newest anchor found on the archive targets. */
export async function auditVerifyCommand(args: string[], deps: ArchiveCommandDeps): Promise<number> {
  const { prisma, env, out } = deps;
  const t = translator(deps.lng);
  let ok = true;
  for (const schoolId of await schoolsOf(prisma, args)) {
    const anchor = await readNewestAnchor(env.targets, schoolId);
    const report = await verifyAuditChain(prisma, schoolId, { anchor });
    if (report.ok) out(t("cli:audit.ok", { schoolId, count: report.checked }));
    else if (
      report.reason === "tail-removed" ||
      report.reason === "anchor-mismatch" ||
      report.reason === "anchor-forged"
    )
      out(t(`cli:audit.${report.reason}`, { schoolId, id: report.brokenAt, at: anchor?.at ?? "" }));
    else out(t("cli:audit.broken", { schoolId, id: report.brokenAt }));
    ok &&= report.ok;
  }
  return ok ? 0 : 1;
}

export async function backupCommand(
  deps: Omit<ArchiveCommandDeps, "prisma"> & { url: string; schema?: string },
): Promise<number> {
  const t = translator(deps.lng);
  try {
    const r = await backupDatabase({ url: deps.url, schema: deps.schema }, deps.env.targets, {
      keep: deps.env.backupKeep,
      pgBinDir: deps.env.pgBinDir,
    });
    deps.out(
      t("archive:backup.done", {
        file: r.file,
        size: (r.bytes / 1_048_576).toFixed(1),
        tool: r.tool,
        targets: r.targets.join(", "),
      }),
    );
    return 0;
  } catch (err) {
    deps.out(t("archive:backup.failed", { message: (err as Error).message }));
    return 1;
  }
}

export async function restoreCommand(
  file: string | undefined,
  deps: Omit<ArchiveCommandDeps, "prisma"> & { url: string; schema?: string },
): Promise<number> {
  const t = translator(deps.lng);
  if (!file) {
    deps.out(t("archive:backup.usage"));
    return 2;
  }
  try {
    await restoreDatabase(file, deps.url, { pgBinDir: deps.env.pgBinDir, schema: deps.schema });
    deps.out(t("archive:backup.restored", { file }));
    return 0;
  } catch (err) {
    deps.out(t("archive:backup.failed", { message: (err as Error).message }));
    return 1;
  }
}
