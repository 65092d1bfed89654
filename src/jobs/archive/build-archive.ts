// Builds the frozen archive of one closed period or year (R-30) and writes it to every target: the producers'
// files, the signed manifest, and the audit head (also added to the daily anchor file). Recorded in Archive
// together with its outbox row, so the administration hears about it; a second run finds the row and stops.
import { systemActor } from "../../core/actor.ts";
import {
  type ArchiveScope,
  type ArchiveScopeKind,
  archiveScope,
  type JournalExport,
  journalExport,
} from "../../core/archive/journal-export.ts";
import { appendAudit, auditHead, signAnchor } from "../../core/audit.ts";
import { enqueueOutbox } from "../../core/outbox.ts";
import type { Db } from "../../core/tx.ts";
import { writeAnchor } from "./anchors.ts";
import { MANIFEST_FILE, type Manifest, type ManifestFile, sha256, signManifest } from "./manifest.ts";
import { type ArchiveProducer, RETENTION_YEARS } from "./producers/index.ts";
import type { ArchiveFile, ArchiveTarget } from "./targets.ts";

export interface ArchiveDeps {
  prisma: Db;
  targets: ArchiveTarget[];
  producers: ArchiveProducer[];
}

const slug = (s: string) => s.replace(/[^0-9A-Za-z]+/g, "-").replace(/^-|-$/g, "") || "x";

/** "school-1/2025-2026/quarter-1", "school-1/2025-2026/year". */
export function archivePath(scope: ArchiveScope): string {
  const year = `school-${scope.schoolId}/${slug(scope.yearName)}-y${scope.yearId}`;
  return scope.scope === "year" ? `${year}/year` : `${year}/${scope.periodKind!.toLowerCase()}-${scope.periodNumber}`;
}

export function keepUntil(scope: ArchiveScope, years: number): string {
  const [y, m, d] = scope.yearEndsOn.split("-");
  return `${Number(y) + years}-${m}-${d}`;
}

export interface BuiltArchive {
  archiveId: number;
  path: string;
  files: number;
  bytes: number;
  created: boolean;
}

export async function buildArchive(
  deps: ArchiveDeps,
  ref: { schoolId: number; scope: ArchiveScopeKind; id: number },
  now = new Date(),
): Promise<BuiltArchive> {
  const { prisma, targets } = deps;
  const actor = systemActor(ref.schoolId);
  const scope = await archiveScope(prisma, actor, ref);
  const dir = archivePath(scope);
  const existing = await prisma.archive.findFirst({
    where: { schoolId: ref.schoolId, scope: scope.scope, yearId: scope.yearId, periodId: scope.periodId },
  });
  if (existing) {
    return {
      archiveId: existing.id,
      path: existing.path,
      files: existing.fileCount,
      bytes: Number(existing.bytes),
      created: false,
    };
  }

  let loaded: Promise<JournalExport> | undefined;
  const ctx = { db: prisma, scope, journal: () => (loaded ??= journalExport(prisma, actor, scope)) };
  const files: ArchiveFile[] = [];
  const entries: ManifestFile[] = [];
  for (const p of deps.producers) {
    const out = await p.produce(ctx);
    for (const f of Buffer.isBuffer(out) ? [{ name: p.name, bytes: out }] : out) {
      files.push(f);
      entries.push({
        name: f.name,
        sha256: sha256(f.bytes),
        bytes: f.bytes.length,
        retention: p.retention,
        keepUntil: keepUntil(scope, RETENTION_YEARS[p.retention]),
      });
    }
  }
  loaded = undefined;
  const head = await auditHead(prisma, ref.schoolId);
  const anchor = head ? signAnchor(head, now) : null;
  const school = await prisma.school.findUniqueOrThrow({
    where: { id: ref.schoolId },
    select: { id: true, name: true },
  });
  const manifest: Manifest = {
    format: "classbook-archive/1",
    school,
    scope,
    createdAt: now.toISOString(),
    auditHead: anchor,
    files: entries,
  };
  const manifestBytes = signManifest(manifest);
  files.push({ name: MANIFEST_FILE, bytes: manifestBytes });

  // An archive already on a target without a row here (a run that died before recording it, or a database
  // restored from an older backup) is never replaced: this one goes next to it, "quarter-1-r2".
  let path = dir;
  for (let n = 2; ; n++) {
    const taken = await Promise.all(targets.map(async (t) => (await t.list(path)).length > 0));
    if (!taken.some(Boolean)) break;
    path = `${dir}-r${n}`;
  }
  for (const t of targets) await t.writeDirectory(path, files);
  if (anchor) await writeAnchor(targets, anchor);

  const bytes = files.reduce((n, f) => n + f.bytes.length, 0);
  const lastKeep =
    entries
      .map((e) => e.keepUntil)
      .sort()
      .at(-1) ?? keepUntil(scope, RETENTION_YEARS.summary);
  const archive = await prisma.$transaction(async (tx) => {
    const row = await tx.archive.create({
      data: {
        schoolId: ref.schoolId,
        scope: scope.scope,
        periodId: scope.periodId,
        yearId: scope.yearId,
        path,
        manifestSha256: sha256(manifestBytes),
        fileCount: entries.length,
        bytes: BigInt(bytes),
        auditLastId: anchor ? BigInt(anchor.lastId) : null,
        keepUntil: new Date(`${lastKeep}T00:00:00Z`),
        createdAt: now,
      },
    });
    await appendAudit(tx, actor, {
      action: "archive.create",
      entity: "Archive",
      entityId: row.id,
      data: { path, files: entries.length, manifestSha256: row.manifestSha256, targets: targets.length },
    });
    await enqueueOutbox(tx, ref.schoolId, { kind: "archive.created", payload: { archiveId: row.id } });
    return row;
  });
  return { archiveId: archive.id, path, files: entries.length, bytes, created: true };
}
